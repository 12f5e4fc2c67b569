import { PlugboardError } from '../../errors.js';
import { toTemplateValues } from '../../toolset/field-values.js';
import { storeConnection } from '../connection-record.js';
import type { FlowDeps, FlowResult, FlowStart, ObtainedCredentials, RefreshContext } from '../strategy.js';
import { fillHostTemplate } from '../url-template.js';
import { exchangeBasicForJwt } from './exchange-token.js';

/** Basic with JWT: the login is checked by a first exchange, so a wrong password fails at once. */
export async function connectBasicWithJwt(deps: FlowDeps, start: FlowStart): Promise<FlowResult> {
  const settings = start.scheme.basicWithJwt;
  if (!settings)
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `The BASIC_WITH_JWT scheme of "${start.connector.id}" has no basicWithJwt settings.`,
    );
  const hostValues = toTemplateValues({ ...deps.integrationValues(start.integration), ...start.userValues });
  let result;
  try {
    result = await exchangeBasicForJwt({
      settings,
      tokenUrl: fillHostTemplate(settings.tokenUrl, hostValues),
      username: start.userValues['username'] ?? '',
      password: start.userValues['password'] ?? '',
      fetch: deps.fetch,
      http: deps.http,
    });
  } catch (error) {
    if (PlugboardError.isInstance(error) && error.code === 'NEEDS_REAUTH') {
      throw new PlugboardError('INVALID_CONNECTION_PARAMS', `${error.message} Check the username and password.`, {
        status: error.status,
      });
    }
    throw error;
  }
  const connection = await storeConnection(
    deps,
    start,
    'ACTIVE',
    { ...start.userValues, access_token: result.accessToken },
    result.expiresAt,
  );
  return { connection };
}

/** A new JWT from the stored username and password. */
export async function refreshBasicWithJwt(context: RefreshContext): Promise<ObtainedCredentials> {
  const settings = context.scheme.basicWithJwt;
  if (!settings)
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `The BASIC_WITH_JWT scheme of "${context.connector.id}" has no basicWithJwt settings.`,
    );
  const { credentials } = context.connection;
  const result = await exchangeBasicForJwt({
    settings,
    tokenUrl: fillHostTemplate(settings.tokenUrl, context.hostValues),
    username: credentials['username'] ?? '',
    password: credentials['password'] ?? '',
    fetch: context.fetch,
    http: { ...context.http, retries: 0 },
  });
  return { credentials: { ...credentials, access_token: result.accessToken }, expiresAt: result.expiresAt };
}
