import type { Action } from '@plugboard/core';
import { getBoard, getBoardLists, getMemberBoards } from './boards.js';
import { addComment, createCard, getCard, listCards, updateCard } from './cards.js';

/** Every Trello action, in README order. */
export const trelloActions: readonly Action[] = [
  getMemberBoards,
  getBoard,
  getBoardLists,
  listCards,
  getCard,
  createCard,
  updateCard,
  addComment,
] as Action[];
