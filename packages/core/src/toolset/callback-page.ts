import { PlugboardError, serializeError, type SerializedError } from '../errors.js';
import { completeAuthorization } from './connect-flows.js';
import { showConnection, type Connection } from './connection.js';
import type { ToolsetContext } from './context.js';

/** What `handleCallback` learned, for a custom `callbackResponse`. */
export type CallbackOutcome = { ok: true; connection: Connection } | { ok: false; error: SerializedError };

/**
 * The Web-standard callback handler: completes the authorization from the request's URL and
 * answers with the toolset's `callbackResponse`, or a small HTML page.
 */
export function createCallbackHandler(context: ToolsetContext): (request: Request) => Promise<Response> {
  return async (request) => {
    let outcome: CallbackOutcome;
    try {
      outcome = {
        ok: true,
        connection: showConnection(await completeAuthorization(context.flowDeps, { url: request.url })),
      };
    } catch (error) {
      outcome = {
        ok: false,
        error: PlugboardError.isInstance(error)
          ? serializeError(error)
          : { code: 'OAUTH_CALLBACK_ERROR', message: 'The authorization could not be completed.' },
      };
    }
    const respond = context.options.callbackResponse ?? defaultCallbackResponse;
    return respond(outcome);
  };
}

function defaultCallbackResponse(outcome: CallbackOutcome): Response {
  const title = outcome.ok ? 'Connected' : 'Connection failed';
  const text = outcome.ok
    ? `Your ${outcome.connection.app} account is connected. You can close this window.`
    : `${outcome.error.message} (${outcome.error.code})`;
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  return new Response(html, {
    status: outcome.ok ? 200 : 400,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
