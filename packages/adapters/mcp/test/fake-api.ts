import { type RecordingServer, startRecordingServer } from '@plugboard/testkit';

/**
 * A third-party API on 127.0.0.1: `GET /things/{id}` answers the thing and the key it was called
 * with; thing 404 does not exist. Each request waits (up to `holdMs`) until `holdUntil` requests are
 * in flight, so a test can prove that calls ran at the same time.
 */
export async function startFakeApi({ holdUntil = 1, holdMs = 2_000 } = {}): Promise<RecordingServer> {
  let held = 0;
  const waiting: (() => void)[] = [];
  return startRecordingServer(async (request) => {
    held += 1;
    if (held >= holdUntil) for (const release of waiting.splice(0)) release();
    else
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, holdMs);
      });
    held -= 1;
    const match = /^\/things\/(\d+)$/.exec(request.path);
    if (!match) return { status: 404, json: { message: 'No route' } };
    if (match[1] === '404') return { status: 404, json: { message: 'Thing not found' } };
    return { json: { id: Number(match[1]), calledWith: request.headers['x-api-key'] ?? null } };
  });
}
