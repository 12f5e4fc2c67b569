import { startRecordingServer, type RecordedRequest } from '@plugboard/testkit';

// The fakes of Google's APIs answer raw bodies with their own headers; this adapts that shape to
// the test kit's recording server, which does the serving and recording.
export type { RecordedRequest };

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface LocalServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A server on 127.0.0.1 with a random port that records every request (`startRecordingServer`). */
export async function startLocalServer(
  handle: (request: RecordedRequest) => Reply | Promise<Reply>,
): Promise<LocalServer> {
  const server = await startRecordingServer(async (request) => {
    const reply = await handle(request);
    return {
      status: reply.status,
      headers: reply.headers ?? {},
      ...(reply.body !== undefined ? { text: reply.body } : {}),
    };
  });
  return { url: server.url, requests: server.requests, close: () => server.close() };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    body: JSON.stringify(body, null, 2),
  };
}
