import { createHash, randomBytes } from 'node:crypto';
import { type RecordedRequest, type Reply, type Routes, startRecordingServer } from '@plugboard/testkit';

/**
 * A local stand-in for GitHub's REST API (api.github.com, or GHES under /api/v3) on the test kit's
 * recording server, with an in-memory repository, played the way GitHub documents it: Bearer and `token` credentials,
 * `X-GitHub-Api-Version` checks, `Link` pagination with `repositories/{id}` URLs, rate-limit
 * headers, and GitHub's error bodies (`{ message, documentation_url, status }`, 422 with
 * `errors`, 405/409 on merge, 410 when issues are off, 411 for a PUT without Content-Length).
 */

export type { RecordedRequest } from '@plugboard/testkit';

export interface TokenInfo {
  login: string;
  /** OAuth scopes, echoed in `X-OAuth-Scopes` (empty for fine-grained and GitHub App tokens). */
  scopes: string[];
  /** Epoch milliseconds after which the token gets 401. */
  expiresAt?: number;
  /** GitHub App user access tokens cannot mix issues and pull requests in one search. */
  kind: 'oauth' | 'pat' | 'github_app_user';
}

export interface FakeGitHubOptions {
  /** The public base URL the API is reached at; `Link` headers and `*_url` fields use it. @default 'https://api.github.com' */
  publicUrl?: string;
  /** Tokens issued elsewhere (the fake OAuth server); consulted for a token `addToken` did not register. */
  resolveToken?: (token: string) => TokenInfo | undefined;
}

export const SUPPORTED_API_VERSIONS = ['2022-11-28', '2026-03-10'];

const DOCS = 'https://docs.github.com/rest';

interface User {
  login: string;
  id: number;
  name: string;
  email: string | null;
  type: 'User' | 'Organization';
}

interface Issue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  type: string | null;
  user: string;
  created_at: string;
  updated_at: string;
  comments: Comment[];
  pull?: PullRequest;
}

interface PullRequest {
  head: string;
  base: string;
  head_sha: string;
  draft: boolean;
  merged: boolean;
  mergeable: boolean;
  maintainer_can_modify: boolean;
  files: Array<{ filename: string; status: string; additions: number; deletions: number; patch: string }>;
}

interface Comment {
  id: number;
  body: string;
  user: string;
  created_at: string;
}

interface Commit {
  sha: string;
  message: string;
  author: string;
  date: string;
  files: string[];
}

interface Repository {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string;
  default_branch: string;
  has_issues: boolean;
  branches: Map<string, { sha: string; protected: boolean }>;
  files: Map<string, Buffer>;
  issues: Issue[];
  commits: Commit[];
  milestones: number[];
  stargazers: Set<string>;
  collaborators: Set<string>;
}

export interface FakeGitHubApi {
  url: string;
  requests: RecordedRequest[];
  /** Registers a token the API accepts. */
  addToken(token: string, info: TokenInfo): void;
  /** Makes a token invalid, as when a user revokes it. */
  revokeToken(token: string): void;
  /** Uses up the primary rate limit: every later request gets GitHub's 403 until the window resets. */
  exhaustRateLimit(): void;
  repository(fullName: string): Repository;
  users: Map<string, User>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly documentationUrl = DOCS,
  ) {
    super(message);
  }
}

/** The fake's commit SHAs are derived from names, so tests can know them. */
export const sha = (seed: string) => createHash('sha1').update(seed).digest('hex');
const timestamp = (day: number) =>
  new Date(Date.UTC(2011, 0, 26, 19, 1, 12) + day * 86_400_000).toISOString().replace('.000Z', 'Z');

function seed(): { users: Map<string, User>; repositories: Map<string, Repository> } {
  const users = new Map<string, User>();
  for (const user of [
    { login: 'octocat', id: 583231, name: 'The Octocat', email: 'octocat@github.com', type: 'User' as const },
    { login: 'hubot', id: 480938, name: 'Hubot', email: null, type: 'User' as const },
    { login: 'monalisa', id: 2, name: 'Mona Lisa Octocat', email: null, type: 'User' as const },
    { login: 'octo-org', id: 9919, name: 'Octo Org', email: null, type: 'Organization' as const },
  ]) {
    users.set(user.login, user);
  }
  const repositories = new Map<string, Repository>();
  const helloWorld: Repository = {
    id: 1296269,
    owner: 'octocat',
    name: 'Hello-World',
    private: false,
    description: 'My first repository on GitHub!',
    default_branch: 'master',
    has_issues: true,
    branches: new Map([
      ['master', { sha: sha('master'), protected: true }],
      ['new-feature', { sha: sha('new-feature'), protected: false }],
      ['conflicting', { sha: sha('conflicting'), protected: false }],
      ['docs', { sha: sha('docs'), protected: false }],
      ['fix-typo', { sha: sha('fix-typo'), protected: false }],
    ]),
    files: new Map([
      ['README', Buffer.from('Hello World!\n')],
      [
        'docs/guide/intro.md',
        Buffer.from('# Intro\n\nCafé au lait ☕, and a long line to make the base64 wrap like GitHub does.\n'),
      ],
      ['docs/guide/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe])],
      ['docs/a b/notes #1.txt', Buffer.from('spaces and a hash\n')],
    ]),
    issues: [],
    commits: [],
    milestones: [1, 2],
    stargazers: new Set(['hubot']),
    collaborators: new Set(['octocat', 'hubot']),
  };
  for (let index = 0; index < 7; index++) {
    helloWorld.commits.push({
      sha: sha(`commit-${index}`),
      message: index === 0 ? 'Fix all the bugs' : `Change ${index}`,
      author: index % 2 === 0 ? 'octocat' : 'hubot',
      date: timestamp(100 - index),
      files: index % 3 === 0 ? ['README'] : ['docs/guide/intro.md'],
    });
  }
  for (let number = 1; number <= 5; number++) {
    helloWorld.issues.push({
      number,
      title: `Issue ${number}`,
      body: number === 3 ? 'Ping @octocat' : `Body of issue ${number}`,
      state: number === 4 ? 'closed' : 'open',
      state_reason: number === 4 ? 'completed' : null,
      labels: number % 2 === 1 ? ['bug'] : ['enhancement'],
      assignees: number === 1 ? ['octocat'] : [],
      milestone: null,
      type: null,
      user: number === 3 ? 'hubot' : 'octocat',
      created_at: timestamp(number),
      updated_at: timestamp(number + 1),
      comments: [],
    });
  }
  helloWorld.issues.push({
    number: 1347,
    title: 'Amazing new feature',
    body: 'Please pull these awesome changes in!',
    state: 'open',
    state_reason: null,
    labels: ['enhancement'],
    assignees: [],
    milestone: null,
    type: null,
    user: 'octocat',
    created_at: timestamp(10),
    updated_at: timestamp(11),
    comments: [
      { id: 1, body: 'Me too', user: 'hubot', created_at: timestamp(12) },
      { id: 2, body: 'Looks good', user: 'octocat', created_at: timestamp(13) },
    ],
    pull: {
      head: 'new-feature',
      base: 'master',
      head_sha: sha('new-feature'),
      draft: false,
      merged: false,
      mergeable: true,
      maintainer_can_modify: true,
      files: [
        {
          filename: 'file1.txt',
          status: 'added',
          additions: 103,
          deletions: 21,
          patch: '@@ -132,7 +132,7 @@ module Test @@ -1000,7 +1000,7 @@ module Test',
        },
        { filename: 'docs/guide/intro.md', status: 'modified', additions: 2, deletions: 1, patch: '@@ -1,3 +1,4 @@' },
        { filename: 'old.txt', status: 'removed', additions: 0, deletions: 9, patch: '@@ -1,9 +0,0 @@' },
      ],
    },
  });
  helloWorld.issues.push({
    number: 1348,
    title: 'Conflicting change',
    body: null,
    state: 'open',
    state_reason: null,
    labels: [],
    assignees: [],
    milestone: null,
    type: null,
    user: 'hubot',
    created_at: timestamp(14),
    updated_at: timestamp(15),
    comments: [],
    pull: {
      head: 'conflicting',
      base: 'master',
      head_sha: sha('conflicting'),
      draft: false,
      merged: false,
      mergeable: false,
      maintainer_can_modify: false,
      files: [],
    },
  });
  repositories.set('octocat/hello-world', helloWorld);
  repositories.set('octo-org/no-issues', {
    ...helloWorld,
    id: 42,
    owner: 'octo-org',
    name: 'no-issues',
    has_issues: false,
    branches: new Map([['main', { sha: sha('main'), protected: false }]]),
    default_branch: 'main',
    files: new Map(),
    issues: [],
    commits: [],
    stargazers: new Set(),
    collaborators: new Set(['octocat']),
  });
  repositories.set('octocat/secret', {
    ...helloWorld,
    id: 7,
    name: 'secret',
    private: true,
    description: 'Private things',
    issues: [],
    commits: [],
    stargazers: new Set(),
    collaborators: new Set(['octocat']),
  });
  return { users, repositories };
}

export async function startFakeGitHubApi(options: FakeGitHubOptions = {}): Promise<FakeGitHubApi> {
  const publicUrl = (options.publicUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const basePath = new URL(publicUrl).pathname.replace(/\/+$/, '');
  const { users, repositories } = seed();
  const tokens = new Map<string, TokenInfo>();
  const revoked = new Set<string>();
  const lookupToken = (token: string) =>
    revoked.has(token) ? undefined : (tokens.get(token) ?? options.resolveToken?.(token));
  let nextCommentId = 100;
  let rateLimited = false;

  const userJson = (login: string) => {
    const user = users.get(login) ?? { login, id: 1, name: login, email: null, type: 'User' as const };
    return {
      login: user.login,
      id: user.id,
      node_id: `MDQ6VXNlcj${user.id}`,
      type: user.type,
      site_admin: false,
      url: `${publicUrl}/users/${user.login}`,
      html_url: `https://github.com/${user.login}`,
    };
  };
  const repoJson = (repository: Repository, viewer: string | undefined) => ({
    id: repository.id,
    node_id: `MDEwOlJlcG9zaXRvcnk${repository.id}`,
    name: repository.name,
    full_name: `${repository.owner}/${repository.name}`,
    owner: userJson(repository.owner),
    private: repository.private,
    visibility: repository.private ? 'private' : 'public',
    description: repository.description,
    fork: false,
    url: `${publicUrl}/repos/${repository.owner}/${repository.name}`,
    html_url: `https://github.com/${repository.owner}/${repository.name}`,
    default_branch: repository.default_branch,
    has_issues: repository.has_issues,
    stargazers_count: repository.stargazers.size,
    open_issues_count: repository.issues.filter((issue) => issue.state === 'open').length,
    topics: ['octocat', 'api'],
    ...(viewer
      ? { permissions: { admin: viewer === repository.owner, push: repository.collaborators.has(viewer), pull: true } }
      : {}),
  });
  const issueJson = (repository: Repository, issue: Issue) => ({
    id: repository.id * 10_000 + issue.number,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    user: userJson(issue.user),
    labels: issue.labels.map((name, index) => ({ id: 208045946 + index, name, color: 'f29513', default: false })),
    assignee: issue.assignees[0] ? userJson(issue.assignees[0]) : null,
    assignees: issue.assignees.map(userJson),
    milestone:
      issue.milestone === null ? null : { number: issue.milestone, title: `v${issue.milestone}.0`, state: 'open' },
    type: issue.type === null ? null : { name: issue.type },
    comments: issue.comments.length,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    url: `${publicUrl}/repos/${repository.owner}/${repository.name}/issues/${issue.number}`,
    html_url: `https://github.com/${repository.owner}/${repository.name}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`,
    repository_url: `${publicUrl}/repos/${repository.owner}/${repository.name}`,
    ...(issue.pull
      ? { pull_request: { url: `${publicUrl}/repos/${repository.owner}/${repository.name}/pulls/${issue.number}` } }
      : {}),
  });
  const pullJson = (repository: Repository, issue: Issue) => {
    const pull = issue.pull as PullRequest;
    const branch = (ref: string, sha: string) => ({
      label: `${repository.owner}:${ref}`,
      ref,
      sha,
      user: userJson(repository.owner),
      repo: repoJson(repository, undefined),
    });
    return {
      id: 1000 + issue.number,
      number: issue.number,
      state: issue.state,
      title: issue.title,
      body: issue.body,
      user: userJson(issue.user),
      draft: pull.draft,
      merged: pull.merged,
      mergeable: pull.merged ? null : pull.mergeable,
      maintainer_can_modify: pull.maintainer_can_modify,
      head: branch(pull.head, pull.head_sha),
      base: branch(pull.base, repository.branches.get(pull.base)?.sha ?? ''),
      labels: issue.labels.map((name) => ({ name })),
      commits: 3,
      additions: pull.files.reduce((sum, file) => sum + file.additions, 0),
      deletions: pull.files.reduce((sum, file) => sum + file.deletions, 0),
      changed_files: pull.files.length,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      url: `${publicUrl}/repos/${repository.owner}/${repository.name}/pulls/${issue.number}`,
      html_url: `https://github.com/${repository.owner}/${repository.name}/pull/${issue.number}`,
    };
  };
  const contentJson = (repository: Repository, path: string, bytes: Buffer) => {
    const base64 = bytes.toString('base64').replace(/(.{60})/g, '$1\n');
    const api = `${publicUrl}/repos/${repository.owner}/${repository.name}/contents/${path.split('/').map(encodeURIComponent).join('/')}`;
    return {
      type: 'file',
      encoding: 'base64',
      size: bytes.length,
      name: path.split('/').at(-1),
      path,
      content: `${base64}\n`,
      sha: sha(`blob-${path}`),
      url: `${api}?ref=${repository.default_branch}`,
      html_url: `https://github.com/${repository.owner}/${repository.name}/blob/${repository.default_branch}/${path}`,
      download_url: `https://raw.githubusercontent.com/${repository.owner}/${repository.name}/${repository.default_branch}/${path}`,
    };
  };

  /** The current page of `items` and the `Link` header GitHub would send with it. */
  const paginate = <T>(
    items: T[],
    query: URLSearchParams,
    linkPath: string,
  ): { page: T[]; link: string | undefined } => {
    const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100);
    const pageNumber = Math.max(Number(query.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
    if (last === 1) return { page, link: undefined };
    const linkTo = (target: number) => {
      const params = new URLSearchParams(query);
      params.set('page', String(target));
      return `<${publicUrl}${linkPath}?${params.toString()}>`;
    };
    const links: string[] = [];
    if (pageNumber > 1) links.push(`${linkTo(Math.min(pageNumber - 1, last))}; rel="prev"`);
    if (pageNumber < last) links.push(`${linkTo(pageNumber + 1)}; rel="next"`, `${linkTo(last)}; rel="last"`);
    if (pageNumber > 1) links.push(`${linkTo(1)}; rel="first"`);
    return { page, link: links.join(', ') };
  };

  interface Context {
    method: string;
    params: Record<string, string>;
    query: URLSearchParams;
    body: Record<string, unknown>;
    viewer: string | undefined;
    token: TokenInfo | undefined;
    headers: Record<string, string>;
  }
  interface Answer {
    status?: number;
    json?: unknown;
    headers?: Record<string, string>;
  }
  /** `'GET /repos/{owner}/{repo}'` (below the base path) and its handler. */
  type Route = [key: string, handler: (context: Context) => Answer];

  const needViewer = (context: Context): string => {
    if (!context.viewer) throw new HttpError(401, 'Requires authentication');
    return context.viewer;
  };
  const findRepository = (context: Context): Repository => {
    const repository = repositories.get(`${context.params['owner']}/${context.params['repo']}`.toLowerCase());
    if (!repository || (repository.private && !(context.viewer && repository.collaborators.has(context.viewer))))
      throw new HttpError(404, 'Not Found');
    return repository;
  };
  const findIssue = (repository: Repository, number: string | undefined): Issue => {
    const issue = repository.issues.find((candidate) => String(candidate.number) === number);
    if (!issue) throw new HttpError(404, 'Not Found');
    return issue;
  };
  const findPull = (repository: Repository, number: string | undefined): Issue => {
    const issue = findIssue(repository, number);
    if (!issue.pull) throw new HttpError(404, 'Not Found');
    return issue;
  };
  const requireIssues = (repository: Repository) => {
    if (!repository.has_issues)
      throw new HttpError(410, 'Issues are disabled for this repo', {}, 'https://docs.github.com/v3/issues/');
  };
  const invalid = (resource: string, field: string, code: string, message?: string): never => {
    throw new HttpError(422, 'Validation Failed', {
      errors: [{ resource, field, code, ...(message ? { message } : {}) }],
    });
  };
  const missing = (field: string): never => {
    throw new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  };
  const expectString = (body: Record<string, unknown>, field: string): string | undefined => {
    const value = body[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      throw new HttpError(
        422,
        `Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(value)} is not a string.`,
      );
    return value;
  };
  const applyIssueFields = (repository: Repository, issue: Issue, body: Record<string, unknown>, canPush: boolean) => {
    if (body['labels'] !== undefined && canPush) issue.labels = (body['labels'] as unknown[]).map(String);
    if (body['assignees'] !== undefined && canPush) {
      const logins = (body['assignees'] as unknown[]).map(String);
      for (const login of logins)
        if (!repository.collaborators.has(login))
          invalid('Issue', 'assignees', 'invalid', `Could not resolve to a User with the login of '${login}'.`);
      issue.assignees = logins;
    }
    if (body['milestone'] !== undefined && canPush) {
      const milestone = body['milestone'] as number | null;
      if (milestone !== null && !repository.milestones.includes(milestone)) invalid('Issue', 'milestone', 'invalid');
      issue.milestone = milestone;
    }
    if (body['type'] !== undefined && canPush) issue.type = body['type'] as string | null;
  };

  const routes: Route[] = [
    [
      'GET /user',
      (context) => {
        const user = users.get(needViewer(context)) as User;
        return {
          json: {
            ...userJson(user.login),
            name: user.name,
            email: user.email,
            company: '@github',
            bio: 'There once was...',
            public_repos: 8,
            followers: 20,
            created_at: '2011-01-25T18:44:36Z',
          },
        };
      },
    ],
    [
      'GET /user/repos',
      (context) => {
        const viewer = needViewer(context);
        const { query } = context;
        if (query.has('type') && (query.has('visibility') || query.has('affiliation'))) {
          throw new HttpError(422, 'If you specify visibility or affiliation, you cannot specify type.');
        }
        const visibility = query.get('visibility') ?? 'all';
        let list = [...repositories.values()].filter((repository) => repository.collaborators.has(viewer));
        if (visibility !== 'all') list = list.filter((repository) => (visibility === 'private') === repository.private);
        list.sort((a, b) => `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`));
        const { page, link } = paginate(list, query, '/user/repos');
        return { json: page.map((repository) => repoJson(repository, viewer)), ...(link ? { headers: { link } } : {}) };
      },
    ],
    [
      'PUT /user/starred/{owner}/{repo}',
      (context) => {
        const viewer = needViewer(context);
        if (context.headers['content-length'] === undefined && context.headers['transfer-encoding'] === undefined)
          throw new HttpError(411, 'Length Required');
        if (
          context.token?.kind === 'oauth' &&
          !context.token.scopes.some((scope) => scope === 'repo' || scope === 'public_repo')
        )
          throw new HttpError(404, 'Not Found');
        findRepository(context).stargazers.add(viewer);
        return { status: 204 };
      },
    ],
    ['GET /repos/{owner}/{repo}', (context) => ({ json: repoJson(findRepository(context), context.viewer) })],
    [
      'GET /repos/{owner}/{repo}/pulls',
      (context) => {
        const repository = findRepository(context);
        const state = context.query.get('state') ?? 'open';
        let pulls = repository.issues.filter((issue) => issue.pull && (state === 'all' || issue.state === state));
        const head = context.query.get('head');
        if (head) pulls = pulls.filter((issue) => `${repository.owner}:${issue.pull?.head}` === head);
        const base = context.query.get('base');
        if (base) pulls = pulls.filter((issue) => issue.pull?.base === base);
        pulls.sort((a, b) => (context.query.get('direction') === 'asc' ? a.number - b.number : b.number - a.number));
        const { page, link } = paginate(pulls, context.query, `/repositories/${repository.id}/pulls`);
        return { json: page.map((issue) => pullJson(repository, issue)), ...(link ? { headers: { link } } : {}) };
      },
    ],
    [
      'POST /repos/{owner}/{repo}/pulls',
      (context) => {
        const viewer = needViewer(context);
        const repository = findRepository(context);
        const { body } = context;
        const head = expectString(body, 'head') ?? missing('head');
        const base = expectString(body, 'base') ?? missing('base');
        const title = expectString(body, 'title');
        if (title === undefined && body['issue'] === undefined) missing('title');
        const headBranch = head.includes(':') ? (head.split(':')[1] ?? '') : head;
        if (!repository.branches.has(headBranch)) invalid('PullRequest', 'head', 'invalid');
        if (!repository.branches.has(base)) invalid('PullRequest', 'base', 'invalid');
        if (
          repository.issues.some(
            (issue) =>
              issue.pull && issue.state === 'open' && issue.pull.head === headBranch && issue.pull.base === base,
          )
        ) {
          invalid(
            'PullRequest',
            'head',
            'custom',
            `A pull request already exists for ${repository.owner}:${headBranch}.`,
          );
        }
        let issue: Issue;
        if (body['issue'] !== undefined) {
          issue = findIssue(repository, String(body['issue']));
          if (issue.pull) invalid('PullRequest', 'issue', 'invalid');
        } else {
          issue = {
            number: Math.max(...repository.issues.map((candidate) => candidate.number)) + 1,
            title: title as string,
            body: expectString(body, 'body') ?? null,
            state: 'open',
            state_reason: null,
            labels: [],
            assignees: [],
            milestone: null,
            type: null,
            user: viewer,
            created_at: timestamp(200),
            updated_at: timestamp(200),
            comments: [],
          };
          repository.issues.push(issue);
        }
        issue.pull = {
          head: headBranch,
          base,
          head_sha: (repository.branches.get(headBranch) as { sha: string }).sha,
          draft: body['draft'] === true,
          merged: false,
          mergeable: true,
          maintainer_can_modify: body['maintainer_can_modify'] === true,
          files: [],
        };
        return {
          status: 201,
          json: pullJson(repository, issue),
          headers: { location: `${publicUrl}/repos/${repository.owner}/${repository.name}/pulls/${issue.number}` },
        };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/pulls/{number}',
      (context) => {
        const repository = findRepository(context);
        return { json: pullJson(repository, findPull(repository, context.params['number'])) };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/pulls/{number}/files',
      (context) => {
        const repository = findRepository(context);
        const issue = findPull(repository, context.params['number']);
        const files = (issue.pull as PullRequest).files.map((file) => ({
          sha: sha(file.filename),
          ...file,
          changes: file.additions + file.deletions,
        }));
        const { page, link } = paginate(
          files,
          context.query,
          `/repositories/${repository.id}/pulls/${issue.number}/files`,
        );
        return { json: page, ...(link ? { headers: { link } } : {}) };
      },
    ],
    [
      'PUT /repos/{owner}/{repo}/pulls/{number}/merge',
      (context) => {
        const viewer = needViewer(context);
        const repository = findRepository(context);
        if (!repository.collaborators.has(viewer)) throw new HttpError(403, 'Must have admin rights to Repository.');
        const issue = findPull(repository, context.params['number']);
        const pull = issue.pull as PullRequest;
        const method = expectString(context.body, 'merge_method') ?? 'merge';
        if (!['merge', 'squash', 'rebase'].includes(method)) invalid('PullRequest', 'merge_method', 'invalid');
        if (pull.merged || !pull.mergeable) throw new HttpError(405, 'Pull Request is not mergeable');
        const expected = expectString(context.body, 'sha');
        if (expected !== undefined && expected !== pull.head_sha)
          throw new HttpError(409, 'Head branch was modified. Review and try the merge again.');
        pull.merged = true;
        issue.state = 'closed';
        const mergeSha = sha(`merge-${issue.number}-${method}`);
        return { json: { sha: mergeSha, merged: true, message: 'Pull Request successfully merged' } };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/issues',
      (context) => {
        const repository = findRepository(context);
        requireIssues(repository);
        const { query } = context;
        const state = query.get('state') ?? 'open';
        let issues = repository.issues.filter((issue) => state === 'all' || issue.state === state);
        const labels = query.get('labels');
        if (labels) issues = issues.filter((issue) => labels.split(',').every((label) => issue.labels.includes(label)));
        const creator = query.get('creator');
        if (creator) issues = issues.filter((issue) => issue.user === creator);
        const mentioned = query.get('mentioned');
        if (mentioned) issues = issues.filter((issue) => (issue.body ?? '').includes(`@${mentioned}`));
        const milestone = query.get('milestone');
        if (milestone === 'none') issues = issues.filter((issue) => issue.milestone === null);
        else if (milestone === '*') issues = issues.filter((issue) => issue.milestone !== null);
        else if (milestone) issues = issues.filter((issue) => String(issue.milestone) === milestone);
        const type = query.get('type');
        if (type === 'none') issues = issues.filter((issue) => issue.type === null);
        else if (type === '*') issues = issues.filter((issue) => issue.type !== null);
        else if (type) issues = issues.filter((issue) => issue.type === type);
        const assignee = query.get('assignee');
        if (assignee === 'none') issues = issues.filter((issue) => issue.assignees.length === 0);
        else if (assignee === '*') issues = issues.filter((issue) => issue.assignees.length > 0);
        else if (assignee) issues = issues.filter((issue) => issue.assignees.includes(assignee));
        issues.sort((a, b) => (query.get('direction') === 'asc' ? a.number - b.number : b.number - a.number));
        const { page, link } = paginate(issues, query, `/repositories/${repository.id}/issues`);
        return { json: page.map((issue) => issueJson(repository, issue)), ...(link ? { headers: { link } } : {}) };
      },
    ],
    [
      'POST /repos/{owner}/{repo}/issues',
      (context) => {
        const viewer = needViewer(context);
        const repository = findRepository(context);
        requireIssues(repository);
        const title = expectString(context.body, 'title') ?? missing('title');
        if (title === '') invalid('Issue', 'title', 'missing_field');
        const issue: Issue = {
          number: Math.max(0, ...repository.issues.map((candidate) => candidate.number)) + 1,
          title,
          body: expectString(context.body, 'body') ?? null,
          state: 'open',
          state_reason: null,
          labels: [],
          assignees: [],
          milestone: null,
          type: null,
          user: viewer,
          created_at: timestamp(300),
          updated_at: timestamp(300),
          comments: [],
        };
        // Without push access, labels, assignees, milestone and type are silently dropped.
        applyIssueFields(repository, issue, context.body, repository.collaborators.has(viewer));
        repository.issues.push(issue);
        return {
          status: 201,
          json: issueJson(repository, issue),
          headers: { location: `${publicUrl}/repos/${repository.owner}/${repository.name}/issues/${issue.number}` },
        };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/issues/{number}',
      (context) => {
        const repository = findRepository(context);
        requireIssues(repository);
        return { json: issueJson(repository, findIssue(repository, context.params['number'])) };
      },
    ],
    [
      'PATCH /repos/{owner}/{repo}/issues/{number}',
      (context) => {
        const viewer = needViewer(context);
        const repository = findRepository(context);
        requireIssues(repository);
        const issue = findIssue(repository, context.params['number']);
        const canPush = repository.collaborators.has(viewer);
        if (!canPush && issue.user !== viewer) throw new HttpError(403, 'Must have push access to update this issue.');
        const { body } = context;
        if (body['title'] !== undefined) issue.title = String(body['title']);
        if (body['body'] !== undefined) issue.body = body['body'] as string | null;
        if (body['state'] !== undefined) {
          if (body['state'] !== 'open' && body['state'] !== 'closed') invalid('Issue', 'state', 'invalid');
          const changed = issue.state !== body['state'];
          issue.state = body['state'] as 'open' | 'closed';
          if (changed)
            issue.state_reason =
              (body['state_reason'] as string | null | undefined) ??
              (issue.state === 'closed' ? 'completed' : 'reopened');
        }
        applyIssueFields(repository, issue, body, canPush);
        issue.updated_at = timestamp(400);
        return { json: issueJson(repository, issue) };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/issues/{number}/comments',
      (context) => {
        const repository = findRepository(context);
        const issue = findIssue(repository, context.params['number']);
        const since = context.query.get('since');
        const comments = issue.comments.filter((comment) => !since || comment.created_at >= since);
        const { page, link } = paginate(
          comments,
          context.query,
          `/repositories/${repository.id}/issues/${issue.number}/comments`,
        );
        return {
          json: page.map((comment) => ({
            id: comment.id,
            body: comment.body,
            user: userJson(comment.user),
            created_at: comment.created_at,
            updated_at: comment.created_at,
            author_association: 'OWNER',
          })),
          ...(link ? { headers: { link } } : {}),
        };
      },
    ],
    [
      'POST /repos/{owner}/{repo}/issues/{number}/comments',
      (context) => {
        const viewer = needViewer(context);
        const repository = findRepository(context);
        requireIssues(repository);
        const issue = findIssue(repository, context.params['number']);
        const body = expectString(context.body, 'body') ?? missing('body');
        if (body === '') invalid('IssueComment', 'body', 'missing_field');
        const comment: Comment = { id: nextCommentId++, body, user: viewer, created_at: timestamp(500) };
        issue.comments.push(comment);
        const url = `${publicUrl}/repos/${repository.owner}/${repository.name}/issues/comments/${comment.id}`;
        return {
          status: 201,
          json: {
            id: comment.id,
            body,
            user: userJson(viewer),
            created_at: comment.created_at,
            updated_at: comment.created_at,
            author_association: 'OWNER',
            url,
            issue_url: issueJson(repository, issue).url,
          },
          headers: { location: url },
        };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/contents/{+path}',
      (context) => {
        const repository = findRepository(context);
        const ref = context.query.get('ref') ?? repository.default_branch;
        if (!repository.branches.has(ref))
          throw new HttpError(
            404,
            `No commit found for the ref ${ref}`,
            {},
            'https://docs.github.com/rest/repos/contents#get-repository-content',
          );
        const path = (context.params['path'] as string).replace(/\/+$/, '');
        const file = repository.files.get(path);
        if (file) return { json: contentJson(repository, path, file) };
        const entries = [...repository.files.keys()].filter((candidate) => candidate.startsWith(`${path}/`));
        if (entries.length === 0)
          throw new HttpError(
            404,
            'Not Found',
            {},
            'https://docs.github.com/rest/repos/contents#get-repository-content',
          );
        const names = [...new Set(entries.map((entry) => entry.slice(path.length + 1).split('/')[0] as string))].sort();
        return {
          json: names.map((name) => {
            const full = `${path}/${name}`;
            const content = repository.files.get(full);
            return {
              type: content ? 'file' : 'dir',
              name,
              path: full,
              size: content?.length ?? 0,
              sha: sha(`blob-${full}`),
            };
          }),
        };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/commits',
      (context) => {
        const repository = findRepository(context);
        const { query } = context;
        const start = query.get('sha');
        if (start && !repository.branches.has(start) && !repository.commits.some((commit) => commit.sha === start))
          throw new HttpError(404, `No commit found for SHA: ${start}`);
        let commits = repository.commits;
        const path = query.get('path');
        if (path) commits = commits.filter((commit) => commit.files.includes(path));
        const author = query.get('author');
        if (author) commits = commits.filter((commit) => commit.author === author);
        const since = query.get('since');
        if (since) commits = commits.filter((commit) => commit.date >= since);
        const until = query.get('until');
        if (until) commits = commits.filter((commit) => commit.date < until);
        const { page, link } = paginate(commits, query, `/repositories/${repository.id}/commits`);
        return {
          json: page.map((commit) => ({
            sha: commit.sha,
            commit: {
              message: commit.message,
              author: {
                name: users.get(commit.author)?.name,
                email: `${commit.author}@example.com`,
                date: commit.date,
              },
            },
            author: userJson(commit.author),
            url: `${publicUrl}/repos/${repository.owner}/${repository.name}/commits/${commit.sha}`,
            html_url: `https://github.com/${repository.owner}/${repository.name}/commit/${commit.sha}`,
          })),
          ...(link ? { headers: { link } } : {}),
        };
      },
    ],
    [
      'GET /repos/{owner}/{repo}/branches',
      (context) => {
        const repository = findRepository(context);
        const wanted = context.query.get('protected');
        const branches = [...repository.branches.entries()]
          .filter(([, branch]) => wanted === null || String(branch.protected) === wanted)
          .map(([name, branch]) => ({
            name,
            commit: {
              sha: branch.sha,
              url: `${publicUrl}/repos/${repository.owner}/${repository.name}/commits/${branch.sha}`,
            },
            protected: branch.protected,
          }));
        const { page, link } = paginate(branches, context.query, `/repositories/${repository.id}/branches`);
        return { json: page, ...(link ? { headers: { link } } : {}) };
      },
    ],
    [
      'GET /search/issues',
      (context) => {
        const q = context.query.get('q');
        if (!q) invalid('Search', 'q', 'missing');
        const terms = (q as string).split(/\s+/).filter(Boolean);
        const kind = terms.find((term) => term === 'is:issue' || term === 'is:pr' || term === 'is:pull-request');
        if (context.token?.kind === 'github_app_user' && !kind) {
          throw new HttpError(
            422,
            "Query must include 'is:issue' or 'is:pull-request'",
            {},
            'https://docs.github.com/rest/search/search#search-issues-and-pull-requests',
          );
        }
        const results: Array<{ repository: Repository; issue: Issue }> = [];
        for (const repository of repositories.values()) {
          if (repository.private && !(context.viewer && repository.collaborators.has(context.viewer))) continue;
          for (const issue of repository.issues) results.push({ repository, issue });
        }
        const matches = results.filter(({ repository, issue }) =>
          terms.every((term) => {
            if (term.startsWith('repo:'))
              return term.slice(5).toLowerCase() === `${repository.owner}/${repository.name}`.toLowerCase();
            if (term === 'is:issue') return !issue.pull;
            if (term === 'is:pr' || term === 'is:pull-request') return Boolean(issue.pull);
            if (term === 'is:open' || term === 'state:open') return issue.state === 'open';
            if (term === 'is:closed' || term === 'state:closed') return issue.state === 'closed';
            if (term.startsWith('label:')) return issue.labels.includes(term.slice(6));
            if (term.startsWith('author:')) return issue.user === term.slice(7);
            return `${issue.title} ${issue.body ?? ''}`.toLowerCase().includes(term.toLowerCase());
          }),
        );
        const { page, link } = paginate(matches, context.query, '/search/issues');
        return {
          json: {
            total_count: matches.length,
            incomplete_results: false,
            items: page.map(({ repository, issue }) => ({ ...issueJson(repository, issue), score: 1 })),
          },
          headers: { 'x-ratelimit-resource': 'search', 'x-ratelimit-limit': '30', ...(link ? { link } : {}) },
        };
      },
    ],
  ];

  /** GitHub's headers on every API answer. */
  const githubHeaders = (): Record<string, string> => ({
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': `${randomBytes(2).toString('hex').toUpperCase()}:${randomBytes(3).toString('hex').toUpperCase()}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': rateLimited ? '0' : '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-used': rateLimited ? '5000' : '1',
    'x-ratelimit-resource': 'core',
  });
  const reply = (status: number, json: unknown, headers: Record<string, string>): Reply => ({
    status,
    headers: { ...githubHeaders(), ...headers },
    ...(json === undefined ? {} : { json }),
  });

  /** What GitHub checks before any route (user agent, credentials, rate limit, API version), then the route. */
  function answer(request: RecordedRequest, handler: Route[1] | undefined): Reply {
    const { headers } = request;
    if (!headers['user-agent']) {
      return {
        status: 403,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        text: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).',
      };
    }
    try {
      // A bad credential is answered before the API version is looked at, as GitHub does.
      let token: TokenInfo | undefined;
      const authorization = headers['authorization'];
      if (authorization !== undefined) {
        const match = /^(?:bearer|token)\s+(\S+)$/i.exec(authorization);
        token = match ? lookupToken(match[1] as string) : undefined;
        if (!token || (token.expiresAt !== undefined && token.expiresAt <= Date.now()))
          throw new HttpError(401, 'Bad credentials');
      }
      if (rateLimited) {
        throw new HttpError(
          403,
          `API rate limit exceeded for user ID ${users.get(token?.login ?? '')?.id ?? 0}. If you reach out to GitHub Support for help, please include the request ID and timestamp.`,
          {},
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        );
      }
      const version = headers['x-github-api-version'];
      if (version !== undefined && !SUPPORTED_API_VERSIONS.includes(version)) {
        throw new HttpError(
          400,
          `The version you specified in the "X-GitHub-API-Version" request header, "${version}", is not a supported version. The following versions are currently supported: ${SUPPORTED_API_VERSIONS.map((supported) => `"${supported}"`).join(', ')}.`,
        );
      }
      // GitHub answers an unsupported method, and a path with a trailing slash, with 404 too.
      if (!handler) throw new HttpError(404, 'Not Found');
      let body: Record<string, unknown> = {};
      if (request.body !== '') {
        try {
          body = JSON.parse(request.body) as Record<string, unknown>;
        } catch {
          throw new HttpError(400, 'Problems parsing JSON');
        }
      }
      const result = handler({
        method: request.method,
        params: request.params,
        query: request.query,
        body,
        viewer: token?.login,
        token,
        headers,
      });
      const extra: Record<string, string> = {
        'x-github-api-version-selected': version ?? '2022-11-28',
        ...result.headers,
      };
      if (token?.kind === 'oauth') {
        extra['x-oauth-scopes'] = token.scopes.join(', ');
        extra['x-accepted-oauth-scopes'] = 'repo';
      }
      return reply(result.status ?? 200, result.json, extra);
    } catch (error) {
      if (!(error instanceof HttpError)) return reply(500, { message: 'Server Error' }, {});
      return reply(
        error.status,
        {
          message: error.message,
          ...error.extra,
          documentation_url: error.documentationUrl,
          status: String(error.status),
        },
        {},
      );
    }
  }

  const table: Routes = {};
  for (const [key, handler] of routes) {
    const [method, path] = key.split(' ') as [string, string];
    table[`${method} ${basePath}${path}`] = (request) => answer(request, handler);
  }
  // Everything else still goes through GitHub's checks before its 404.
  table['/'] = (request) => answer(request, undefined);
  table['/{+path}'] = (request) => answer(request, undefined);
  const server = await startRecordingServer(table);

  return {
    url: server.url,
    requests: server.requests,
    users,
    addToken: (token, info) => void tokens.set(token, info),
    revokeToken: (token) => {
      tokens.delete(token);
      revoked.add(token);
    },
    exhaustRateLimit: () => {
      rateLimited = true;
    },
    repository: (fullName) => {
      const repository = repositories.get(fullName.toLowerCase());
      if (!repository) throw new Error(`no repository ${fullName}`);
      return repository;
    },
    close: () => server.close(),
  };
}
