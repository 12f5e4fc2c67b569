import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { generate, plainText, screamingSnake, staleFiles } from '../scripts/generate.mjs';
import { githubActions } from './actions/index.js';
import { generatedOperations } from './generated-actions.js';
import { github } from './index.js';

const require = createRequire(import.meta.url);
const description = JSON.parse(
  readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
) as { paths: Record<string, Record<string, { operationId?: string; summary?: string }>> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const described = Object.entries(description.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({ method: method.toUpperCase(), path })),
);
const endpoint = (method: string, path: string) => `${method} ${path.replace(/\{\+?([^}]+)\}/g, '{}')}`;

describe('src/generated/', () => {
  it('is what scripts/generate.mjs writes from the pinned @octokit/openapi (run `pnpm --filter @plugboard/github generate`)', () => {
    const first = generate();
    expect(staleFiles(first.files)).toEqual([]);
    expect(generate().digest, 'the generator is deterministic').toBe(first.digest);
  });

  it('has one uniquely named action per operation of the description', () => {
    const operations = generatedOperations();
    expect(operations).toHaveLength(described.length);
    expect(new Set(operations.map((operation) => operation.name)).size).toBe(operations.length);
    expect(new Set(operations.map((operation) => endpoint(operation.method, operation.path)))).toEqual(
      new Set(described.map((operation) => endpoint(operation.method, operation.path))),
    );
    for (const operation of operations) expect(operation.name).toMatch(/^GITHUB_[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });

  it('names actions from the summary and breaks ties by the operationId', () => {
    expect(screamingSnake('Get a pull request')).toBe('GITHUB_GET_A_PULL_REQUEST'.slice('GITHUB_'.length));
    const byName = new Map(generatedOperations().map((operation) => [operation.name, operation]));
    expect(byName.get('GITHUB_GET_A_PULL_REQUEST')?.path).toBe('/repos/{owner}/{repo}/pulls/{pull_number}');
    expect(byName.get('GITHUB_LIST_ORGANIZATION_SECRETS_ACTIONS')?.path).toBe('/orgs/{org}/actions/secrets');
    expect(byName.get('GITHUB_LIST_ORGANIZATION_SECRETS_DEPENDABOT')?.path).toBe('/orgs/{org}/dependabot/secrets');
    expect(byName.has('GITHUB_LIST_ORGANIZATION_SECRETS')).toBe(false);
    expect(byName.get('GITHUB_COMPARE_TWO_COMMITS_COMPARE_COMMITS')?.path).toBe(
      '/repos/{owner}/{repo}/compare/{base}...{head}',
    );
  });

  it('turns Markdown descriptions into plain text with absolute docs links', () => {
    expect(plainText('> [!NOTE]\n> See [the guide](/rest/guides/x) and <a href="y">this</a>.\n\n\n\nEnd')).toBe(
      'See the guide (https://docs.github.com/rest/guides/x) and this.\n\nEnd',
    );
  });
});

describe('curated and generated actions', () => {
  it('a curated action answers to the generated name of its operation, so the generated one is dropped', () => {
    const generated = new Map(
      generatedOperations().map((operation) => [endpoint(operation.method, operation.path), operation.name]),
    );
    for (const action of githubActions) {
      const request = action.request as NonNullable<typeof action.request>;
      const name = generated.get(endpoint(request.method, request.path));
      expect(name, action.name).toBeDefined();
      expect([action.name, ...action.aliases], action.name).toContain(name);
    }
    const listed = new Set(github.generatedActions?.().map((action) => action.name));
    for (const action of githubActions) expect(listed.has(action.name)).toBe(false);
    expect(listed.has('GITHUB_CREATE_AN_ISSUE')).toBe(false);
    expect(githubActions.length + listed.size).toBe(described.length);
  });
});
