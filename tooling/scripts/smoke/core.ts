// Typechecked by check-packages.mjs against the package installed from the registry (strict, skipLibCheck off), so a
// broken or unresolvable declaration file in the published package fails the check.
import {
  CONNECTOR_SPEC_VERSION,
  apiKeyScheme,
  createToolset,
  defineAction,
  defineConnector,
  memoryStore,
  PlugboardError,
  type ActionResult,
  type Connector,
  type CustomAuth,
  type Store,
} from '@plugboard/core';
import { z } from 'zod';

const getThing = defineAction({
  name: 'THINGS_GET_THING',
  description: 'Get a thing.',
  input: z.object({ id: z.string() }),
  request: 'GET /things/{id}',
});

const things: Connector = defineConnector({
  id: 'things',
  name: 'Things',
  version: '1.0.0',
  specVersion: CONNECTOR_SPEC_VERSION,
  baseUrl: 'https://api.things.example/v1',
  authSchemes: [apiKeyScheme({ placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }] })],
  actions: [getThing],
});

const store: Store = memoryStore();
const toolset = createToolset({ connectors: [things], store });
const auth: CustomAuth = { parameters: [{ name: 'X-Api-Key', in: 'header', value: 'key' }] };

export async function run(): Promise<string | undefined> {
  const result: ActionResult = await toolset.executeAction('THINGS_GET_THING', { id: '1' }, { auth });
  if (result.successful) return JSON.stringify(result.data);
  const code: string = result.error.code;
  return PlugboardError.isInstance(new Error(code)) ? undefined : code;
}
