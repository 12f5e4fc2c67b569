import { PlugboardError } from '../errors.js';
import type { RateLimitReader } from '../http/rate-limit.js';
import { httpUrlProblem } from '../http/http-url.js';
import type { Action } from './action.js';
import { AUTH_MODES, PLACEMENTS, type AuthMode, type AuthScheme } from './auth-scheme.js';
import { strategyFor } from '../auth/strategies.js';

/**
 * The connector spec version this core implements, `MAJOR.MINOR`. A connector built for the same
 * major and an equal or lower minor is accepted; anything else is refused at registration.
 */
export const CONNECTOR_SPEC_VERSION = '1.0';

/** What `defineConnector` takes: the app's id, base URL, auth schemes and actions. */
export interface ConnectorDefinition {
  /** Lower-case app id: `github`. Action names start with its upper-case form. */
  id: string;
  /** Display name: `GitHub`. */
  name: string;
  description?: string;
  /** The connector package's own version. */
  version: string;
  /** The connector spec version it implements; use `CONNECTOR_SPEC_VERSION` from the core it was built against. */
  specVersion: string;
  /**
   * May hold `{field}` templates: in the host for subdomain placement (`https://{shop}.myshopify.com/admin/api/2025-07`),
   * in the path for path placement (`https://api.telegram.org/bot{token}`).
   */
  baseUrl: string;
  authSchemes: AuthScheme[];
  /** The hand-written (curated) actions, checked at once. */
  actions: Action[];
  /**
   * More actions, built on first need: a catalogue generated from the vendor's description, too
   * large to build at import. Called at most once, synchronously, the first time a toolset looks
   * up a name the curated actions lack, lists the app's actions or counts them. Curated actions
   * win: a generated action whose name or alias a curated action already uses is left out, so a
   * curated action can take over an operation and keep the generated name as an alias.
   * @example generatedActions: () => loadGeneratedActions()
   */
  generatedActions?: () => readonly Action[];
  /**
   * How many actions `generatedActions` keeps once curated actions have taken over theirs: lets
   * `listApps` count the app's actions without loading its catalogue. Give it when the generator
   * knows the number (write it next to the generated data) and check it in a test against
   * `connector.generatedActions().length`; without it, `listApps` loads the catalogue to count.
   * Once the catalogue is loaded, its real length is counted instead.
   * @example generatedActionCount: GENERATED_ACTION_COUNT
   */
  generatedActionCount?: number;
  /**
   * Reads the vendor's rate-limit answers that are not a plain 429 with `Retry-After` (GitHub's 403
   * with `x-ratelimit-remaining: 0`). A recognised answer is retried after the wait it gives, within
   * `maxRetryAfterMs` and the retry rules for requests that are not idempotent, or else becomes a
   * `RATE_LIMITED` error with `details.retryAfterMs`.
   */
  rateLimit?: RateLimitReader;
  /** Sent with every request of this connector (`Accept`, API version headers). */
  headers?: Record<string, string>;
  /** The scheme used when none is named. @default the first scheme */
  preferredAuthMode?: AuthMode;
  docsUrl?: string;
}

/** A checked connector, as `defineConnector` returns it and `createToolset({ connectors })` takes it. */
export interface Connector
  extends Readonly<Omit<ConnectorDefinition, 'preferredAuthMode' | 'headers' | 'generatedActions'>> {
  readonly preferredAuthMode: AuthMode;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The generated actions, loaded and checked on the first call and the same array after it;
   * those whose name a curated action uses are left out. Absent when the connector has none.
   */
  readonly generatedActions?: () => readonly Action[];
}

const APP_ID = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const SPEC_VERSION = /^(\d+)\.(\d+)$/;

/**
 * Declares a connector. Checks names, schemes and actions at once; spec-version compatibility is
 * checked when a toolset registers it, because that is when the two versions meet.
 */
export function defineConnector(definition: ConnectorDefinition): Connector {
  const where = `connector ${JSON.stringify(definition.id)}`;
  if (typeof definition.id !== 'string' || !APP_ID.test(definition.id)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid ${where}: an app id is lower-case letters, digits and "-" or "_", like "github".`,
    );
  }
  if (!SPEC_VERSION.test(String(definition.specVersion))) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid ${where}: specVersion must look like "1.0", got ${JSON.stringify(definition.specVersion)}.`,
    );
  }
  checkBaseUrl(definition.baseUrl, where);
  const declaredCount = definition.generatedActionCount;
  if (
    declaredCount !== undefined &&
    (!Number.isSafeInteger(declaredCount) || declaredCount < 0 || definition.generatedActions === undefined)
  ) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid ${where}: generatedActionCount must be a whole number of actions, and goes with generatedActions.`,
    );
  }
  if (!Array.isArray(definition.authSchemes) || definition.authSchemes.length === 0) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid ${where}: declare at least one auth scheme (noAuthScheme() for a public API).`,
    );
  }
  const modes = new Set<AuthMode>();
  for (const scheme of definition.authSchemes) {
    checkScheme(scheme, where);
    if (modes.has(scheme.mode))
      throw new PlugboardError('DUPLICATE_DEFINITION', `Invalid ${where}: two auth schemes for ${scheme.mode}.`);
    modes.add(scheme.mode);
  }
  const preferredAuthMode = definition.preferredAuthMode ?? (definition.authSchemes[0] as AuthScheme).mode;
  if (!modes.has(preferredAuthMode)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid ${where}: preferredAuthMode ${preferredAuthMode} has no auth scheme.`,
    );
  }
  const prefix = actionPrefix(definition.id);
  const names = new Set<string>();
  const checkName = (name: string, seen = names) => {
    if (!name.startsWith(prefix)) {
      throw new PlugboardError('INVALID_DEFINITION', `Invalid ${where}: action ${name} must start with ${prefix}.`);
    }
    if (seen.has(name))
      throw new PlugboardError('DUPLICATE_DEFINITION', `Invalid ${where}: the action name ${name} is used twice.`);
    seen.add(name);
  };
  for (const action of definition.actions) {
    for (const name of [action.name, ...action.aliases]) checkName(name);
  }
  const { generatedActions: loadGenerated, ...rest } = definition;
  const curatedNames = names;
  let generated: readonly Action[] | undefined;
  const generatedActions = loadGenerated
    ? (): readonly Action[] => {
        if (generated === undefined) {
          const kept: Action[] = [];
          const seen = new Set(curatedNames);
          for (const action of loadGenerated()) {
            if ([action.name, ...action.aliases].some((name) => curatedNames.has(name))) continue;
            for (const name of [action.name, ...action.aliases]) checkName(name, seen);
            kept.push(action);
          }
          generated = Object.freeze(kept);
        }
        return generated;
      }
    : undefined;
  return Object.freeze({
    ...rest,
    headers: Object.freeze({ ...(definition.headers ?? {}) }),
    preferredAuthMode,
    authSchemes: Object.freeze([...definition.authSchemes]) as AuthScheme[],
    actions: Object.freeze([...definition.actions]) as Action[],
    ...(generatedActions ? { generatedActions } : {}),
  });
}

/** `GITHUB_` for `github`: every action name of the app starts with it. */
export function actionPrefix(appId: string): string {
  return `${appId.toUpperCase().replace(/-/g, '_')}_`;
}

/**
 * Refuses a connector built for another spec version, naming both versions.
 * @see CONNECTOR_SPEC_VERSION
 */
export function assertCompatibleSpecVersion(
  connector: Pick<Connector, 'id' | 'specVersion'>,
  coreVersion: string = CONNECTOR_SPEC_VERSION,
): void {
  const connectorMatch = SPEC_VERSION.exec(String(connector.specVersion));
  const coreMatch = SPEC_VERSION.exec(coreVersion) as RegExpExecArray;
  const compatible =
    connectorMatch !== null && connectorMatch[1] === coreMatch[1] && Number(connectorMatch[2]) <= Number(coreMatch[2]);
  if (!compatible) {
    throw new PlugboardError(
      'INCOMPATIBLE_SPEC_VERSION',
      `Connector "${connector.id}" implements connector spec ${String(connector.specVersion)}, but this @plugboard/core implements spec ${coreVersion}. ` +
        `Install a version of the connector built for spec ${coreMatch[1]}.x (at most ${coreVersion}), or a @plugboard/core that supports spec ${String(connector.specVersion)}.`,
      { details: { connectorSpecVersion: connector.specVersion, coreSpecVersion: coreVersion } },
    );
  }
}

function checkBaseUrl(baseUrl: string, where: string): void {
  // Templates are only allowed in the host, so replace them with a valid label before parsing.
  const probe = typeof baseUrl === 'string' ? baseUrl.replace(/\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x') : '';
  const problem = httpUrlProblem(probe);
  if (problem !== undefined) throw new PlugboardError('INVALID_DEFINITION', `Invalid ${where}: baseUrl ${problem}.`);
}

function checkScheme(scheme: AuthScheme, where: string): void {
  if (!AUTH_MODES.includes(scheme.mode)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid ${where}: unknown auth mode ${JSON.stringify(scheme.mode)}; expected one of ${AUTH_MODES.join(', ')}.`,
    );
  }
  const fieldNames = new Set<string>();
  for (const field of scheme.fields) {
    if (fieldNames.has(field.name))
      throw new PlugboardError(
        'DUPLICATE_DEFINITION',
        `Invalid ${where}: ${scheme.mode} declares the field ${field.name} twice.`,
      );
    fieldNames.add(field.name);
    if (field.pattern !== undefined) {
      try {
        new RegExp(field.pattern);
      } catch {
        throw new PlugboardError(
          'INVALID_DEFINITION',
          `Invalid ${where}: the pattern of field ${field.name} is not a regular expression.`,
        );
      }
    }
  }
  for (const placement of scheme.placements) {
    if (!PLACEMENTS.includes(placement.in)) {
      throw new PlugboardError(
        'INVALID_DEFINITION',
        `Invalid ${where}: ${scheme.mode} places a credential in ${JSON.stringify(placement.in)}; expected one of ${PLACEMENTS.join(', ')}.`,
      );
    }
  }
  // Each mode checks its own settings block (oauth2, oauth1, basicWithJwt, signedAssertion).
  strategyFor(scheme.mode).checkScheme?.(scheme, where);
}
