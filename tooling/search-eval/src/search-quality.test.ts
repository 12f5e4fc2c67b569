import { describe, expect, it } from 'vitest';
import { loadEvalSet } from './eval-set.js';
import { recallBySplit } from './recall.js';
import { runEval } from './run-eval.js';

// A quality check of toolset.searchActions over the real catalogue, not a timing.
describe('search quality on the evaluation set', () => {
  it('finds an action serving the task among the first five for at least 90% of the tasks', async () => {
    const bySplit = recallBySplit(await runEval(loadEvalSet()));
    expect(bySplit.all.at5).toBeGreaterThanOrEqual(0.9);
  });
});
