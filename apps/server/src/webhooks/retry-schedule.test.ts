import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from './retry-schedule.js';

const created = new Date('2026-12-05T00:00:00.000Z');
const policy = DEFAULT_RETRY_POLICY;

describe('nextAttemptAt', () => {
  it('doubles the wait after each failure, with jitter between once and twice the base', () => {
    for (const [failures, base] of [
      [1, 30_000],
      [2, 60_000],
      [3, 120_000],
      [6, 960_000],
    ] as const) {
      const now = new Date(created.getTime() + 1000);
      const low = nextAttemptAt(policy, failures, created, now, () => 0);
      const high = nextAttemptAt(policy, failures, created, now, () => 0.999);
      expect(low?.getTime()).toBe(now.getTime() + base);
      expect(high?.getTime()).toBe(now.getTime() + Math.round(base * 1.999));
    }
  });

  it('keeps retrying for 24 hours after the event, then gives up', () => {
    let now = created;
    let failures = 0;
    let next: Date | undefined = created;
    const attempts: Date[] = [];
    while (next) {
      now = next;
      attempts.push(now);
      failures += 1;
      next = nextAttemptAt(policy, failures, created, now, () => 0.5);
    }
    const last = attempts.at(-1) as Date;
    expect(last.getTime() - created.getTime()).toBeLessThanOrEqual(24 * 3600_000);
    // The attempt the window refused would have come after it closed.
    const refused = nextAttemptAt(
      { ...policy, retryForMs: Number.POSITIVE_INFINITY },
      failures,
      created,
      last,
      () => 0.5,
    );
    expect((refused as Date).getTime() - created.getTime()).toBeGreaterThan(24 * 3600_000);
    // 30 s doubling, ×1.5 jitter: about a dozen attempts in the day, the last ones hours apart.
    expect(attempts.length).toBeGreaterThanOrEqual(10);
    expect(attempts.length).toBeLessThanOrEqual(14);
  });
});
