import { PlugboardError } from '@plugboard/core';
import { z } from 'zod';
import { parseMailbox, type Mailbox } from '../mime/address.js';
import { bodyTextProblem, headerTextProblem } from '../mime/header-text.js';

/** Gmail's `userId` path parameter, shared by every action. */
export const userIdField = z
  .string()
  .min(1)
  .default('me')
  .describe("The mailbox: the user's email address, or `me` (the default) for the authenticated user.");

export const messageIdField = z
  .string()
  .min(1)
  .describe(
    'The Gmail message ID (the `id` of a message, as returned by GMAIL_FETCH_EMAILS), not the RFC 822 Message-ID header.',
  );
export const threadIdField = z.string().min(1).describe('The Gmail thread ID (the `threadId` of a message).');

export const maxResultsField = (defaultValue: number | undefined, what: string) => {
  const schema = z.number().int().min(1).max(500);
  const description = `Maximum number of ${what} to return, 1 to 500.`;
  return defaultValue === undefined
    ? schema.optional().describe(`${description} Gmail's default is 100.`)
    : schema.default(defaultValue).describe(`${description} Default ${defaultValue}.`);
};

export const listFilterFields = (what: 'messages' | 'threads') => ({
  q: z
    .string()
    .optional()
    .describe(
      `Only return ${what} matching this Gmail search query, the syntax of the Gmail search box: \`from:ada@example.com is:unread newer_than:7d\`.`,
    ),
  labelIds: z
    .array(z.string().min(1))
    .optional()
    .describe(
      `Only return ${what} that have all of these label IDs (\`INBOX\`, \`UNREAD\`, \`STARRED\`, or a user label's ID from GMAIL_LIST_LABELS).`,
    ),
  pageToken: z
    .string()
    .min(1)
    .optional()
    .describe('The nextPageToken of a previous call, to get the next page of results.'),
  includeSpamTrash: z.boolean().optional().describe(`Include ${what} from SPAM and TRASH. Default false.`),
});

function checkedMailbox(label: string) {
  return (
    value: string | { email: string; name?: string | undefined },
    context: z.core.$RefinementCtx<unknown>,
  ): Mailbox => {
    try {
      return parseMailbox(value, label);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: PlugboardError.isInstance(error) ? error.message : `Invalid ${label}.`,
      });
      return z.NEVER;
    }
  };
}

const mailboxInput = () =>
  z.union([
    z.string().describe('`ada@example.com` or `Ada Lovelace <ada@example.com>`.'),
    z
      .object({
        email: z.string().describe('The email address.'),
        name: z.string().optional().describe('The display name, any language.'),
      })
      .describe('An address with an optional display name.'),
  ]);

/** One mailbox, checked and parsed: a line break, a control character or a malformed address fails validation. */
const mailboxField = (label: string) => mailboxInput().transform(checkedMailbox(label));

/** One or more mailboxes, as one value or an array; always parsed to an array. */
export const mailboxListField = (label: string) =>
  z
    .union([mailboxInput(), z.array(mailboxInput()).min(1).max(500)])
    .transform((value, context) =>
      (Array.isArray(value) ? value : [value]).map((item) => checkedMailbox(label)(item, context)),
    );

const subjectField = z
  .string()
  .max(2000)
  .superRefine((value, context) => {
    const problem = headerTextProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: `The subject ${problem}.` });
  });

export const bodyField = (label: string) =>
  z.string().superRefine((value, context) => {
    const problem = bodyTextProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: `The ${label} ${problem}.` });
  });

/** Fields shared by GMAIL_SEND_EMAIL and GMAIL_CREATE_EMAIL_DRAFT. */
export const composeFields = {
  userId: userIdField,
  to: mailboxListField('recipient')
    .optional()
    .describe(
      'Recipients: one address or an array. `ada@example.com`, `Ada Lovelace <ada@example.com>` or `{ email, name }`.',
    ),
  cc: mailboxListField('Cc recipient').optional().describe('Cc recipients, in the same forms as `to`.'),
  bcc: mailboxListField('Bcc recipient')
    .optional()
    .describe('Bcc recipients, in the same forms as `to`; other recipients do not see them.'),
  subject: subjectField.optional().describe('The subject line, any language. Line breaks are refused.'),
  body: bodyField('body').optional().describe('The plain-text body.'),
  htmlBody: bodyField('HTML body')
    .optional()
    .describe(
      'The HTML body. Give `body` too for clients that do not show HTML: the message is then multipart/alternative.',
    ),
  from: mailboxField('sender')
    .optional()
    .describe(
      "The sender, only to send as one of the user's verified send-as aliases; Gmail uses the account's address when omitted.",
    ),
  threadId: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Put the message into this existing thread. Gmail only threads it when the subject matches; use GMAIL_REPLY_TO_THREAD for a proper reply.',
    ),
};

/** Refuses a message without any recipient, before anything is sent. */
export function requireRecipient(
  value: {
    to?: readonly unknown[] | undefined;
    cc?: readonly unknown[] | undefined;
    bcc?: readonly unknown[] | undefined;
  },
  context: z.core.$RefinementCtx<unknown>,
): void {
  if ((value.to?.length ?? 0) + (value.cc?.length ?? 0) + (value.bcc?.length ?? 0) === 0) {
    context.addIssue({ code: 'custom', message: 'Give at least one recipient in to, cc or bcc.', path: ['to'] });
  }
}
