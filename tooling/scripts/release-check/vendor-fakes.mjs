// The vendors, played by the offline demo's fakes (apps/demo/src/fakes, built on @plugboard/testkit):
// GitHub's REST API and OAuth server, Gmail's API and Shopify's Admin API on 127.0.0.1. They are
// loaded from the demo's build output, which `pnpm test` builds before this check runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function startVendorFakes(root) {
  const fakes = path.join(root, 'apps/demo/dist/fakes');
  if (!existsSync(path.join(fakes, 'github.js'))) {
    throw new Error('apps/demo/dist/fakes does not exist: run `pnpm build` first.');
  }
  const load = (name) => import(pathToFileURL(path.join(fakes, `${name}.js`)).href);
  const [{ startFakeGitHub }, { startFakeGmail }, { startFakeShopify }] = await Promise.all([
    load('github'),
    load('gmail'),
    load('shopify'),
  ]);
  const github = await startFakeGitHub();
  const gmail = await startFakeGmail();
  const shopify = await startFakeShopify();
  return {
    github,
    gmail,
    shopify,
    routes: {
      'https://api.github.com': github.api.origin,
      'https://github.com': github.web.origin,
      'https://gmail.googleapis.com': gmail.server.origin,
      'https://*.myshopify.com': shopify.server.origin,
    },
    close: () => Promise.all([github.close(), gmail.close(), shopify.close()]),
  };
}
