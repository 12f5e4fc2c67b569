import { describe, expect, it } from 'vitest';
import * as internal from './internal.js';
import * as main from './index.js';

// The main entry is the semver-covered API: growing it is a decision, so this list changes with it.
// Types are checked by the compiler; these are the runtime values.
const MAIN_VALUES = [
  'CONNECTOR_SPEC_VERSION',
  'ErrorCodes',
  'PlugboardError',
  'ROUTER_TOOL_NAMES',
  'abortableDelay',
  'apiKeyScheme',
  'authField',
  'basicAuthorization',
  'basicScheme',
  'basicWithJwtScheme',
  'bearerTokenScheme',
  'createAgentTools',
  'createJsonReader',
  'createRedactor',
  'createToolset',
  'defineAction',
  'defineConnector',
  'defineCredentialProvider',
  'httpUrlProblem',
  'memoryStore',
  'noAuthScheme',
  'oauth1Scheme',
  'oauth2Scheme',
  'redactorOf',
  'runToolCalls',
  'serializeError',
  'signedAssertionScheme',
];

describe('the entries of @plugboard/core', () => {
  it('keeps the main entry to its listed values', () => {
    expect(Object.keys(main).sort()).toEqual([...MAIN_VALUES].sort());
  });

  it('keeps the building blocks in @plugboard/core/internal, not in the main entry', () => {
    const names = Object.keys(internal);
    expect(names).toEqual(
      expect.arrayContaining([
        'buildRequest',
        'renderPlacements',
        'parseRequestSpec',
        'checkAuthParameters',
        'toolName',
        'trimDescription',
        'createSender',
        'sendRequest',
      ]),
    );
    for (const name of names) expect(Object.keys(main)).not.toContain(name);
  });
});
