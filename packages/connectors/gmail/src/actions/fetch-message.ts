import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { gmailScopes } from '../gmail-auth.js';
import type { GmailMessage } from '../message/gmail-types.js';
import { simplifyMessage } from '../message/read-message.js';
import { messageIdField, userIdField } from './fields.js';

export const fetchMessageByMessageId = defineAction({
  name: 'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
  description:
    'Reads one email by its Gmail message ID: subject, sender, recipients, date, snippet, plain-text body, labels and attachments; with format=full also the MIME part tree (`payload`), with format=raw the whole message (`raw`, base64url).',
  aliases: ['GMAIL_GET_MESSAGE'],
  tags: ['email', 'read'],
  effects: { readOnly: true, idempotent: true },
  // format=full and raw are refused with the metadata scope, so it is not offered.
  scopes: gmailScopes('full', 'modify', 'readonly'),
  input: () =>
    z.object({
      userId: userIdField,
      messageId: messageIdField,
      format: z
        .enum(['full', 'metadata', 'minimal', 'raw'])
        .default('full')
        .describe(
          'full (default): headers and body; metadata: headers only; minimal: id and labels only; raw: the RFC 2822 message in `raw`.',
        ),
      metadataHeaders: z
        .array(z.string().min(1))
        .optional()
        .describe('With format=metadata, only these headers (`Subject`, `From`, ...).'),
    }),
  request: { method: 'GET', path: '/users/{userId}/messages/{messageId}', query: ['format', 'metadataHeaders'] },
  mapResponse: (response, input) => {
    const message = response.data as GmailMessage;
    return {
      ...simplifyMessage(message),
      historyId: message.historyId,
      sizeEstimate: message.sizeEstimate,
      ...(input.format === 'full' && message.payload !== undefined ? { payload: message.payload } : {}),
      ...(input.format === 'raw' && message.raw !== undefined ? { raw: message.raw } : {}),
    };
  },
});
