/** The parts of Gmail's resources this connector reads. @see https://developers.google.com/gmail/api/reference/rest/v1/users.messages */

export interface GmailHeader {
  name: string;
  value: string;
}

export interface GmailMessagePartBody {
  /** Present when the content must be fetched with messages.attachments.get. */
  attachmentId?: string;
  size?: number;
  /** The content, base64url; transfer encodings (quoted-printable, base64) already removed. */
  data?: string;
}

export interface GmailMessagePart {
  partId?: string;
  mimeType?: string;
  filename?: string;
  headers?: GmailHeader[];
  body?: GmailMessagePartBody;
  parts?: GmailMessagePart[];
}

export interface GmailMessage {
  id: string;
  threadId?: string;
  labelIds?: string[];
  snippet?: string;
  historyId?: string;
  /** Milliseconds since the epoch, as a string. */
  internalDate?: string;
  sizeEstimate?: number;
  payload?: GmailMessagePart;
  /** With format=raw: the whole RFC 2822 message, base64url. */
  raw?: string;
}

export interface GmailThread {
  id: string;
  snippet?: string;
  historyId?: string;
  messages?: GmailMessage[];
}
