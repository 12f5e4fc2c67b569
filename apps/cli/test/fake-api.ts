import { startAcmeApi } from '@plugboard/testkit';

export interface FakeApi {
  url: string;
  /** `METHOD /path` and the X-Api-Key header of each request, in order. */
  readonly requests: { method: string; path: string; apiKey: string | undefined }[];
  close(): Promise<void>;
}

/** The test kit's Acme API on 127.0.0.1: `GET /things/{id}` answers the thing and the key it was called with. */
export async function startFakeApi(): Promise<FakeApi> {
  const server = await startAcmeApi();
  return {
    url: server.url,
    get requests() {
      return server.requests.map((request) => ({
        method: request.method,
        path: request.path,
        apiKey: request.headers['x-api-key'],
      }));
    },
    close: () => server.close(),
  };
}
