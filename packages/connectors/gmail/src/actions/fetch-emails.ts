import { PlugboardError, defineAction } from '@plugboard/core';
import { z } from 'zod';
import { gmailScopes } from '../gmail-auth.js';
import type { GmailMessage } from '../message/gmail-types.js';
import { simplifyMessage, type Email } from '../message/read-message.js';
import { mapWithConcurrency } from './concurrency.js';
import { listFilterFields, maxResultsField, userIdField } from './fields.js';

/** The headers asked for when only metadata is fetched. */
const METADATA_HEADERS = ['Subject', 'From', 'To', 'Cc', 'Date'] as const;

/**
 * How many messages.get calls run at once. Each costs 5 of the 250 quota units a user may spend
 * per second, so 8 in flight stays well inside the per-user limit.
 */
const FETCH_CONCURRENCY = 8;

interface ListMessagesResponse {
  messages?: Array<{ id: string; threadId?: string }>;
  nextPageToken?: string;
  resultSizeEstimate?: number;
}

export interface FetchEmailsResult {
  messages: Email[];
  /** Pass as `pageToken` for the next page; null on the last page. */
  nextPageToken: string | null;
  /** Gmail's estimate of the total number of matching messages. */
  resultSizeEstimate: number;
}

export const fetchEmails = defineAction({
  name: 'GMAIL_FETCH_EMAILS',
  description:
    "Lists the user's emails, newest first, filtered by a Gmail search query and labels, and reads each one: id, thread id, subject, sender, recipients, date, snippet, plain-text body, labels and attachments, plus the token of the next page.",
  tags: ['email', 'read'],
  effects: { readOnly: true, idempotent: true },
  // messages.list and messages.get with format=full, which the metadata scope does not allow.
  scopes: gmailScopes('full', 'modify', 'readonly'),
  input: () =>
    z.object({
      userId: userIdField,
      ...listFilterFields('messages'),
      maxResults: maxResultsField(10, 'messages'),
      includePayload: z
        .boolean()
        .default(true)
        .describe(
          'Read the whole message (format=full) to return its plain-text `body` and attachments. false reads headers only (format=metadata): faster, and `body` is empty. Default true.',
        ),
    }),
  run: async ({ input, request }): Promise<FetchEmailsResult> => {
    const list = await request<ListMessagesResponse>({
      method: 'GET',
      path: '/users/{userId}/messages',
      pathParams: { userId: input.userId },
      query: {
        q: input.q,
        labelIds: input.labelIds,
        maxResults: input.maxResults,
        pageToken: input.pageToken,
        includeSpamTrash: input.includeSpamTrash,
      },
    });
    const listed = list.data?.messages ?? [];
    const format = input.includePayload
      ? { format: 'full' }
      : { format: 'metadata', metadataHeaders: [...METADATA_HEADERS] };
    const messages = await mapWithConcurrency(listed, FETCH_CONCURRENCY, async ({ id }) => {
      try {
        const response = await request<GmailMessage>({
          method: 'GET',
          path: '/users/{userId}/messages/{id}',
          pathParams: { userId: input.userId, id },
          query: format,
        });
        return simplifyMessage(response.data);
      } catch (error) {
        // Deleted between the list and the read: it is simply no longer there.
        if (PlugboardError.isInstance(error) && error.code === 'UPSTREAM_ERROR' && error.status === 404)
          return undefined;
        throw error;
      }
    });
    return {
      messages: messages.filter((message): message is Email => message !== undefined),
      nextPageToken: list.data?.nextPageToken ?? null,
      resultSizeEstimate: list.data?.resultSizeEstimate ?? 0,
    };
  },
});
