// A TypeScript user's file, typechecked by the release check in the README project (strict,
// exactOptionalPropertyTypes, skipLibCheck off, NodeNext) against the packages installed from the
// registry: every published declaration it touches must resolve and agree with the others.
import { type ActionResult, type Connector, createToolset, PlugboardError, type Toolset } from '@plugboard/core';
import { GITHUB_CONNECTOR_VERSION, github, githubConnector } from '@plugboard/github';
import { gmail } from '@plugboard/gmail';
import { shopify } from '@plugboard/shopify';
import { type EmbeddedStore, embeddedStore } from '@plugboard/store-embedded';
import { z } from 'zod';

const enterprise: Connector = githubConnector({ baseUrl: 'https://ghe.example.com/api/v3' });
const version: string = GITHUB_CONNECTOR_VERSION;

export async function pullRequestTitle(directory: string): Promise<string | undefined> {
  const store: EmbeddedStore = await embeddedStore({ dir: directory });
  const toolset: Toolset = createToolset({ connectors: [github, gmail, shopify], store });
  try {
    const result: ActionResult = await toolset.executeAction(
      'GITHUB_GET_A_PULL_REQUEST',
      { owner: 'octocat', repo: 'Hello-World', pull_number: 1 },
      { entityId: 'me' },
    );
    if (!result.successful) {
      const { code, message } = result.error;
      throw new Error(`${code}: ${message}`);
    }
    return z.object({ title: z.string() }).parse(result.data).title;
  } catch (error) {
    if (PlugboardError.isInstance(error)) return `${error.code} (${enterprise.id} ${version})`;
    throw error;
  } finally {
    await store.close();
  }
}
