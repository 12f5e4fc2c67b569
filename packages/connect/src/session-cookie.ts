import { signToken, verifyToken, type SigningKey } from './signed-token.js';

const COOKIE_NAME = 'plugboard_connect';
const SESSION_PURPOSE = 'plugboard-connect-session';

/** Which session a browser holds, and which toolset it lives in. */
export interface SessionPointer {
  sessionId: string;
  tenant?: string | undefined;
}

/**
 * The session cookie: signed (so its tenant cannot be swapped), HttpOnly, `SameSite=Lax` (sent when
 * the OAuth provider sends the user back, never with another site's form post), scoped to the
 * handler's path, `Secure` on https.
 */
export async function sessionCookie(
  key: SigningKey,
  pointer: SessionPointer,
  options: { path: string; secure: boolean; maxAgeSeconds: number },
): Promise<string> {
  const value = await signToken(key, SESSION_PURPOSE, { s: pointer.sessionId, t: pointer.tenant });
  return `${COOKIE_NAME}=${value}; Path=${options.path}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(options: { path: string; secure: boolean }): string {
  return `${COOKIE_NAME}=; Path=${options.path}; Max-Age=0; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}

export async function readSessionCookie(key: SigningKey, request: Request): Promise<SessionPointer | undefined> {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== COOKIE_NAME) continue;
    const payload = await verifyToken(key, SESSION_PURPOSE, rest.join('='));
    if (payload === null || typeof payload !== 'object') continue;
    const { s, t } = payload as { s?: unknown; t?: unknown };
    if (typeof s !== 'string' || (t !== undefined && typeof t !== 'string')) continue;
    return { sessionId: s, tenant: t };
  }
  return undefined;
}
