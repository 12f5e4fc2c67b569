import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { gmailScopes } from '../gmail-auth.js';
import { listFilterFields, maxResultsField, messageIdField, userIdField } from './fields.js';

export const listLabels = defineAction({
  name: 'GMAIL_LIST_LABELS',
  description:
    "Lists the labels of the user's mailbox, system (INBOX, SENT, UNREAD, ...) and user-made, each with its id, name, type and visibility. Label IDs are what the other actions take.",
  tags: ['labels', 'read'],
  effects: { readOnly: true, idempotent: true },
  scopes: gmailScopes('full', 'labels', 'metadata', 'modify', 'readonly'),
  input: () => z.object({ userId: userIdField }),
  request: 'GET /users/{userId}/labels',
  mapResponse: (response) => ({ labels: (response.data as { labels?: unknown[] } | null)?.labels ?? [] }),
});

const labelIdList = (verb: string) =>
  z
    .array(z.string().min(1))
    .max(100)
    .optional()
    .describe(
      `Label IDs to ${verb}, at most 100: system labels such as \`UNREAD\`, \`STARRED\`, \`IMPORTANT\`, \`INBOX\`, or user label IDs from GMAIL_LIST_LABELS.`,
    );

export const addLabelToEmail = defineAction({
  name: 'GMAIL_ADD_LABEL_TO_EMAIL',
  description:
    'Adds and/or removes labels on one email: star it (add STARRED), mark it read (remove UNREAD), archive it (remove INBOX) or file it under a user label. Returns the message with its new labelIds.',
  aliases: ['GMAIL_MODIFY_EMAIL_LABELS', 'GMAIL_MODIFY_MESSAGE'],
  tags: ['labels', 'write'],
  effects: { readOnly: false, destructive: false, idempotent: true },
  scopes: gmailScopes('full', 'modify'),
  input: () =>
    z
      .object({
        userId: userIdField,
        messageId: messageIdField,
        addLabelIds: labelIdList('add'),
        removeLabelIds: labelIdList('remove'),
      })
      .superRefine((value, context) => {
        if ((value.addLabelIds?.length ?? 0) + (value.removeLabelIds?.length ?? 0) === 0) {
          context.addIssue({
            code: 'custom',
            message: 'Give at least one label ID in addLabelIds or removeLabelIds.',
            path: ['addLabelIds'],
          });
        }
      }),
  request: 'POST /users/{userId}/messages/{messageId}/modify',
});

export const listThreads = defineAction({
  name: 'GMAIL_LIST_THREADS',
  description:
    "Lists the user's conversations (threads), newest first, filtered by a Gmail search query and labels: each with its id, snippet and historyId, plus the token of the next page.",
  tags: ['email', 'threads', 'read'],
  effects: { readOnly: true, idempotent: true },
  scopes: gmailScopes('full', 'metadata', 'modify', 'readonly'),
  input: () =>
    z.object({
      userId: userIdField,
      ...listFilterFields('threads'),
      maxResults: maxResultsField(undefined, 'threads'),
    }),
  request: 'GET /users/{userId}/threads',
  mapResponse: (response) => {
    const data = (response.data ?? {}) as { threads?: unknown[]; nextPageToken?: string; resultSizeEstimate?: number };
    return {
      threads: data.threads ?? [],
      nextPageToken: data.nextPageToken ?? null,
      resultSizeEstimate: data.resultSizeEstimate ?? 0,
    };
  },
});

export const moveToTrash = defineAction({
  name: 'GMAIL_MOVE_TO_TRASH',
  description:
    'Moves one email to the trash (Gmail deletes it for good after 30 days). Returns the message with its new labelIds, which include TRASH.',
  aliases: ['GMAIL_TRASH_MESSAGE'],
  tags: ['email', 'write'],
  // Reversible (GMAIL_UNTRASH_MESSAGE) for 30 days, so not destructive.
  effects: { readOnly: false, destructive: false, idempotent: true },
  scopes: gmailScopes('full', 'modify'),
  input: () => z.object({ userId: userIdField, messageId: messageIdField }),
  request: 'POST /users/{userId}/messages/{messageId}/trash',
});

export const getProfile = defineAction({
  name: 'GMAIL_GET_PROFILE',
  description:
    "Gets the Gmail profile of the user: email address, total messages, total threads and the mailbox's current historyId.",
  tags: ['account', 'read'],
  effects: { readOnly: true, idempotent: true },
  scopes: gmailScopes('full', 'compose', 'metadata', 'modify', 'readonly'),
  input: () => z.object({ userId: userIdField }),
  request: 'GET /users/{userId}/profile',
});
