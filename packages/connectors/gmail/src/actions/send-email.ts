import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { gmailScopes } from '../gmail-auth.js';
import type { Mailbox } from '../mime/address.js';
import { buildMimeMessage, toGmailRaw } from '../mime/build-message.js';
import { composeFields, requireRecipient } from './fields.js';

export interface ComposeInput {
  from?: Mailbox | undefined;
  to?: Mailbox[] | undefined;
  cc?: Mailbox[] | undefined;
  bcc?: Mailbox[] | undefined;
  subject?: string | undefined;
  body?: string | undefined;
  htmlBody?: string | undefined;
}

/** The `raw` field for a composed message. */
export function composeRaw(input: ComposeInput, reply: { inReplyTo?: string; references?: string[] } = {}): string {
  return toGmailRaw(
    buildMimeMessage({
      from: input.from,
      to: input.to,
      cc: input.cc,
      bcc: input.bcc,
      subject: input.subject,
      text: input.body,
      html: input.htmlBody,
      inReplyTo: reply.inReplyTo,
      references: reply.references,
    }),
  );
}

export const sendEmail = defineAction({
  name: 'GMAIL_SEND_EMAIL',
  description:
    "Sends an email from the user's Gmail account to To, Cc and Bcc recipients, with a subject and a plain-text and/or HTML body. Returns the sent message's id, threadId and labelIds.",
  tags: ['email', 'send', 'write'],
  effects: { readOnly: false, destructive: false, idempotent: false },
  scopes: gmailScopes('full', 'compose', 'modify', 'send'),
  input: () => z.object(composeFields).superRefine(requireRecipient),
  run: async ({ input, request }) => {
    const response = await request({
      method: 'POST',
      path: '/users/{userId}/messages/send',
      pathParams: { userId: input.userId },
      body: { raw: composeRaw(input), ...(input.threadId !== undefined ? { threadId: input.threadId } : {}) },
    });
    return response.data;
  },
});

export const createEmailDraft = defineAction({
  name: 'GMAIL_CREATE_EMAIL_DRAFT',
  description:
    "Saves an email as a draft in the user's Gmail account (with the DRAFT label), to review and send later. Recipients are optional. Returns the draft's id and its message's id, threadId and labelIds.",
  aliases: ['GMAIL_CREATE_DRAFT'],
  tags: ['email', 'draft', 'write'],
  effects: { readOnly: false, destructive: false, idempotent: false },
  scopes: gmailScopes('full', 'compose', 'modify'),
  input: () => z.object(composeFields),
  run: async ({ input, request }) => {
    const response = await request({
      method: 'POST',
      path: '/users/{userId}/drafts',
      pathParams: { userId: input.userId },
      body: {
        message: { raw: composeRaw(input), ...(input.threadId !== undefined ? { threadId: input.threadId } : {}) },
      },
    });
    return response.data;
  },
});
