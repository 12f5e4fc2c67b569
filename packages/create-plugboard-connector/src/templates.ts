// The files of a generated connector package. Kept as code, not as template files, so the
// published package is its dist alone and nothing is read from disk at run time.

export interface TemplateContext {
  /** App id: `acme`. */
  id: string;
  /** Display name: `Acme`. */
  displayName: string;
  /** Action prefix: `ACME`. */
  prefix: string;
  /** npm package name: `plugboard-connector-acme`. */
  packageName: string;
  /** Identifier of the exported connector: `acme`. */
  variable: string;
  /** Version ranges of the dependencies the generated package gets. */
  versions: Record<'core' | 'testkit' | 'zod' | 'zodDev' | 'vitest' | 'typescript' | 'typesNode', string>;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function renderTemplates(context: TemplateContext): Record<string, string> {
  const { id, displayName, prefix, packageName, variable, versions } = context;
  return {
    'package.json': json({
      name: packageName,
      version: '0.0.0',
      description: `${displayName} connector for Plugboard.`,
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      engines: { node: '>=20' },
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
      main: './dist/index.js',
      types: './dist/index.d.ts',
      files: ['dist', 'README.md'],
      keywords: ['plugboard', 'plugboard-connector', id],
      scripts: {
        build: 'tsc -p tsconfig.build.json',
        typecheck: 'tsc -p tsconfig.json',
        test: 'vitest run',
        changeset: 'npx --yes @changesets/cli',
        prepublishOnly: 'npm run build',
      },
      peerDependencies: { '@plugboard/core': versions.core, zod: versions.zod },
      devDependencies: {
        '@plugboard/core': versions.core,
        '@plugboard/testkit': versions.testkit,
        '@types/node': versions.typesNode,
        typescript: versions.typescript,
        vitest: versions.vitest,
        zod: versions.zodDev,
      },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        types: ['node'],
        noEmit: true,
      },
      include: ['src', 'test'],
    }),
    'tsconfig.build.json': json({
      extends: './tsconfig.json',
      compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist', declaration: true },
      include: ['src'],
    }),
    '.gitignore': 'node_modules\ndist\n*.tgz\n',
    '.changeset/config.json': json({
      $schema: 'https://unpkg.com/@changesets/config@3.1.1/schema.json',
      changelog: '@changesets/cli/changelog',
      commit: false,
      fixed: [],
      linked: [],
      access: 'public',
      baseBranch: 'main',
      updateInternalDependencies: 'patch',
      ignore: [],
    }),
    '.changeset/README.md': `# Changesets

Describe each change users will notice with \`npm run changeset\`: pick the bump, write a sentence
for the changelog, commit the file it adds. \`npx @changesets/cli version\` applies them.
`,
    '.changeset/first-release.md': `---
'${packageName}': minor
---

First release of the ${displayName} connector for Plugboard.
`,
    'src/index.ts': `export { ${variable}, ${variable}Connector, ${prefix}_API_URL } from './${id}-connector.js';
export type { ${displayName.replace(/[^A-Za-z0-9]/g, '')}ConnectorOptions } from './${id}-connector.js';
`,
    [`src/${id}-connector.ts`]: `import { CONNECTOR_SPEC_VERSION, apiKeyScheme, defineAction, defineConnector, type Connector } from '@plugboard/core';
import { z } from 'zod';

/** The API's base URL. Replace it with the real one. */
export const ${prefix}_API_URL = 'https://api.${id}.example/v1';

export interface ${displayName.replace(/[^A-Za-z0-9]/g, '')}ConnectorOptions {
  /**
   * Another base URL (a regional or self-hosted instance).
   * @default ${prefix}_API_URL
   */
  baseUrl?: string;
}

/** An example action: GET /items/{id}. Copy it for each operation of the API. */
export const getItem = defineAction({
  name: '${prefix}_GET_ITEM',
  description: 'Get one item by its id, with its name and when it was created.',
  tags: ['items', 'read'],
  input: z.object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_"').describe('The id of the item.'),
    fields: z.string().min(1).optional().describe('A comma-separated list of fields to return.'),
  }),
  request: 'GET /items/{id}',
});

/** The ${displayName} connector; \`${variable}\` is the one with the default options. */
export function ${variable}Connector(options: ${displayName.replace(/[^A-Za-z0-9]/g, '')}ConnectorOptions = {}): Connector {
  return defineConnector({
    id: '${id}',
    name: '${displayName}',
    version: '0.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: options.baseUrl ?? ${prefix}_API_URL,
    headers: { Accept: 'application/json' },
    authSchemes: [
      // An API key in a header. Other helpers: oauth2Scheme, oauth1Scheme, bearerTokenScheme,
      // basicScheme; placements go in header, query, path, subdomain or body.
      apiKeyScheme({ placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }] }),
    ],
    actions: [getItem],
  });
}

export const ${variable}: Connector = ${variable}Connector();
`,
    [`test/${id}-connector.test.ts`]: `import { createToolset } from '@plugboard/core';
import { rerouteFetch, runConnectorConformance, startRecordingServer, type RecordingServer } from '@plugboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ${prefix}_API_URL, ${variable} } from '../src/index.js';

// The shared suite: shape, invalid input sends nothing, credentials where the scheme says, no
// secret in errors, and the request of each action's fixture. Add a fixture for every new action.
runConnectorConformance(${variable}, {
  actions: {
    ${prefix}_GET_ITEM: {
      input: { id: 'item-1', fields: 'name' },
      request: { method: 'GET', path: '/items/item-1', query: { fields: 'name' } },
      response: { json: { id: 'item-1', name: 'First' } },
      invalidInputs: [{ id: '../admin' }, { id: 'item-1', fields: '' }],
    },
  },
});

// Your own tests, against a local fake of the API: the connector keeps its real URL and
// rerouteFetch sends it to the recording server, so nothing leaves the machine.
describe('${variable} against a fake API', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer({
      'GET /v1/items/{id}': (request) =>
        request.headers['x-api-key'] === 'key-123' ? { json: { id: request.params['id'], name: 'First' } } : { status: 401, json: { error: 'invalid key' } },
    });
  });
  afterAll(() => server.close());

  it('gets an item with the API key in its header', async () => {
    const { fetch, sent } = rerouteFetch({ [new URL(${prefix}_API_URL).origin]: server.url });
    const toolset = createToolset({ connectors: [${variable}], fetch });
    const result = await toolset.executeAction('${prefix}_GET_ITEM', { id: 'item-1' }, { auth: { parameters: [{ name: 'X-Api-Key', in: 'header', value: 'key-123' }] } });
    expect(result).toEqual({ successful: true, data: { id: 'item-1', name: 'First' }, error: null });
    expect(sent.map((request) => request.url)).toEqual([\`\${${prefix}_API_URL}/items/item-1\`]);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/items/item-1' });
  });

  it('reports a refused key without showing it', async () => {
    const { fetch } = rerouteFetch({ [new URL(${prefix}_API_URL).origin]: server.url });
    const toolset = createToolset({ connectors: [${variable}], fetch, http: { retries: 0 } });
    const result = await toolset.executeAction('${prefix}_GET_ITEM', { id: 'item-1' }, { auth: { parameters: [{ name: 'X-Api-Key', in: 'header', value: 'wrong-key-456' }] } });
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 401 } });
    expect(JSON.stringify(result)).not.toContain('wrong-key-456');
  });
});
`,
    'README.md': `# ${packageName}

The ${displayName} connector for [Plugboard](https://www.npmjs.com/package/@plugboard/core).

\`\`\`sh
npm install @plugboard/core ${packageName} zod
\`\`\`

\`\`\`ts
import { createToolset } from '@plugboard/core';
import { ${variable} } from '${packageName}';

const toolset = createToolset({ connectors: [${variable}] });
await toolset.initiateConnection({ app: '${id}', authMode: 'API_KEY', entityId: 'user-42', connectedAccountParams: { api_key: process.env.${prefix}_API_KEY } });
const result = await toolset.executeAction('${prefix}_GET_ITEM', { id: 'item-1' }, { entityId: 'user-42' });
console.log(result);
\`\`\`

## Actions

| Action | Endpoint |
| --- | --- |
| \`${prefix}_GET_ITEM\` | \`GET /items/{id}\` |

## Developing

\`\`\`sh
npm install
npm test            # the conformance suite of @plugboard/testkit and the tests against a fake API
npm run typecheck
npm run build
\`\`\`

Add an action: a \`defineAction\` in \`src/\`, listed in the connector's \`actions\`, and a fixture for
it in \`test/${id}-connector.test.ts\`. Record each change users will notice with \`npm run changeset\`.
Publish with \`npm publish --access public\`.
`,
  };
}
