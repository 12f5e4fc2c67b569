import { PlugboardError, defineAction } from '@plugboard/core';
import { z } from 'zod';
import { gmailScopes } from '../gmail-auth.js';
import { base64ToBytes, bytesToBase64 } from '../mime/base64.js';
import { messageIdField, userIdField } from './fields.js';

/** What GMAIL_GET_ATTACHMENT returns. */
export interface AttachmentContent {
  attachmentId: string;
  /** Size in bytes of the decoded content. */
  size: number;
  /** How `data` is written: Gmail's base64url (`decode: 'none'`), standard base64, or UTF-8 text. */
  encoding: 'base64url' | 'base64' | 'text';
  data: string;
}

export const getAttachment = defineAction({
  name: 'GMAIL_GET_ATTACHMENT',
  description:
    "Gets the content of one attachment of an email (its attachmentId is in the message's `attachments`, from GMAIL_FETCH_EMAILS or GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID). Gmail sends it base64url-encoded; `decode: 'base64'` returns standard base64 and `decode: 'text'` the content as UTF-8 text.",
  tags: ['email', 'attachments', 'read'],
  effects: { readOnly: true, idempotent: true },
  scopes: gmailScopes('full', 'addons.current.message.action', 'addons.current.message.readonly', 'modify', 'readonly'),
  input: () =>
    z.object({
      userId: userIdField,
      messageId: messageIdField,
      id: z.string().min(1).describe("The attachment's attachmentId, from the message's attachments."),
      decode: z
        .enum(['none', 'base64', 'text'])
        .default('none')
        .describe(
          'none (default): the data as Gmail sends it, base64url; base64: standard base64 (what most file APIs take); text: decoded as UTF-8 text, for text attachments (.txt, .csv, .ics), refused when the bytes are not UTF-8.',
        ),
    }),
  run: async ({ input, request }): Promise<AttachmentContent> => {
    const response = await request<{ size?: number; data?: string }>({
      method: 'GET',
      path: '/users/{userId}/messages/{messageId}/attachments/{id}',
      pathParams: { userId: input.userId, messageId: input.messageId, id: input.id },
    });
    const data = response.data?.data ?? '';
    if (input.decode === 'none') {
      return { attachmentId: input.id, size: response.data?.size ?? 0, encoding: 'base64url', data };
    }
    const bytes = base64ToBytes(data);
    if (bytes === undefined)
      throw new PlugboardError(
        'INVALID_RESPONSE',
        `Gmail answered attachment ${input.id} with data that is not base64url.`,
      );
    if (input.decode === 'base64')
      return { attachmentId: input.id, size: bytes.length, encoding: 'base64', data: bytesToBase64(bytes) };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new PlugboardError(
        'INVALID_PARAMS',
        `Attachment ${input.id} is not UTF-8 text (${bytes.length} bytes); ask for decode: 'base64' instead.`,
      );
    }
    return { attachmentId: input.id, size: bytes.length, encoding: 'text', data: text };
  },
});
