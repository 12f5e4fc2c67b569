// Local fake servers and the import probe live in @plugboard/fakes (which core's own tests use
// without a dependency cycle); the kit re-exports them unchanged so connector authors need one package.
export * from '@plugboard/fakes';

// Conformance suite
export { runConnectorConformance } from './run-conformance.js';
export { conformanceChecks, checkConnector, ConformanceError } from './conformance.js';
export type {
  ActionFixture,
  ConformanceCheck,
  ConformanceFailure,
  ConnectorFixtures,
  ExpectedRequest,
  FixtureReply,
} from './conformance.js';

// A sample connector and its API, for tests of adapters and servers
export { startTracker, TRACKER_TOKEN, type Tracker, trackerConnector } from './sample-tracker.js';
export { acmeConnector, acmeToolset, startAcmeApi } from './sample-acme.js';
export type { AcmeApiOptions, AcmeEntity } from './sample-acme.js';

// Store conformance suite
export { runStoreConformance } from './store-conformance.js';
export type { CreateStore, StoreConformanceContext, StoreConformanceOptions } from './store-conformance.js';

// Connector package chores (also the `plugboard-connector` command)
export {
  ACTIONS_END,
  ACTIONS_START,
  describeJsonSchemaType,
  renderActionsReadme,
  replaceActionsSection,
  versionModule,
} from './readme-actions.js';
