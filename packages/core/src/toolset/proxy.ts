import { PlugboardError } from '../errors.js';
import { createRedactor } from '../redact.js';
import type { BodyEncoding, HttpMethod, HttpRequestOptions, QueryValue } from '../spec/action.js';
import type { ToolsetContext } from './context.js';
import { resolveAuth, type CredentialOptions } from './resolve-auth.js';
import { createRequester, failure, redactError, success, type ActionResult } from './run-action.js';

/** What `toolset.proxy` takes: one raw request to an app's API, and who it acts for. */
export interface ProxyParams extends CredentialOptions {
  app: string;
  method: HttpMethod;
  /** Relative to the app's base URL (or the custom auth `baseUrl`); `{name}` segments take `pathParams`. */
  path: string;
  pathParams?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  bodyEncoding?: BodyEncoding;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The upstream answer of `toolset.proxy`: status, headers and the parsed body. */
export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

/** A raw authenticated request to an app's API, with the same credential resolution as actions. */
export function createProxy(context: ToolsetContext) {
  const { catalogue, http, resolveContext } = context;
  return async function proxy(params: ProxyParams): Promise<ActionResult<ProxyResponse>> {
    let redactor = createRedactor([]);
    try {
      const connector = catalogue.getApp(params.app);
      const auth = await resolveAuth(connector, params, resolveContext);
      redactor = createRedactor(auth.secrets);
      const request = createRequester({
        connector,
        auth,
        http,
        sender: context.sender,
        signal: params.signal,
        redactor,
      });
      const requestOptions: HttpRequestOptions = { method: params.method, path: params.path };
      if (params.pathParams) requestOptions.pathParams = params.pathParams;
      if (params.query) requestOptions.query = params.query;
      if (params.body !== undefined) requestOptions.body = params.body;
      if (params.bodyEncoding) requestOptions.bodyEncoding = params.bodyEncoding;
      if (params.headers) requestOptions.headers = params.headers;
      const response = await request(requestOptions);
      return success({
        status: response.status,
        headers: Object.fromEntries(response.headers.entries()),
        data: response.data,
      });
    } catch (error) {
      return failure(PlugboardError.isInstance(error) ? redactError(error, redactor) : error, redactor);
    }
  };
}
