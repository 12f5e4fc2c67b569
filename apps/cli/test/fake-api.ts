import { startRecordingServer } from '@plugboard/fakes';

export interface FakeApi {
  url: string;
  /** `METHOD /path` and the X-Api-Key header of each request, in order. */
  readonly requests: { method: string; path: string; apiKey: string | undefined }[];
  close(): Promise<void>;
}

/** A third-party API on 127.0.0.1: `GET /things/{id}` answers the thing and the key it was called with. */
export async function startFakeApi(): Promise<FakeApi> {
  const server = await startRecordingServer({
    'GET /things/{id}': (request) =>
      /^\d+$/.test(request.params['id'] ?? '')
        ? { json: { id: Number(request.params['id']), calledWith: request.headers['x-api-key'] ?? null } }
        : { status: 404, json: { message: 'No route' } },
  });
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
