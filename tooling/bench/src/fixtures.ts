import { readFileSync } from 'node:fs';

export type FixtureName = 'pull-request.json' | 'shop-graphql.json' | 'member.json';

/**
 * A fixture of fixtures/ as minified JSON, the way the APIs send it. pull-request.json is the
 * example GitHub documents for "Get a pull request" (from GitHub's OpenAPI description).
 */
export function fixtureBody(name: FixtureName): string {
  return JSON.stringify(JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')));
}
