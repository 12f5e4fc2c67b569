import { strategyFor } from '../auth/strategies.js';
import { PlugboardError } from '../errors.js';
import { REDACTED } from '../redact.js';
import { developerFields, userFields, type AuthField, type AuthMode, type AuthScheme } from '../spec/auth-scheme.js';
import type { Connector } from '../spec/connector.js';
import type { IntegrationRecord } from '../store/store.js';
import { findScheme } from './catalogue.js';
import type { ToolsetContext } from './context.js';
import { checkFieldValues } from './field-values.js';
import { minimalScopeCover } from './required-scopes.js';
import { showConnection } from './connection.js';

/** An integration as the toolset shows it: secret developer fields are redacted. */
export type Integration = IntegrationRecord;

/** What `toolset.createIntegration` takes. */
export interface CreateIntegrationParams {
  app: string;
  /** @default the app's preferred auth mode */
  authMode?: AuthMode;
  /** Developer field values. Omit for an OAuth mode to use the toolset's `oauthApps` entry. */
  authConfig?: Record<string, unknown>;
  /** @default `${app} ${authMode}` */
  name?: string;
  /**
   * The actions this integration offers (names or aliases of the app's actions). For an OAUTH2
   * integration created without `scopes`, its scopes become those these actions need, as
   * `toolset.requiredScopes` computes them; without `actions`, those the connector's curated actions
   * need (not its whole generated catalogue). When those actions declare no scopes, the scheme's
   * `defaultScopes` apply, as before.
   * @example { app: 'gmail', authMode: 'OAUTH2', actions: ['GMAIL_FETCH_EMAILS', 'GMAIL_SEND_EMAIL'], authConfig: { client_id, client_secret } }
   */
  actions?: string[];
}

/** What `toolset.requiredScopes` takes. */
export interface RequiredScopesParams {
  app: string;
  /** Names or aliases of the app's actions. @default every action of the app */
  actions?: readonly string[];
}

/** The fields an end user supplies to connect with a scheme. */
export interface ExpectedParams {
  authScheme: AuthMode;
  expectedParams: AuthField[];
}

const isEmptyScopes = (value: unknown) =>
  value === undefined ||
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'string' && value.trim() === '');

/** Integration CRUD, the scopes their actions need, and the fields a user must supply to connect. */
export function createIntegrations(context: ToolsetContext) {
  const { catalogue, store, oauthApps, clock } = context;

  function showIntegration(record: IntegrationRecord): Integration {
    const scheme = findScheme(catalogue.getApp(record.app), record.authMode);
    const secretNames = new Set(scheme.fields.filter((field) => field.secret).map((field) => field.name));
    const authConfig: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record.authConfig))
      authConfig[name] = secretNames.has(name) ? REDACTED : value;
    return { ...record, authConfig };
  }

  async function createIntegration(params: CreateIntegrationParams): Promise<Integration> {
    return showIntegration(await storeIntegration(params));
  }

  /** Checks and saves an integration, returning the stored record (secrets included). */
  async function storeIntegration(params: CreateIntegrationParams): Promise<IntegrationRecord> {
    const connector = catalogue.getApp(params.app);
    const scheme = findScheme(connector, params.authMode);
    const fields = developerFields(scheme);
    const usesDefaultOAuthApp =
      params.authConfig === undefined &&
      strategyFor(scheme.mode).usesOAuthApps === true &&
      oauthApps[connector.id] !== undefined;
    const subject = `Integration for "${connector.id}" (${scheme.mode})`;
    // With the toolset's default OAuth app, its values are checked here and read at connect time, never copied.
    if (usesDefaultOAuthApp) {
      checkFieldValues(fields, oauthApps[connector.id], {
        code: 'INVALID_AUTH_CONFIG',
        subject: `oauthApps.${connector.id}`,
      });
    }
    const given = usesDefaultOAuthApp ? oauthApps[connector.id] : params.authConfig;
    const wantsScopes = strategyFor(scheme.mode).scopesFromActions === true && isEmptyScopes(given?.['scopes']);
    // Named actions are checked even when scopes are given. Without a list, an integration offers the
    // connector's curated actions: a generated catalogue spans the whole API, and asking for every scope
    // it names (all of Shopify's, full Gmail access) is not a default anyone wants.
    const offered = params.actions ?? connector.actions.map((action) => action.name);
    const scopes =
      params.actions !== undefined || wantsScopes ? requiredScopes({ app: params.app, actions: offered }) : [];
    // No scopes configured: ask for what the offered actions need (nothing to add when they declare none).
    const scopesFromActions = wantsScopes && scopes.length > 0 ? { scopes } : undefined;
    const authConfig = usesDefaultOAuthApp
      ? { ...scopesFromActions }
      : checkFieldValues(
          fields,
          scopesFromActions ? { ...params.authConfig, ...scopesFromActions } : params.authConfig,
          { code: 'INVALID_AUTH_CONFIG', subject },
        );
    const now = clock();
    const record: IntegrationRecord = {
      id: crypto.randomUUID(),
      app: connector.id,
      authMode: scheme.mode,
      name: params.name ?? `${connector.id} ${scheme.mode}`,
      authConfig,
      usesDefaultOAuthApp,
      createdAt: now,
      updatedAt: now,
    };
    await store.saveIntegration(record);
    return record;
  }

  /**
   * The smallest set of OAuth scopes that allows the given actions of an app (all of them when
   * none are named); see `minimalScopeCover` for how the narrowest set is chosen.
   */
  function requiredScopes(params: RequiredScopesParams): string[] {
    const all = catalogue.actionsOf(params.app);
    const offered =
      params.actions === undefined
        ? all
        : params.actions.map((name) => {
            const { action, connector } = catalogue.findAction(name);
            if (connector?.id !== params.app)
              throw new PlugboardError('INVALID_PARAMS', `${name} is not an action of the app "${params.app}".`);
            return action;
          });
    return minimalScopeCover(
      offered.map((action) => action.scopes),
      all.map((action) => action.scopes),
    );
  }

  /** The integration to connect through when `initiateConnection` is given an app. */
  async function integrationForApp(connector: Connector, scheme: AuthScheme): Promise<IntegrationRecord> {
    const existing = (await store.listIntegrations({ app: connector.id })).filter(
      (record) => record.authMode === scheme.mode,
    );
    const newest = existing.at(-1);
    if (newest) return newest;
    const needsDeveloperValues = developerFields(scheme).some((field) => field.required && field.default === undefined);
    const usesOAuthApps = strategyFor(scheme.mode).usesOAuthApps === true;
    if (needsDeveloperValues && !(usesOAuthApps && oauthApps[connector.id])) {
      const missing = developerFields(scheme)
        .filter((field) => field.required && field.default === undefined)
        .map((field) => field.name);
      throw new PlugboardError(
        'INVALID_AUTH_CONFIG',
        `The app "${connector.id}" has no ${scheme.mode} integration yet, and creating one needs ${missing.map((name) => `"${name}"`).join(', ')}. ` +
          `Call toolset.createIntegration({ app: '${connector.id}', authMode: '${scheme.mode}', authConfig: { ... } }) first` +
          (usesOAuthApps ? `, or configure oauthApps.${connector.id} on the toolset.` : '.'),
        { details: { missing } },
      );
    }
    return storeIntegration({ app: connector.id, authMode: scheme.mode });
  }

  async function getExpectedParamsForUser(params: {
    app?: string;
    integrationId?: string;
    authScheme?: AuthMode;
  }): Promise<ExpectedParams> {
    let app = params.app;
    let mode = params.authScheme;
    if (params.integrationId !== undefined) {
      const integration = await context.findIntegration(params.integrationId);
      app = integration.app;
      mode = integration.authMode;
    }
    if (app === undefined)
      throw new PlugboardError('INVALID_PARAMS', 'getExpectedParamsForUser needs an app or an integrationId.');
    const scheme = findScheme(catalogue.getApp(app), mode);
    return { authScheme: scheme.mode, expectedParams: userFields(scheme).map((field) => ({ ...field })) };
  }

  return {
    createIntegration,
    storeIntegration,
    integrationForApp,
    requiredScopes,
    getExpectedParamsForUser,
    getIntegration: async (id: string): Promise<Integration> => showIntegration(await context.findIntegration(id)),
    listIntegrations: async (filter: { app?: string } = {}): Promise<Integration[]> =>
      (await store.listIntegrations(filter)).map(showIntegration),
    async deleteIntegration(id: string): Promise<void> {
      await context.findIntegration(id);
      const connections = await store.listConnections({ integrationId: id });
      await store.deleteIntegration(id);
      for (const connection of connections)
        context.events.emit({ type: 'connection.deleted', connection: showConnection(connection) });
    },
  };
}

export type Integrations = ReturnType<typeof createIntegrations>;
