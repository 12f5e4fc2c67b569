/**
 * The value at a dotted path (`data.token`) in a token endpoint's JSON answer, or undefined when
 * the answer has nothing there. Modes whose settings name where the token is (Basic with JWT, a
 * signed assertion's exchange) read it with this.
 */
export function readPath(data: unknown, path: string): unknown {
  let current = data;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
