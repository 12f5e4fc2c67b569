import { toJSONSchema, type $ZodType } from 'zod/v4/core';
import { PlugboardError } from '../errors.js';
import type { Action, ActionEffects } from '../spec/action.js';
import type { AuthField, AuthMode, AuthScheme } from '../spec/auth-scheme.js';
import { actionPrefix, assertCompatibleSpecVersion, type Connector } from '../spec/connector.js';

/** One app as `listApps` shows it. */
export interface AppSummary {
  id: string;
  name: string;
  description?: string;
  authModes: AuthMode[];
  actionCount: number;
  version: string;
}

/** One action as `listActions` shows it. */
export interface ActionSummary {
  name: string;
  description: string;
  /** The app id, or `undefined` for a custom action bound to no app. */
  app: string | undefined;
  tags: string[];
  aliases: string[];
  /** JSON Schema (draft 2020-12) of the action's input. */
  inputJsonSchema: Record<string, unknown>;
  /** JSON Schema (draft 2020-12) of the data a successful run returns, when the action declares an output schema. */
  outputJsonSchema?: Record<string, unknown>;
  /** What the action does to the world (read-only, destructive, idempotent), where known. */
  effects: ActionEffects;
  /** OAuth scopes any one of which allows the action; empty when none is needed or known. */
  scopes: string[];
  /** The vendor deprecated the operation; agents are not offered it by default. */
  deprecated: boolean;
}

/** An auth scheme as the catalogue shows it: plain data, no functions. */
export interface AuthSchemeSummary {
  mode: AuthMode;
  displayName: string;
  fields: AuthField[];
  placements: Array<{ in: string; name: string }>;
  oauth2?: AuthScheme['oauth2'];
  oauth1?: AuthScheme['oauth1'];
  basicWithJwt?: AuthScheme['basicWithJwt'];
  signedAssertion?: AuthScheme['signedAssertion'];
}

export interface RegisteredAction {
  action: Action;
  /** `undefined` for a custom action bound to no app. */
  connector: Connector | undefined;
}

/**
 * The registered connectors and an index of every action name and alias. Lookups are one map
 * read, so their cost does not grow with the catalogue; JSON Schemas are built on first use.
 */
export function createCatalogue(connectors: readonly Connector[]) {
  const apps = new Map<string, Connector>();
  const actions = new Map<string, RegisteredAction>();
  const customActionCount = new Map<string, number>();
  const jsonSchemas = new WeakMap<object, Record<string, unknown>>();
  const outputJsonSchemas = new WeakMap<object, Record<string, unknown>>();
  // Bumped whenever the set of actions changes, so an index built over them knows it is stale.
  let revision = 0;

  const indexAction = (action: Action, connector: Connector | undefined) => {
    for (const name of [action.name, ...action.aliases]) {
      if (actions.has(name))
        throw new PlugboardError('DUPLICATE_DEFINITION', `The action name ${name} is already registered.`);
    }
    for (const name of [action.name, ...action.aliases]) actions.set(name, { action, connector });
    revision += 1;
  };

  // Connectors whose generated actions are not indexed yet: loaded on the first lookup that needs them.
  const unloaded = new Set<Connector>();
  const loadGenerated = (connector: Connector) => {
    if (!unloaded.delete(connector)) return;
    for (const action of connector.generatedActions?.() ?? []) indexAction(action, connector);
  };
  const generatedCount = (connector: Connector): number =>
    unloaded.has(connector) ? (connector.generatedActionCount ?? 0) : (connector.generatedActions?.().length ?? 0);
  const loadAll = (appId?: string) => {
    for (const connector of [...unloaded]) if (appId === undefined || connector.id === appId) loadGenerated(connector);
  };

  const registerConnector = (connector: Connector) => {
    assertCompatibleSpecVersion(connector);
    if (apps.has(connector.id))
      throw new PlugboardError('DUPLICATE_DEFINITION', `The app "${connector.id}" is registered twice.`);
    apps.set(connector.id, connector);
    for (const action of connector.actions) indexAction(action, connector);
    if (connector.generatedActions) unloaded.add(connector);
  };

  for (const connector of connectors) registerConnector(connector);

  const getApp = (id: string): Connector => {
    const connector = apps.get(id);
    if (!connector) {
      throw new PlugboardError(
        'APP_NOT_FOUND',
        `No app "${id}" is registered. Registered apps: ${[...apps.keys()].join(', ') || 'none'}.`,
        {
          details: { suggestions: nearest(id, [...apps.keys()]) },
        },
      );
    }
    return connector;
  };

  /**
   * Each registered action once (its aliases share its entry), in registration order: every app's,
   * or one app's. Loads the generated catalogues it needs first.
   */
  const distinctActions = (appId?: string): RegisteredAction[] => {
    loadAll(appId);
    const seen = new Set<Action>();
    const found: RegisteredAction[] = [];
    for (const entry of actions.values()) {
      if (seen.has(entry.action) || (appId !== undefined && entry.connector?.id !== appId)) continue;
      seen.add(entry.action);
      found.push(entry);
    }
    return found;
  };

  const inputJsonSchema = (action: Action): Record<string, unknown> => {
    let schema = jsonSchemas.get(action) ?? action.inputJsonSchema;
    if (!schema) {
      schema = toJSONSchema(action.input as $ZodType, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >;
      jsonSchemas.set(action, schema);
    }
    return schema;
  };

  const outputJsonSchema = (action: Action & { output: $ZodType }): Record<string, unknown> => {
    let schema = outputJsonSchemas.get(action);
    if (!schema) {
      schema = toJSONSchema(action.output, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
      outputJsonSchemas.set(action, schema);
    }
    return schema;
  };

  const summarize = (action: Action, connector: Connector | undefined): ActionSummary => ({
    name: action.name,
    description: action.description,
    app: connector?.id,
    tags: [...action.tags],
    aliases: [...action.aliases],
    inputJsonSchema: inputJsonSchema(action),
    ...(action.output ? { outputJsonSchema: outputJsonSchema(action as Action & { output: $ZodType }) } : {}),
    effects: { ...action.effects },
    scopes: [...action.scopes],
    deprecated: action.deprecated,
  });

  return {
    registerConnector,
    summarize,
    getApp,
    hasApp: (id: string) => apps.has(id),
    apps: () => [...apps.values()],

    registerCustomAction(action: Action, connector: Connector | undefined) {
      indexAction(action, connector);
      if (connector) customActionCount.set(connector.id, (customActionCount.get(connector.id) ?? 0) + 1);
    },

    findAction(name: string): RegisteredAction {
      const lookup = () => actions.get(name) ?? actions.get(name.toUpperCase());
      let found = lookup();
      if (!found && unloaded.size > 0) {
        // The prefix names the app, so a miss loads only that app's generated actions (all, if none matches).
        const upper = name.toUpperCase();
        const owners = [...unloaded].filter((connector) => upper.startsWith(actionPrefix(connector.id)));
        for (const connector of owners.length > 0 ? owners : [...unloaded]) loadGenerated(connector);
        found = lookup();
        if (!found) loadAll();
        found = lookup();
      }
      if (!found) {
        const suggestions = nearest(name, [...actions.keys()]);
        throw new PlugboardError(
          'ACTION_NOT_FOUND',
          `No action named ${name}.${suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : ''}`,
          { details: { suggestions } },
        );
      }
      return found;
    },

    listApps(): AppSummary[] {
      // A connector that declares its generated count is counted without loading its catalogue.
      for (const connector of [...unloaded]) if (connector.generatedActionCount === undefined) loadGenerated(connector);
      return [...apps.values()].map((connector) => ({
        id: connector.id,
        name: connector.name,
        ...(connector.description !== undefined ? { description: connector.description } : {}),
        authModes: connector.authSchemes.map((scheme) => scheme.mode),
        actionCount: connector.actions.length + generatedCount(connector) + (customActionCount.get(connector.id) ?? 0),
        version: connector.version,
      }));
    },

    listActions(
      filter: {
        app?: string | undefined;
        tags?: readonly string[] | undefined;
        names?: readonly string[] | undefined;
      } = {},
    ): ActionSummary[] {
      if (filter.app !== undefined) getApp(filter.app);
      loadAll(filter.app);
      const seen = new Set<Action>();
      const summaries: ActionSummary[] = [];
      for (const { action, connector } of actions.values()) {
        if (seen.has(action)) continue;
        seen.add(action);
        if (filter.app !== undefined && connector?.id !== filter.app) continue;
        if (filter.tags && !filter.tags.some((tag) => action.tags.includes(tag))) continue;
        if (filter.names && !filter.names.some((name) => name === action.name || action.aliases.includes(name)))
          continue;
        summaries.push(summarize(action, connector));
      }
      return summaries;
    },

    /** Every registered action once (aliases folded), generated catalogues loaded. */
    allActions: (): RegisteredAction[] => distinctActions(),

    /** Changes whenever an action is added, generated or custom. */
    revision: () => revision,

    /** Loads every generated catalogue not loaded yet; nothing once all are. */
    loadGenerated: () => loadAll(),

    /** Every action of one app (generated and custom ones included), each once. */
    actionsOf(appId: string): Action[] {
      getApp(appId);
      return distinctActions(appId).map((entry) => entry.action);
    },

    inputJsonSchema,
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;

/** The app's scheme of a mode, if it has one. */
export function schemeOf(connector: Connector, mode: AuthMode): AuthScheme | undefined {
  return connector.authSchemes.find((candidate) => candidate.mode === mode);
}

/** The app's scheme of a mode, or its preferred scheme; `AUTH_SCHEME_NOT_FOUND` when it has none. */
export function findScheme(connector: Connector, mode?: AuthMode): AuthScheme {
  const wanted = mode ?? connector.preferredAuthMode;
  const scheme = schemeOf(connector, wanted);
  if (!scheme) {
    throw new PlugboardError(
      'AUTH_SCHEME_NOT_FOUND',
      `The app "${connector.id}" has no ${wanted} auth scheme; it supports ${connector.authSchemes.map((candidate) => candidate.mode).join(', ')}.`,
    );
  }
  return scheme;
}

export function summarizeScheme(scheme: AuthScheme): AuthSchemeSummary {
  return {
    mode: scheme.mode,
    displayName: scheme.displayName,
    fields: scheme.fields.map((field) => ({ ...field })),
    placements: scheme.placements.map((placement) => ({ in: placement.in, name: placement.name })),
    ...(scheme.oauth2 ? { oauth2: plainOAuth2(scheme.oauth2) } : {}),
    ...(scheme.oauth1 ? { oauth1: structuredClone(scheme.oauth1) } : {}),
    ...(scheme.basicWithJwt ? { basicWithJwt: { ...scheme.basicWithJwt } } : {}),
    ...(scheme.signedAssertion ? { signedAssertion: structuredClone(scheme.signedAssertion) } : {}),
  };
}

/** OAuth 2.0 settings as data: the callback verifier is code, not something to show. */
function plainOAuth2(settings: NonNullable<AuthScheme['oauth2']>): NonNullable<AuthScheme['oauth2']> {
  const { verifyCallback: _verifyCallback, ...data } = settings;
  return structuredClone(data);
}

/** Up to three names closest to `name` by edit distance, for "did you mean" hints. */
export function nearest(name: string, candidates: readonly string[]): string[] {
  const target = name.toUpperCase();
  const limit = Math.max(3, Math.floor(target.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(target, candidate.toUpperCase()) }))
    .filter((entry) => entry.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((entry) => entry.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
