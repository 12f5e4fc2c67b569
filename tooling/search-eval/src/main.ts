// `pnpm eval:search`: recall@1 and recall@5 of toolset.searchActions on the evaluation set.
// `--misses` also lists the tuning tasks whose actions were not first (never the held-out ones).
import { loadEvalSet } from './eval-set.js';
import { firstHit, recallBySplit } from './recall.js';
import { runEval } from './run-eval.js';

const outcomes = await runEval(loadEvalSet());
const bySplit = recallBySplit(outcomes);
const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);
console.log('part       tasks  recall@1  recall@5');
for (const [part, value] of Object.entries(bySplit))
  console.log(`${part.padEnd(10)} ${String(value.tasks).padStart(5)}  ${percent(value.at1)}   ${percent(value.at5)}`);

if (process.argv.includes('--misses')) {
  for (const outcome of outcomes) {
    const rank = firstHit(outcome);
    if (outcome.task.split !== 'tune' || rank === 1) continue;
    console.log(
      `\n${rank === undefined ? 'miss' : `rank ${rank}`} ${outcome.task.id}: "${outcome.task.task}" wants ${outcome.task.actions.join(' or ')}`,
    );
    console.log(`  got ${outcome.ranked.join(', ') || 'nothing'}`);
  }
}
