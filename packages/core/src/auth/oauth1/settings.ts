import { PlugboardError } from '../../errors.js';
import type { AuthScheme, OAuth1Settings } from '../../spec/auth-scheme.js';
import type { Connector } from '../../spec/connector.js';
import { fillHostTemplate } from '../url-template.js';

/** The scheme's OAuth 1.0a settings with `{name}` host templates filled. */
export function oauth1Settings(
  scheme: AuthScheme,
  connector: Connector,
  hostValues: Record<string, string>,
): OAuth1Settings {
  if (!scheme.oauth1)
    throw new PlugboardError('INVALID_DEFINITION', `The OAUTH1 scheme of "${connector.id}" has no oauth1 settings.`);
  return {
    ...scheme.oauth1,
    requestTokenUrl: fillHostTemplate(scheme.oauth1.requestTokenUrl, hostValues),
    authorizationUrl: fillHostTemplate(scheme.oauth1.authorizationUrl, hostValues),
    accessTokenUrl: fillHostTemplate(scheme.oauth1.accessTokenUrl, hostValues),
  };
}

/** The integration's consumer key and secret. */
export function consumerOf(values: Record<string, unknown>): { consumerKey: string; consumerSecret: string } {
  const consumerKey = values['consumer_key'];
  const consumerSecret = values['consumer_secret'];
  if (
    typeof consumerKey !== 'string' ||
    consumerKey === '' ||
    typeof consumerSecret !== 'string' ||
    consumerSecret === ''
  ) {
    throw new PlugboardError('INVALID_AUTH_CONFIG', 'An OAUTH1 integration needs consumer_key and consumer_secret.');
  }
  return { consumerKey, consumerSecret };
}
