import { describe, expect, it } from 'vitest';
import { loadEvalSet } from './eval-set.js';
import { evalToolset } from './run-eval.js';

describe('the evaluation set', () => {
  const tasks = loadEvalSet();

  it('names only actions the catalogue has, by their own names', () => {
    const toolset = evalToolset();
    for (const task of tasks)
      for (const action of task.actions) expect(toolset.getAction(action).name, task.id).toBe(action);
  });

  it('covers GitHub, Gmail, Shopify and Trello, and holds out a third of each', () => {
    for (const app of ['github', 'gmail', 'shopify', 'trello']) {
      const ofApp = tasks.filter((task) => task.id.startsWith(`${app}-`));
      expect(ofApp.length, app).toBeGreaterThanOrEqual(10);
      const heldOut = ofApp.filter((task) => task.split === 'held-out').length / ofApp.length;
      expect(heldOut, app).toBeGreaterThan(0.25);
      expect(heldOut, app).toBeLessThan(0.4);
    }
  });

  it('asks in users’ words, not the action descriptions', () => {
    const toolset = evalToolset();
    for (const task of tasks) {
      for (const action of task.actions)
        expect(toolset.getAction(action).description.toLowerCase(), task.id).not.toContain(task.task.toLowerCase());
    }
  });
});
