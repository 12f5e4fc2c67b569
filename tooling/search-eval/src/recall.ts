import type { EvalTask } from './eval-set.js';

/** What search returned for one task, best first. */
export interface TaskOutcome {
  task: EvalTask;
  ranked: string[];
}

export interface Recall {
  tasks: number;
  /** Share of tasks with one of their actions first. */
  at1: number;
  /** Share of tasks with one of their actions among the first five. */
  at5: number;
}

/** The 1-based rank of the first action serving the task, or `undefined` when none was returned. */
export function firstHit(outcome: TaskOutcome): number | undefined {
  const index = outcome.ranked.findIndex((name) => outcome.task.actions.includes(name));
  return index === -1 ? undefined : index + 1;
}

export function recall(outcomes: readonly TaskOutcome[]): Recall {
  const hits = outcomes.map(firstHit);
  const share = (k: number) =>
    outcomes.length === 0 ? 0 : hits.filter((rank) => rank !== undefined && rank <= k).length / outcomes.length;
  return { tasks: outcomes.length, at1: share(1), at5: share(5) };
}

/** Recall on the whole set, the part used for tuning, and the held-out part. */
export function recallBySplit(outcomes: readonly TaskOutcome[]): Record<'all' | 'tune' | 'held-out', Recall> {
  return {
    all: recall(outcomes),
    tune: recall(outcomes.filter((outcome) => outcome.task.split === 'tune')),
    'held-out': recall(outcomes.filter((outcome) => outcome.task.split === 'held-out')),
  };
}
