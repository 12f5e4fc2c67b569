import { readFileSync } from 'node:fs';
import { createToolset } from '@plugboard/core';
import { describe, expect, it } from 'vitest';
import { GITHUB_CONNECTOR_VERSION, github, githubConnector, webUrlFor } from './index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('the github connector', () => {
  it('declares its id, its version (the package version), both auth modes and every action', () => {
    const toolset = createToolset({ connectors: [github] });
    expect(GITHUB_CONNECTOR_VERSION).toBe(packageJson.version);
    expect(toolset.listApps()).toEqual([
      {
        id: 'github',
        name: 'GitHub',
        description: 'Pull requests, issues, repositories, files, commits and search on GitHub.',
        authModes: ['OAUTH2', 'BEARER_TOKEN', 'SIGNED_ASSERTION'],
        // The 19 curated actions and one generated action for every other operation of the REST API.
        actionCount: 1223,
        version: packageJson.version,
      },
    ]);
    expect(github.baseUrl).toBe('https://api.github.com');
    expect(github.headers).toEqual({
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': `plugboard-github/${packageJson.version}`,
    });
    const oauth2 = github.authSchemes.find((scheme) => scheme.mode === 'OAUTH2')?.oauth2;
    expect(oauth2).toMatchObject({
      authorizationUrl: 'https://github.com/login/oauth/authorize',
      tokenUrl: 'https://github.com/login/oauth/access_token',
      scopeSeparator: ' ',
      pkce: true,
      clientAuthMethod: 'client_secret_post',
      grantTypes: ['authorization_code', 'refresh_token'],
    });
  });

  it('names every action GITHUB_ and describes every input field for the LLM', () => {
    const toolset = createToolset({ connectors: [github] });
    const actions = toolset.listActions({ app: 'github' });
    expect(actions.map((action) => action.name)).toContain('GITHUB_CREATE_ISSUE');
    for (const action of actions) {
      expect(action.name).toMatch(/^GITHUB_[A-Z0-9_]+$/);
      expect(action.description.length).toBeGreaterThan(20);
      const schema = action.inputJsonSchema as { type: string; properties: Record<string, { description?: string }> };
      expect(schema.type).toBe('object');
      // GitHub's description leaves some fields of generated actions undescribed; curated ones describe all.
      if (action.tags.includes('generated')) continue;
      for (const [name, property] of Object.entries(schema.properties)) {
        expect(property.description, `${action.name}.${name}`).toMatch(/\S/);
      }
    }
  });

  it('takes its OAuth URLs from the web host that goes with a GitHub Enterprise base URL', () => {
    expect(webUrlFor('https://api.github.com')).toBe('https://github.com');
    expect(webUrlFor('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(webUrlFor('https://api.octocorp.ghe.com')).toBe('https://octocorp.ghe.com');
    const enterprise = githubConnector({ baseUrl: 'https://ghe.example.com/api/v3/' });
    expect(enterprise.baseUrl).toBe('https://ghe.example.com/api/v3');
    expect(enterprise.authSchemes[0]?.oauth2).toMatchObject({
      authorizationUrl: 'https://ghe.example.com/login/oauth/authorize',
      tokenUrl: 'https://ghe.example.com/login/oauth/access_token',
    });
    const explicit = githubConnector({
      baseUrl: 'https://git.example.com/custom/api',
      webUrl: 'https://sso.example.com/',
      apiVersion: '2026-03-10',
      defaultScopes: ['public_repo'],
    });
    expect(explicit.authSchemes[0]?.oauth2).toMatchObject({
      authorizationUrl: 'https://sso.example.com/login/oauth/authorize',
      defaultScopes: ['public_repo'],
    });
    expect(explicit.headers['X-GitHub-Api-Version']).toBe('2026-03-10');
  });

  it('refuses options it cannot use, naming the problem', () => {
    expect(() => githubConnector({ baseUrl: 'https://git.example.com/custom/api' })).toThrow(/give webUrl as well/);
    expect(() => githubConnector({ baseUrl: 'ftp://ghe.example.com' })).toThrow(/http or https/);
    expect(() => githubConnector({ baseUrl: 'https://ghe.example.com/api/v3?x=1' })).toThrow(/query/);
    expect(() => githubConnector({ apiVersion: 'v3' })).toThrow(/apiVersion must be a date/);
  });
});
