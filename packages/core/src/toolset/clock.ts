/** ISO timestamps that strictly increase within this process, so "most recently updated" is never a tie. */
export function monotonicClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}
