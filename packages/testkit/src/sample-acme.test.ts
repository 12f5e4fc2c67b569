import { afterEach, describe, expect, it } from 'vitest';
import { acmeToolset, type RecordingServer, startAcmeApi } from './index.js';

let api: RecordingServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('the Acme sample', () => {
  it('connects user-1 and user-2 by API key; each call carries that user’s key', async () => {
    api = await startAcmeApi();
    const { toolset, connections } = await acmeToolset(api.url);
    expect(Object.keys(connections).sort()).toEqual(['user-1', 'user-2']);
    const result = await toolset.executeAction(
      'ACME_GET_THING',
      { thing_id: 7 },
      { connectedAccountId: connections['user-2'] },
    );
    expect(result).toEqual({ successful: true, data: { id: 7, calledWith: 'key-user-2' }, error: null });
    const missing = await toolset.executeAction('ACME_GET_THING', { thing_id: 404 }, { entityId: 'user-1' });
    expect(missing).toMatchObject({ successful: false, error: { status: 404 } });
    expect(api.requests.map((request) => `${request.method} ${request.path} ${request.headers['x-api-key']}`)).toEqual([
      'GET /things/7 key-user-2',
      'GET /things/404 key-user-1',
    ]);
  });

  it('holds each request until holdUntil are in flight', async () => {
    api = await startAcmeApi({ holdUntil: 2 });
    const url = api.url;
    const answers = await Promise.all([fetch(`${url}/things/1`), fetch(`${url}/things/2`)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(api.maxInFlight).toBe(2);
  });
});
