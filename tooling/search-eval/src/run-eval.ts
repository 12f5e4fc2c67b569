import { createToolset, type Toolset } from '@plugboard/core';
import { github } from '@plugboard/github';
import { gmail } from '@plugboard/gmail';
import { shopify } from '@plugboard/shopify';
import { trello } from '@plugboard/trello';
import type { EvalTask } from './eval-set.js';
import type { TaskOutcome } from './recall.js';

/** Every connector the evaluation covers, as users register them. */
export function evalToolset(): Toolset {
  return createToolset({ connectors: [github, gmail, shopify, trello] });
}

/** Searches every task over the whole catalogue (no app filter: the search has to tell the apps apart). */
export async function runEval(tasks: readonly EvalTask[], toolset: Toolset = evalToolset()): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = [];
  for (const task of tasks) {
    const results = await toolset.searchActions(task.task, { limit: 5 });
    outcomes.push({ task, ranked: results.map((result) => result.name) });
  }
  return outcomes;
}
