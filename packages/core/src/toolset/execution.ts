import type * as zc from 'zod/v4/core';
import { PlugboardError } from '../errors.js';
import { isCredentialProvider, type CredentialProvider } from '../providers/credential-provider.js';
import { createRedactor } from '../redact.js';
import { defineAction, type ActionConnection, type ActionContext } from '../spec/action.js';
import { userFields } from '../spec/auth-scheme.js';
import type { Connector } from '../spec/connector.js';
import type { CustomAuth } from '../spec/auth-scheme.js';
import type { ConnectionRecord } from '../store/store.js';
import { NO_TRACE, type ExecutionTrace } from '../telemetry/tracing.js';
import { schemeOf, type ActionSummary } from './catalogue.js';
import type { ToolsetContext } from './context.js';
import { checkCustomAuth, resolveAuth, type CredentialOptions, type ResolvedAuth } from './resolve-auth.js';
import {
  createRequester,
  failure,
  mapInputToRequest,
  redactError,
  success,
  validateInput,
  validateOutput,
  type ActionResult,
} from './run-action.js';

/** Who an execution acts for (see `CredentialOptions` for the precedence), and a signal to cancel it. */
export interface ExecuteOptions extends CredentialOptions {
  signal?: AbortSignal;
}

/** What `toolset.createAction` takes: an action whose `run` you write. */
export interface CustomActionDefinition<Input extends zc.$ZodType> {
  /** SCREAMING_SNAKE. */
  name: string;
  description: string;
  /** The app whose credentials `context.request` uses; omit for an action that calls no app. */
  app?: string;
  tags?: string[];
  input: Input;
  output?: zc.$ZodType;
  run: (context: ActionContext<zc.output<Input>>) => Promise<unknown>;
}

/** What one execution learns along the way, for its event and its span. */
interface ExecutionFacts {
  app: string;
  action: string;
  connection?: ConnectionRecord;
  httpStatus?: number;
  trace: ExecutionTrace;
}

/** The connection as an action's `run` sees it: only the fields its scheme says are not secret. */
function actionConnection(connector: Connector, connection: ConnectionRecord): ActionConnection {
  const scheme = schemeOf(connector, connection.authMode);
  const fields: Record<string, string> = {};
  for (const field of scheme ? userFields(scheme) : []) {
    const value = connection.credentials[field.name];
    if (!field.secret && value !== undefined) fields[field.name] = value;
  }
  return { id: connection.id, entityId: connection.entityId, fields: Object.freeze(fields) };
}

/** Running actions, the credentials registered per app, and custom actions. */
export function createExecution(context: ToolsetContext) {
  const { catalogue, appAuth, http, resolveContext } = context;

  /** Runs one action with resolved credentials; the heart of `executeAction`. */
  async function runWithAuth(name: string, input: unknown, executeOptions: ExecuteOptions): Promise<ActionResult> {
    const startedAt = performance.now();
    // What the action.executed event and the span report; filled in as the execution learns it.
    const facts: ExecutionFacts = { app: '', action: name, trace: await context.tracing.startExecution(name) };
    const result = await runAction(name, input, executeOptions, facts);
    const entityId = facts.connection?.entityId ?? executeOptions.entityId;
    if (facts.trace !== NO_TRACE)
      facts.trace.end({
        successful: result.successful,
        errorCode: result.successful ? undefined : result.error.code,
        httpStatus: facts.httpStatus,
        entityId,
        connectionId: facts.connection?.id,
      });
    // Every execution passes here: no event object is built when nobody listens.
    if (context.events.hasListeners('action.executed'))
      context.events.emit({
        type: 'action.executed',
        app: facts.app,
        action: facts.action,
        ...(entityId !== undefined ? { entityId } : {}),
        ...(facts.connection ? { connectionId: facts.connection.id } : {}),
        successful: result.successful,
        ...(facts.httpStatus !== undefined ? { httpStatus: facts.httpStatus } : {}),
        ...(result.successful ? {} : { errorCode: result.error.code }),
        durationMs: performance.now() - startedAt,
      });
    return result;
  }

  async function runAction(
    name: string,
    input: unknown,
    executeOptions: ExecuteOptions,
    facts: ExecutionFacts,
  ): Promise<ActionResult> {
    let redactor = createRedactor([]);
    try {
      const { action, connector } = catalogue.findAction(name);
      facts.action = action.name;
      facts.app = connector?.id ?? '';
      facts.trace.identify(facts.app, action.name);
      const validInput = await validateInput(action, input);
      let auth: ResolvedAuth = { source: 'no_auth', parameters: [], secrets: [] };
      if (connector) auth = await resolveAuth(connector, executeOptions, { ...resolveContext, trace: facts.trace });
      else if (executeOptions.auth) checkCustomAuth(executeOptions.auth);
      if (auth.connection) facts.connection = auth.connection;
      redactor = createRedactor(auth.secrets);
      const send = connector
        ? createRequester({
            connector,
            auth,
            http,
            sender: context.sender,
            wrapFetch: facts.trace.wrapFetch,
            signal: executeOptions.signal,
            redactor,
          })
        : undefined;
      const request: ActionContext<unknown>['request'] = send
        ? async (requestOptions) => {
            try {
              const response = await send(requestOptions);
              facts.httpStatus = response.status;
              return response as never;
            } catch (error) {
              if (PlugboardError.isInstance(error) && error.status !== undefined) facts.httpStatus = error.status;
              throw error;
            }
          }
        : async () => {
            throw new PlugboardError(
              'INVALID_DEFINITION',
              `The custom action ${action.name} is bound to no app, so it cannot make authenticated requests.`,
            );
          };
      let data: unknown;
      if (action.run) {
        const context: ActionContext<unknown> = { input: validInput, app: connector?.id ?? '', request };
        if (executeOptions.signal) context.signal = executeOptions.signal;
        if (connector && auth.connection) context.connection = actionConnection(connector, auth.connection);
        data = await action.run(context as ActionContext<never>);
      } else {
        const response = await request(
          mapInputToRequest(action.request as NonNullable<typeof action.request>, validInput),
        );
        data = action.mapResponse ? action.mapResponse(response, validInput as never) : response.data;
      }
      return success(await validateOutput(action, data));
    } catch (error) {
      return failure(PlugboardError.isInstance(error) ? redactError(error, redactor) : error, redactor);
    }
  }

  return {
    executeAction: (name: string, input: unknown, executeOptions: ExecuteOptions = {}): Promise<ActionResult> =>
      runWithAuth(name, input, executeOptions),
    addAuth(app: string, auth: CustomAuth | CredentialProvider): void {
      catalogue.getApp(app);
      if (isCredentialProvider(auth)) {
        appAuth.set(app, auth);
        return;
      }
      checkCustomAuth(auth);
      appAuth.set(
        app,
        structuredClone({ ...auth, parameters: auth.parameters.map((parameter) => ({ ...parameter })) }),
      );
    },
    /** Removes credentials registered with `addAuth`. */
    removeAuth(app: string): boolean {
      return appAuth.delete(app);
    },
    /** A custom action, optionally bound to an app whose credentials its `context.request` uses. */
    createAction<Input extends zc.$ZodType>(definition: CustomActionDefinition<Input>): ActionSummary {
      const connector = definition.app === undefined ? undefined : catalogue.getApp(definition.app);
      const action = defineAction({
        name: definition.name,
        description: definition.description,
        input: definition.input,
        ...(definition.output ? { output: definition.output } : {}),
        ...(definition.tags ? { tags: definition.tags } : {}),
        run: definition.run as never,
      });
      catalogue.registerCustomAction(action, connector);
      return catalogue.summarize(action, connector);
    },
  };
}
