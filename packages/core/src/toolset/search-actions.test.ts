import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  type ActionDefinition,
  bearerTokenScheme,
  createToolset,
  defineAction,
  defineConnector,
} from '../index.js';

type Extra = Partial<ActionDefinition>;

function action(name: string, description: string, extra: Extra = {}) {
  return defineAction({
    name,
    description,
    input: z.object({ id: z.string() }),
    request: 'GET /things/{id}',
    ...extra,
  } as ActionDefinition);
}

function connector(id: string, actions: ReturnType<typeof action>[], generated?: () => ReturnType<typeof action>[]) {
  return defineConnector({
    id,
    name: id,
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: 'http://127.0.0.1:9',
    authSchemes: [bearerTokenScheme()],
    actions,
    ...(generated ? { generatedActions: generated } : {}),
  });
}

const repo = connector(
  'repo',
  [
    action('REPO_GET_A_PULL_REQUEST', 'Get one pull request with its head and base branches.', {
      tags: ['pulls', 'read'],
    }),
    action('REPO_CREATE_AN_ISSUE', 'Open a new issue in a repository.', {
      tags: ['issues', 'write'],
      request: 'POST /things/{id}',
    }),
    action('REPO_LIST_LABELS', 'List the labels of a repository.', {
      aliases: ['REPO_LIST_LABELS_FOR_A_REPOSITORY'],
      tags: ['labels', 'read'],
    }),
  ],
  () => [
    action('REPO_RE_RUN_A_WORKFLOW', 'Re-run a GitHub Actions workflow run.', { request: 'POST /things/{id}' }),
    action('REPO_DELETE_A_BRANCH', 'Delete a branch.', { request: 'DELETE /things/{id}' }),
    action('REPO_LIST_ISSUES_OLD', 'List issues (legacy endpoint).', { deprecated: true, tags: ['issues'] }),
    action('REPO_SET_TOPICS', 'Replace all topics.', {
      input: z.object({ id: z.string(), milestone_number: z.number() }),
      request: 'PUT /things/{id}',
    }),
  ],
);

const mail = connector('mail', [
  action('MAIL_SEND_EMAIL', 'Send an email message to one or more recipients.', {
    request: 'POST /things/{id}',
    tags: ['messages'],
  }),
  action('MAIL_UPDATE_VACATION_SETTINGS', 'Turn the auto-reply on or off.', { request: 'PUT /things/{id}' }),
]);

describe('searchActions', () => {
  it('ranks by names, descriptions, tags, aliases and parameter names, best first', async () => {
    const toolset = createToolset({ connectors: [repo, mail] });
    const results = await toolset.searchActions('get the pull request');
    expect(results[0]).toMatchObject({
      name: 'REPO_GET_A_PULL_REQUEST',
      app: 'repo',
      description: 'Get one pull request with its head and base branches.',
    });
    expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? 0);
    expect(Object.keys(results[0] ?? {}).sort()).toEqual(['app', 'description', 'name', 'score']);
    // An alias, a tag and a parameter name are each enough on their own.
    expect((await toolset.searchActions('repository labels'))[0]?.name).toBe('REPO_LIST_LABELS');
    expect((await toolset.searchActions('messages'))[0]?.name).toBe('MAIL_SEND_EMAIL');
    expect((await toolset.searchActions('milestone number'))[0]?.name).toBe('REPO_SET_TOPICS');
  });

  it('reaches generated actions, and understands short forms, plurals and prefixes', async () => {
    let loads = 0;
    const counted = connector('repo', [...repo.actions], () => {
      loads += 1;
      return [...(repo.generatedActions?.() ?? [])];
    });
    const toolset = createToolset({ connectors: [counted, mail] });
    expect(loads).toBe(0);
    expect((await toolset.searchActions('rerun workflow'))[0]?.name).toBe('REPO_RE_RUN_A_WORKFLOW');
    expect(loads).toBe(1);
    expect((await toolset.searchActions('show my PRs'))[0]?.name).toBe('REPO_GET_A_PULL_REQUEST');
    expect((await toolset.searchActions('branches', { limit: 1 }))[0]?.name).toBe('REPO_DELETE_A_BRANCH');
    expect((await toolset.searchActions('vacat'))[0]?.name).toBe('MAIL_UPDATE_VACATION_SETTINGS');
    expect(loads).toBe(1);
  });

  it('prefers curated actions on a tie, and the repository-wide operation over the organization one', async () => {
    const sameWords = (name: string) => action(name, 'Lists the webhooks.');
    const hooks = connector('hooks', [sameWords('HOOKS_LIST_WEBHOOKS')], () => [
      sameWords('HOOKS_LIST_WEBHOOKS_FOR_AN_ORGANIZATION'),
      sameWords('HOOKS_WEBHOOKS_LIST'),
    ]);
    const toolset = createToolset({ connectors: [hooks] });
    const names = (await toolset.searchActions('list webhooks')).map((result) => result.name);
    expect(names).toEqual(['HOOKS_LIST_WEBHOOKS', 'HOOKS_WEBHOOKS_LIST', 'HOOKS_LIST_WEBHOOKS_FOR_AN_ORGANIZATION']);
    const forOrg = await toolset.searchActions('list the organization webhooks');
    expect(forOrg[0]?.name).toBe('HOOKS_LIST_WEBHOOKS_FOR_AN_ORGANIZATION');
  });

  it('reads phrases, verb endings and file paths the way users write them, and nested input fields', async () => {
    const shop = connector('shop', [
      action('SHOP_CREATE_WEBHOOK', 'Creates a webhook.', { request: 'POST /things/{id}' }),
      action('SHOP_DELETE_WEBHOOK', 'Deletes a webhook.', { request: 'DELETE /things/{id}' }),
      action('SHOP_GET_FILE_CONTENT', 'Reads a file.'),
      // What the words of a path would find if the path were not read as a file.
      action('SHOP_GET_INDEX_SETTINGS', 'Reads the settings of the search index (src, ts).'),
      action('SHOP_MERGE_BRANCHES', 'Merges one branch into another.', { request: 'POST /things/{id}' }),
      action('SHOP_CUSTOMER_UPDATE', 'Updates a customer.', {
        input: z.object({ id: z.string(), input: z.object({ phone: z.string(), email: z.string() }) }),
        request: 'POST /things/{id}',
      }),
    ]);
    const toolset = createToolset({ connectors: [shop] });
    expect((await toolset.searchActions('set up a webhook'))[0]?.name).toBe('SHOP_CREATE_WEBHOOK');
    expect((await toolset.searchActions('get rid of the webhook'))[0]?.name).toBe('SHOP_DELETE_WEBHOOK');
    expect((await toolset.searchActions('show me src/index.ts'))[0]?.name).toBe('SHOP_GET_FILE_CONTENT');
    expect((await toolset.searchActions('merging'))[0]?.name).toBe('SHOP_MERGE_BRANCHES');
    expect((await toolset.searchActions("the customer's phone"))[0]?.name).toBe('SHOP_CUSTOMER_UPDATE');
  });

  it('filters by apps, tags and read-only, and honours the limit', async () => {
    const toolset = createToolset({ connectors: [repo, mail] });
    const inMail = await toolset.searchActions('issue email pull request', { apps: ['mail'] });
    expect(inMail.map((result) => result.app)).toEqual(['mail']);
    const tagged = await toolset.searchActions('issue', { tags: ['write'] });
    expect(tagged.map((result) => result.name)).toEqual(['REPO_CREATE_AN_ISSUE']);
    const reads = await toolset.searchActions('issue branch labels pull request', { readOnly: true });
    expect(reads.map((result) => result.name).sort()).toEqual(['REPO_GET_A_PULL_REQUEST', 'REPO_LIST_LABELS']);
    expect(await toolset.searchActions('a', { limit: 2 })).toHaveLength(0);
    expect(await toolset.searchActions('repository branch issue email', { limit: 2 })).toHaveLength(2);
  });

  it('leaves deprecated actions out by default, and ranks them last when asked for', async () => {
    const toolset = createToolset({ connectors: [repo, mail] });
    const names = (await toolset.searchActions('list issues')).map((result) => result.name);
    expect(names).not.toContain('REPO_LIST_ISSUES_OLD');
    const all = await toolset.searchActions('list issues', { includeDeprecated: true });
    expect(all.at(-1)?.name).toBe('REPO_LIST_ISSUES_OLD');
    expect(all.length).toBe(names.length + 1);
  });

  it('rebuilds the index when a custom action is added', async () => {
    const toolset = createToolset({ connectors: [repo, mail] });
    expect(await toolset.searchActions('weather forecast')).toEqual([]);
    toolset.createAction({
      name: 'MY_WEATHER_FORECAST',
      description: 'Tomorrow’s weather forecast for a city.',
      input: z.object({ city: z.string() }),
      run: async () => ({ sunny: true }),
    });
    expect(await toolset.searchActions('weather forecast')).toMatchObject([
      { name: 'MY_WEATHER_FORECAST', app: undefined },
    ]);
  });

  it('refuses a blank query, a bad limit and an unknown app before building anything', async () => {
    const toolset = createToolset({ connectors: [repo] });
    await expect(toolset.searchActions('  ')).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(toolset.searchActions('issue', { limit: 0 })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(toolset.searchActions('issue', { limit: 2.5 })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(toolset.searchActions('issue', { apps: ['rep'] })).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });
});
