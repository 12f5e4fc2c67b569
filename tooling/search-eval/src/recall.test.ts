import { describe, expect, it } from 'vitest';
import type { EvalTask } from './eval-set.js';
import { firstHit, recall, recallBySplit } from './recall.js';

const task = (id: string, actions: string[], split: EvalTask['split'] = 'tune'): EvalTask => ({
  id,
  task: `task ${id}`,
  actions,
  split,
});

describe('recall', () => {
  it('counts a task found at k when any of its actions is among the first k', () => {
    const outcomes = [
      { task: task('a-01', ['A']), ranked: ['A', 'B'] },
      { task: task('a-02', ['C', 'D']), ranked: ['B', 'E', 'F', 'G', 'D'] },
      { task: task('a-03', ['X'], 'held-out'), ranked: ['B', 'E', 'F', 'G', 'H', 'X'] },
      { task: task('a-04', ['Y'], 'held-out'), ranked: [] },
    ];
    expect(outcomes.map(firstHit)).toEqual([1, 5, 6, undefined]);
    expect(recall(outcomes)).toEqual({ tasks: 4, at1: 0.25, at5: 0.5 });
    expect(recallBySplit(outcomes)).toEqual({
      all: { tasks: 4, at1: 0.25, at5: 0.5 },
      tune: { tasks: 2, at1: 0.5, at5: 1 },
      'held-out': { tasks: 2, at1: 0, at5: 0 },
    });
    expect(recall([])).toEqual({ tasks: 0, at1: 0, at5: 0 });
  });
});
