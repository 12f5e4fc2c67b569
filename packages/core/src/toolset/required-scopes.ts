/**
 * Beyond this many candidate combinations the exact search gives way to a greedy cover, so that an
 * app with hundreds of interchangeable scopes cannot stall `requiredScopes`. Vendors' scope lists
 * (Gmail: 14 scopes) stay far below it.
 */
const MAX_COMBINATIONS = 50_000;

/**
 * The smallest set of OAuth scopes that allows every one of `needs`, where each need is one
 * action's `scopes`: alternatives, any one of which allows it. An empty need (an action that
 * declares no scope) asks for nothing.
 *
 * How the set is chosen, deterministically:
 * 1. A scope that is an action's only alternative is taken.
 * 2. The remaining actions get the fewest further scopes that cover them all (an exact search,
 *    greedy only past {@link MAX_COMBINATIONS} combinations).
 * 3. Among covers of that size, the narrowest wins: a scope's breadth is how many of the app's
 *    actions (`catalogue`) it allows, and the cover with the smallest total breadth is taken; on a tie,
 *    the first when candidates are ordered narrowest first, then alphabetically. So Gmail's `gmail.modify` wins over `https://mail.google.com/`
 *    for reading and sending mail: both cover them, but the second allows every action of the app.
 *
 * Returns the scopes sorted alphabetically.
 */
export function minimalScopeCover(
  needs: ReadonlyArray<readonly string[]>,
  catalogue: ReadonlyArray<readonly string[]> = needs,
): string[] {
  const breadth = new Map<string, number>();
  for (const scopes of catalogue)
    for (const scope of new Set(scopes)) breadth.set(scope, (breadth.get(scope) ?? 0) + 1);
  const byNarrowest = (a: string, b: string) => (breadth.get(a) ?? 0) - (breadth.get(b) ?? 0) || compare(a, b);

  const chosen = new Set<string>();
  for (const need of needs) if (new Set(need).size === 1) chosen.add(need[0] as string);
  const open = uniqueNeeds(needs.filter((need) => need.length > 0 && !need.some((scope) => chosen.has(scope))));
  if (open.length > 0) for (const scope of coverOf(open, byNarrowest, breadth)) chosen.add(scope);
  return [...chosen].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The needs without repeats and without those a smaller need implies (covering {a} covers {a, b}). */
function uniqueNeeds(needs: ReadonlyArray<readonly string[]>): Array<Set<string>> {
  const sets = [...new Map(needs.map((need) => [[...new Set(need)].sort().join(' '), new Set(need)])).values()];
  return sets.filter(
    (need) =>
      !sets.some((other) => other !== need && other.size < need.size && [...other].every((scope) => need.has(scope))),
  );
}

function coverOf(
  needs: Array<Set<string>>,
  byNarrowest: (a: string, b: string) => number,
  breadth: ReadonlyMap<string, number>,
): string[] {
  const candidates = [...new Set(needs.flatMap((need) => [...need]))].sort(byNarrowest);
  const covers = (picked: readonly string[]) => needs.every((need) => picked.some((scope) => need.has(scope)));
  for (let size = 1; size <= candidates.length; size++) {
    if (combinationCount(candidates.length, size) > MAX_COMBINATIONS) return greedyCover(needs, candidates);
    let best: { scopes: string[]; weight: number } | undefined;
    for (const picked of combinations(candidates, size)) {
      if (!covers(picked)) continue;
      const weight = picked.reduce((sum, scope) => sum + (breadth.get(scope) ?? 0), 0);
      // Strictly smaller only: on a tie the first cover found, in narrowest-first candidate order, stays.
      if (best === undefined || weight < best.weight) best = { scopes: picked, weight };
    }
    if (best) return best.scopes;
  }
  return candidates;
}

/** Picks the scope that allows the most uncovered actions (the narrowest on a tie) until all are covered. */
function greedyCover(needs: Array<Set<string>>, candidates: readonly string[]): string[] {
  const picked: string[] = [];
  let open = needs;
  while (open.length > 0) {
    let best = candidates[0] as string;
    let bestCount = -1;
    for (const scope of candidates) {
      const count = open.filter((need) => need.has(scope)).length;
      if (count > bestCount) {
        best = scope;
        bestCount = count;
      }
    }
    picked.push(best);
    open = open.filter((need) => !need.has(best));
  }
  return picked;
}

function combinationCount(n: number, k: number): number {
  let count = 1;
  for (let index = 1; index <= k; index++) count = (count * (n - k + index)) / index;
  return count;
}

function* combinations<T>(items: readonly T[], size: number, start = 0, prefix: T[] = []): Generator<T[]> {
  if (prefix.length === size) {
    yield [...prefix];
    return;
  }
  for (let index = start; index <= items.length - (size - prefix.length); index++) {
    prefix.push(items[index] as T);
    yield* combinations(items, size, index + 1, prefix);
    prefix.pop();
  }
}
