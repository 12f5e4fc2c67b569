import { CONNECTOR_SPEC_VERSION, defineConnector, type Connector } from '@plugboard/core';
import { curatedActions } from './actions/index.js';
import { gmailBearerTokenScheme, gmailOAuth2Scheme } from './gmail-auth.js';
import { CONNECTOR_VERSION } from './version.js';

/** The Gmail API v1 base URL. */
export const GMAIL_BASE_URL = 'https://gmail.googleapis.com/gmail/v1';

export interface GmailConnectorOptions {
  /**
   * The Gmail API base URL, up to and including the version.
   * @default 'https://gmail.googleapis.com/gmail/v1'
   * @example 'http://127.0.0.1:8080/gmail/v1' // a local fake in tests
   */
  baseUrl?: string;
}

/** Builds the Gmail connector; `gmail` is this with the defaults. */
export function gmailConnector(options: GmailConnectorOptions = {}): Connector {
  return defineConnector({
    id: 'gmail',
    name: 'Gmail',
    description:
      "Read, search, send, draft and reply to email in a user's Gmail account; manage labels, threads and trash.",
    version: CONNECTOR_VERSION,
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: options.baseUrl ?? GMAIL_BASE_URL,
    headers: { Accept: 'application/json' },
    authSchemes: [gmailOAuth2Scheme(), gmailBearerTokenScheme()],
    preferredAuthMode: 'OAUTH2',
    docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest',
    actions: curatedActions,
  });
}

/** The Gmail connector. @example createToolset({ connectors: [gmail] }) */
export const gmail: Connector = gmailConnector();
