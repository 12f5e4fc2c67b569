import { PlugboardError, defineAction, type ActionContext } from '@plugboard/core';
import { z } from 'zod';
import { gmailScopes } from '../gmail-auth.js';
import type { GmailMessage, GmailThread } from '../message/gmail-types.js';
import { headerValue } from '../message/read-message.js';
import { parseMailbox, splitAddressList, type Mailbox } from '../mime/address.js';
import { composeRaw } from './send-email.js';
import { bodyField, mailboxListField, messageIdField, threadIdField, userIdField } from './fields.js';

/** The headers a reply is built from. */
const REPLY_HEADERS = ['Subject', 'From', 'Reply-To', 'To', 'Cc', 'Message-ID', 'References'] as const;

// RFC 5322 msg-ids, as they appear in Message-ID and References.
const MESSAGE_IDS = /<[\x21-\x3b\x3d\x3f-\x7e]+>/g;
// References can grow with every reply; RFC 5322 section 3.6.4 allows trimming, keeping the first.
const MAX_REFERENCES = 20;

export const replyToThread = defineAction({
  name: 'GMAIL_REPLY_TO_THREAD',
  description:
    'Replies in an existing Gmail thread: the reply answers the thread\'s latest message (or `messageId`), keeps its subject with "Re: ", sets In-Reply-To and References so every mail client threads it, and goes to the original sender (Reply-To, else From; the original recipients when the user sent it) unless `to` is given.',
  tags: ['email', 'send', 'write'],
  effects: { readOnly: false, destructive: false, idempotent: false },
  // threads.get (or messages.get) and messages.send: the scopes both allow.
  scopes: gmailScopes('full', 'modify'),
  input: () =>
    z.object({
      userId: userIdField,
      threadId: threadIdField,
      messageId: messageIdField
        .optional()
        .describe(
          "The Gmail ID of the message to answer; it must be in the thread. Default: the thread's latest message that is not a draft.",
        ),
      body: bodyField('body').optional().describe('The plain-text body of the reply.'),
      htmlBody: bodyField('HTML body')
        .optional()
        .describe('The HTML body of the reply. With `body` too, the reply is multipart/alternative.'),
      to: mailboxListField('recipient')
        .optional()
        .describe(
          'Recipients instead of the original sender: one address or an array (`ada@example.com`, `Ada <ada@example.com>` or `{ email, name }`).',
        ),
      cc: mailboxListField('Cc recipient').optional().describe('Cc recipients, in the same forms as `to`.'),
      bcc: mailboxListField('Bcc recipient').optional().describe('Bcc recipients, in the same forms as `to`.'),
    }),
  run: async ({ input, request }) => {
    const userId = input.userId;
    const original =
      input.messageId !== undefined
        ? await readMessage(request, userId, input.messageId)
        : await latestInThread(request, userId, input.threadId);
    if (original.threadId !== undefined && original.threadId !== input.threadId) {
      throw new PlugboardError(
        'INVALID_PARAMS',
        `Message ${original.id} belongs to thread ${original.threadId}, not ${input.threadId}.`,
      );
    }
    const messageIdHeader = headerValue(original.payload, 'Message-ID')?.trim() ?? '';
    if (!/^<[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(messageIdHeader)) {
      throw new PlugboardError(
        'INVALID_RESPONSE',
        `Message ${original.id} has no usable Message-ID header, so a reply to it cannot be threaded.`,
      );
    }
    const earlier = (headerValue(original.payload, 'References') ?? '').match(MESSAGE_IDS) ?? [];
    let references = [...earlier.filter((id) => id !== messageIdHeader), messageIdHeader];
    if (references.length > MAX_REFERENCES)
      references = [references[0] as string, ...references.slice(-(MAX_REFERENCES - 1))];

    const subject = headerValue(original.payload, 'Subject') ?? '';
    const to = input.to ?? defaultRecipients(original);
    if (to.length === 0) {
      throw new PlugboardError(
        'INVALID_PARAMS',
        `Message ${original.id} has no sender address to reply to; give \`to\`.`,
      );
    }
    const raw = composeRaw(
      {
        to,
        cc: input.cc,
        bcc: input.bcc,
        subject: /^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`,
        body: input.body,
        htmlBody: input.htmlBody,
      },
      { inReplyTo: messageIdHeader, references },
    );
    const response = await request({
      method: 'POST',
      path: '/users/{userId}/messages/send',
      pathParams: { userId },
      body: { raw, threadId: input.threadId },
    });
    return response.data;
  },
});

type Request = ActionContext<unknown>['request'];

async function readMessage(request: Request, userId: string, id: string): Promise<GmailMessage> {
  const response = await request<GmailMessage>({
    method: 'GET',
    path: '/users/{userId}/messages/{id}',
    pathParams: { userId, id },
    query: { format: 'metadata', metadataHeaders: [...REPLY_HEADERS] },
  });
  return response.data;
}

async function latestInThread(request: Request, userId: string, threadId: string): Promise<GmailMessage> {
  const response = await request<GmailThread>({
    method: 'GET',
    path: '/users/{userId}/threads/{id}',
    pathParams: { userId, id: threadId },
    query: { format: 'metadata', metadataHeaders: [...REPLY_HEADERS] },
  });
  // Gmail lists a thread's messages oldest first.
  const latest = (response.data.messages ?? []).filter((message) => !(message.labelIds ?? []).includes('DRAFT')).at(-1);
  if (!latest) throw new PlugboardError('INVALID_PARAMS', `Thread ${threadId} has no message to reply to.`);
  return latest;
}

/** Reply-To, else From; for a message the user sent, its recipients. Unparseable entries are skipped. */
function defaultRecipients(original: GmailMessage): Mailbox[] {
  const sentByUser = (original.labelIds ?? []).includes('SENT');
  const source = sentByUser
    ? headerValue(original.payload, 'To')
    : (headerValue(original.payload, 'Reply-To') ?? headerValue(original.payload, 'From'));
  const mailboxes: Mailbox[] = [];
  for (const item of splitAddressList(source ?? '')) {
    try {
      mailboxes.push(parseMailbox(item, 'original sender'));
    } catch {
      // An address this connector would refuse to write is not guessed at.
    }
  }
  return mailboxes;
}
