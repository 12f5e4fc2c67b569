import type { Action } from '@plugboard/core';
import { getAttachment } from './attachments.js';
import { fetchEmails } from './fetch-emails.js';
import { fetchMessageByMessageId } from './fetch-message.js';
import { addLabelToEmail, getProfile, listLabels, listThreads, moveToTrash } from './labels-and-threads.js';
import { replyToThread } from './reply-to-thread.js';
import { createEmailDraft, sendEmail } from './send-email.js';

/** The hand-written actions, in the order the catalogue lists them; they win over generated ones for their methods. */
export const curatedActions: Action[] = [
  fetchEmails,
  fetchMessageByMessageId,
  sendEmail,
  createEmailDraft,
  replyToThread,
  listLabels,
  addLabelToEmail,
  listThreads,
  moveToTrash,
  getProfile,
  getAttachment,
];
