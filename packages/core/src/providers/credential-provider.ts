import type { CustomAuth } from '../spec/auth-scheme.js';

/** Who credentials are asked for. */
export interface CredentialRequest {
  /** The app id the call goes to. */
  app: string;
  /** The entity the call acts for (`'default'` when none was given). */
  entityId: string;
  /**
   * True when the API refused the credentials this provider gave last time: skip any cache of
   * your own and ask for a fresh token.
   */
  forceRefresh?: boolean | undefined;
}

/** Custom auth with an optional expiry; the toolset caches it until shortly before then. */
export interface ProvidedCredentials extends CustomAuth {
  /**
   * When the credentials stop working: a `Date`, an ISO string or epoch milliseconds.
   * Without it the toolset asks the provider again on every call.
   */
  expiresAt?: Date | string | number | undefined;
}

/**
 * Supplies credentials from somewhere outside the toolset's store: a secrets manager, a token
 * vault such as Descope's outbound apps, your own database. Register one with
 * `toolset.addAuth(app, provider)`.
 * @example
 * const provider = defineCredentialProvider({
 *   name: 'vault',
 *   async getCredentials({ entityId }) {
 *     const token = await vault.read(`github/${entityId}`);
 *     return { parameters: [{ in: 'header', name: 'Authorization', value: `Bearer ${token.value}` }], expiresAt: token.expiresAt };
 *   },
 * });
 */
export interface CredentialProvider {
  /** A short name for errors and logs: `'descope'`. */
  readonly name: string;
  getCredentials(request: CredentialRequest): Promise<ProvidedCredentials>;
}

const providerMarker = Symbol.for('plugboard.credential-provider');

/** Marks an object as a credential provider, so `addAuth` can tell it from plain custom auth. */
export function defineCredentialProvider(provider: CredentialProvider): CredentialProvider {
  const marked = { name: provider.name, getCredentials: provider.getCredentials.bind(provider) };
  Object.defineProperty(marked, providerMarker, { value: true, enumerable: false });
  return Object.freeze(marked);
}

export function isCredentialProvider(value: unknown): value is CredentialProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as Record<symbol, unknown>)[providerMarker] === true ||
      (typeof (value as CredentialProvider).getCredentials === 'function' && !('parameters' in value)))
  );
}
