export { gmail, gmailConnector, GMAIL_BASE_URL } from './gmail-connector.js';
export type { GmailConnectorOptions } from './gmail-connector.js';
export {
  gmailOAuth2Scheme,
  gmailBearerTokenScheme,
  GMAIL_DEFAULT_SCOPES,
  GOOGLE_AUTHORIZATION_URL,
  GOOGLE_TOKEN_URL,
} from './gmail-auth.js';
export { CONNECTOR_VERSION as GMAIL_CONNECTOR_VERSION } from './version.js';
export type { FetchEmailsResult } from './actions/fetch-emails.js';
export type { Email, EmailAttachment } from './message/read-message.js';
export type {
  GmailHeader,
  GmailMessage,
  GmailMessagePart,
  GmailMessagePartBody,
  GmailThread,
} from './message/gmail-types.js';

// MIME building, usable on its own (a message for messages.import, a test fixture).
export { buildMimeMessage, toGmailRaw } from './mime/build-message.js';
export type { BuildOptions, MimeMessageInput } from './mime/build-message.js';
export { parseMailbox } from './mime/address.js';
export type { Mailbox, MailboxInput } from './mime/address.js';
