import { readFileSync } from 'node:fs';
import { CONNECTOR_SPEC_VERSION, createToolset } from '@plugboard/core';
import { ACTIONS_END, ACTIONS_START, renderActionsReadme, replaceActionsSection } from '@plugboard/testkit';
import { describe, expect, it } from 'vitest';
import { GMAIL_BASE_URL, GMAIL_CONNECTOR_VERSION, gmail, gmailConnector } from './index.js';

const ACTIONS = [
  'GMAIL_FETCH_EMAILS',
  'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
  'GMAIL_SEND_EMAIL',
  'GMAIL_CREATE_EMAIL_DRAFT',
  'GMAIL_REPLY_TO_THREAD',
  'GMAIL_LIST_LABELS',
  'GMAIL_ADD_LABEL_TO_EMAIL',
  'GMAIL_LIST_THREADS',
  'GMAIL_MOVE_TO_TRASH',
  'GMAIL_GET_PROFILE',
  'GMAIL_GET_ATTACHMENT',
];

describe('the gmail connector', () => {
  it('is registered with its id, version, spec version and base URL', () => {
    const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(gmail).toMatchObject({
      id: 'gmail',
      name: 'Gmail',
      baseUrl: 'https://gmail.googleapis.com/gmail/v1',
      specVersion: CONNECTOR_SPEC_VERSION,
      preferredAuthMode: 'OAUTH2',
    });
    expect(gmail.version).toBe(packageJson.version);
    expect(GMAIL_CONNECTOR_VERSION).toBe(packageJson.version);
    expect(GMAIL_BASE_URL).toBe(gmail.baseUrl);
    expect(gmailConnector({ baseUrl: 'http://127.0.0.1:9/gmail/v1' }).baseUrl).toBe('http://127.0.0.1:9/gmail/v1');
  });

  it('lists every action, each with a description on every input field', () => {
    const actions = createToolset({ connectors: [gmail] }).listActions({ app: 'gmail' });
    // The curated actions first, then the generated ones (src/generated/gmail-methods.test.ts).
    expect(actions.slice(0, ACTIONS.length).map((action) => action.name)).toEqual(ACTIONS);
    expect(actions).toHaveLength(82);
    for (const action of actions) {
      expect(action.name.startsWith('GMAIL_')).toBe(true);
      // Google's own descriptions of its methods can be short ("Gets the specified label.").
      expect(action.description.length).toBeGreaterThan(ACTIONS.includes(action.name) ? 40 : 10);
      expect(action.tags.length).toBeGreaterThan(0);
      const properties = (action.inputJsonSchema['properties'] ?? {}) as Record<string, { description?: string }>;
      expect(Object.keys(properties).length).toBeGreaterThan(0);
      for (const [name, property] of Object.entries(properties))
        expect(property.description, `${action.name}.${name}`).toEqual(expect.any(String));
    }
  });

  it('has an up-to-date action reference in its README (run `pnpm build && pnpm readme` after changing actions)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(ACTIONS_START);
    expect(readme).toContain(ACTIONS_END);
    expect(readme).toBe(replaceActionsSection(readme, renderActionsReadme(gmail)));
    for (const name of ACTIONS) expect(readme).toContain(`\`${name}\``);
  });

  it('is refused by a core that implements another spec major version', () => {
    expect(() => createToolset({ connectors: [{ ...gmail, specVersion: '2.0' }] })).toThrow(
      expect.objectContaining({ code: 'INCOMPATIBLE_SPEC_VERSION' }),
    );
  });
});
