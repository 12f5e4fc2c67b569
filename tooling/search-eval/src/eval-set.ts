import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One task as a user would ask it, with the actions that serve it (any one of them counts). */
export interface EvalTask {
  id: string;
  task: string;
  actions: string[];
  /** `held-out` tasks are never looked at while tuning the search. */
  split: 'tune' | 'held-out';
}

const evalSetSchema = z.object({
  about: z.string(),
  tasks: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z]+-\d{2,}$/),
        task: z.string().min(8),
        actions: z.array(z.string().regex(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/)).min(1),
        split: z.enum(['tune', 'held-out']),
      }),
    )
    .min(1),
});

export const EVAL_SET_PATH = new URL('../eval-set.json', import.meta.url);

/** Reads and checks the evaluation set: its shape, and ids that are unique. */
export function loadEvalSet(path: URL = EVAL_SET_PATH): EvalTask[] {
  const { tasks } = evalSetSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const seen = new Set<string>();
  for (const task of tasks) {
    if (seen.has(task.id)) throw new Error(`The evaluation set has two tasks with the id ${task.id}.`);
    seen.add(task.id);
  }
  return tasks;
}
