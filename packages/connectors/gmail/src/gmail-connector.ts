import { CONNECTOR_SPEC_VERSION, defineConnector, type Connector } from '@plugboard/core';
import { gmailMethodAction } from './actions/gmail-method.js';
import { curatedActions } from './actions/index.js';
import { DEFAULT_UPLOAD_THRESHOLD_BYTES } from './actions/media-upload.js';
import { gmailMethods } from './generated/gmail-methods.js';
import { GMAIL_METHOD_COUNT } from './generated/gmail-method-count.js';
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
  /**
   * Above this many bytes, the RFC 822 message of GMAIL_SEND_MESSAGE, GMAIL_INSERT_MESSAGE,
   * GMAIL_IMPORT_MESSAGE, GMAIL_UPDATE_DRAFT and GMAIL_SEND_DRAFT goes through Google's upload
   * endpoint (`/upload/gmail/v1/...?uploadType=multipart`) instead of a JSON body.
   * @default 4194304 (4 MiB)
   */
  uploadThresholdBytes?: number;
}

// The methods a curated action takes over (its name or alias is the method's generated name), so
// that listApps counts the catalogue without building it; a test checks it against the catalogue.
const METHODS_TAKEN_OVER = 8;

/** Builds the Gmail connector; `gmail` is this with the defaults. */
export function gmailConnector(options: GmailConnectorOptions = {}): Connector {
  const baseUrl = options.baseUrl ?? GMAIL_BASE_URL;
  const generatedOptions = {
    baseUrl,
    uploadThresholdBytes: options.uploadThresholdBytes ?? DEFAULT_UPLOAD_THRESHOLD_BYTES,
  };
  return defineConnector({
    id: 'gmail',
    name: 'Gmail',
    description:
      "Read, search, send, draft and reply to email in a user's Gmail account; manage labels, threads and trash.",
    version: CONNECTOR_VERSION,
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    headers: { Accept: 'application/json' },
    authSchemes: [gmailOAuth2Scheme(), gmailBearerTokenScheme()],
    preferredAuthMode: 'OAUTH2',
    docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest',
    actions: curatedActions,
    // Every method of Google's discovery document, built the first time the catalogue needs them.
    generatedActions: () => gmailMethods().map((method) => gmailMethodAction(method, generatedOptions)),
    generatedActionCount: GMAIL_METHOD_COUNT - METHODS_TAKEN_OVER,
  });
}

/** The Gmail connector. @example createToolset({ connectors: [gmail] }) */
export const gmail: Connector = gmailConnector();
