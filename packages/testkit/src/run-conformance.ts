import { describe, it } from 'vitest';
import type { Connector } from '@plugboard/core';
import { conformanceChecks, type ConnectorFixtures } from './conformance.js';

/**
 * Registers the connector conformance suite as vitest tests, in one `describe` block: shape (names,
 * schemes, fields, spec version), every action refusing invalid input without a request,
 * credentials landing where each scheme says, no secret in an error, and each action's request
 * matching its fixture. Call it at the top level of a test file.
 * @example
 * runConnectorConformance(trello, {
 *   actions: {
 *     TRELLO_GET_BOARD: { input: { id: 'b1' }, request: { method: 'GET', path: '/boards/b1' }, response: { json: { id: 'b1' } } },
 *   },
 * });
 */
export function runConnectorConformance(connector: Connector, fixtures: ConnectorFixtures): void {
  describe(`${connector.id} connector conformance`, () => {
    for (const check of conformanceChecks(connector, fixtures)) it(check.name, check.run);
  });
}
