// The root README's "Against the real APIs" section, run as a user would: its `npm install` line in
// an empty project, its flows.mjs saved as it is, both read from README.md at check time so the
// README and the check cannot drift. The only change is a preloaded fetch that sends the vendors'
// hosts to the demo's fakes; this script also plays the user's browser for the GitHub OAuth step.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { indent, run, runOrThrow } from './run-command.mjs';
import { typecheckConsumer } from './typecheck-consumer.mjs';
import { startVendorFakes } from './vendor-fakes.mjs';
import { preloadSource, ROUTES_VARIABLE } from './vendor-routes.mjs';

const SECTION = '## Against the real APIs';

/** The section's `npm install ...` line and the flows.mjs code block. */
export function readmeFlows(readme) {
  const start = readme.indexOf(SECTION);
  if (start === -1) throw new Error(`README.md has no "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const installLine = /^```sh\n(npm install [^\n]+)\n```/m.exec(section)?.[1];
  if (!installLine) throw new Error(`README.md's "${SECTION}" has no \`npm install\` line in a sh block`);
  const script = /Save this as `flows\.mjs`[^\n]*\n\n```js\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!script) throw new Error(`README.md's "${SECTION}" has no flows.mjs js block after "Save this as \`flows.mjs\`"`);
  return { installLine, script };
}

/** Installs and runs the README's flows in `project` (an empty folder) against the fakes. */
export async function checkReadmeFlows({ root, project, npmEnv }) {
  const { installLine, script } = readmeFlows(readFileSync(path.join(root, 'README.md'), 'utf8'));
  await writeFile(path.join(project, 'package.json'), `${JSON.stringify({ name: 'readme-flows', private: true })}\n`);
  const [command, ...args] = installLine.split(/\s+/);
  const installStarted = Date.now();
  await runOrThrow(command, [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env: npmEnv });
  const installSeconds = ((Date.now() - installStarted) / 1000).toFixed(1);
  await writeFile(path.join(project, 'flows.mjs'), `${script}\n`);
  await writeFile(path.join(project, 'reroute-fetch.mjs'), preloadSource());

  const redirectUri = /const redirectUri = '([^']+)'/.exec(script)?.[1];
  if (!redirectUri) throw new Error("README.md's flows.mjs no longer has `const redirectUri = '...'`");
  const fakes = await startVendorFakes(root);
  let runSeconds;
  try {
    // Made up for this run: the user's GitHub App, tokens and shop, as the README's table asks for.
    const secrets = {
      GITHUB_CLIENT_ID: `Iv23li${randomBytes(7).toString('hex')}`,
      GITHUB_CLIENT_SECRET: randomBytes(20).toString('hex'),
      GITHUB_TOKEN: `ghp_${randomBytes(18).toString('hex')}`,
      GOOGLE_ACCESS_TOKEN: `ya29.a0${randomBytes(24).toString('base64url')}`,
      SHOPIFY_ACCESS_TOKEN: `shpat_${randomBytes(16).toString('hex')}`,
    };
    const shop = 'acme-widgets';
    fakes.github.registerApp({
      clientId: secrets.GITHUB_CLIENT_ID,
      clientSecret: secrets.GITHUB_CLIENT_SECRET,
      callbackUrl: redirectUri,
    });
    fakes.github.addPersonalToken(secrets.GITHUB_TOKEN, 'octocat');
    fakes.gmail.acceptToken(secrets.GOOGLE_ACCESS_TOKEN);
    fakes.shopify.acceptToken(shop, secrets.SHOPIFY_ACCESS_TOKEN);

    // The user's browser: open the printed URL (GitHub approves at once), follow the redirect back.
    let browser;
    const approve = async (printed) => {
      const authorize = new URL(printed);
      assert.equal(authorize.origin, 'https://github.com', `the authorization URL is GitHub's: ${printed}`);
      const answer = await fetch(new URL(authorize.pathname + authorize.search, fakes.github.web.origin), {
        redirect: 'manual',
      });
      const location = answer.headers.get('location') ?? '';
      assert.ok(location.startsWith(`${redirectUri}?`), `GitHub sends the browser back to ${redirectUri}: ${location}`);
      const callback = await fetch(location);
      assert.equal(callback.status, 200, `the loopback callback answers 200: ${await callback.text()}`);
    };
    const started = Date.now();
    const result = await run(process.execPath, ['--import', './reroute-fetch.mjs', 'flows.mjs'], {
      cwd: project,
      env: { ...secrets, SHOPIFY_SHOP: shop, [ROUTES_VARIABLE]: JSON.stringify(fakes.routes) },
      timeoutMs: 60_000,
      onStdout: (stdout) => {
        const printed = /Open this URL and approve: (\S+)/.exec(stdout)?.[1];
        if (printed && !browser) browser = approve(printed);
      },
    });
    runSeconds = ((Date.now() - started) / 1000).toFixed(1);
    const explain = `node flows.mjs:\n${indent(result.output)}`;
    assert.ok(browser, `flows.mjs printed no authorization URL.\n${explain}`);
    await browser;
    assert.equal(result.code, 0, `flows.mjs exited with ${result.code}.\n${explain}`);
    assert.equal(fakes.github.tokenRequests.authorization_code, 1, `one code exchange at GitHub.\n${explain}`);
    // Every call reached its vendor with credentials it accepted: no 401 anywhere.
    assert.doesNotMatch(result.output, /Bad credentials|Invalid API key|UNAUTHENTICATED|\b401\b/, explain);
    assert.match(result.output, /INVALID_PARAMS/, `step 6 reports INVALID_PARAMS.\n${explain}`);
    // GitHub got two calls, one with the OAuth user's token and one with the personal token; the
    // bad input of step 6 never left the process.
    const githubTokens = fakes.github.api.requests.map((request) => request.headers.authorization);
    assert.equal(githubTokens.length, 2, `two calls reached GitHub.\n${explain}`);
    assert.equal(fakes.github.tokenOwner(githubTokens[0]?.replace(/^Bearer /, '') ?? ''), 'mona', explain);
    assert.equal(githubTokens[1], `Bearer ${secrets.GITHUB_TOKEN}`, explain);
    assert.ok(fakes.gmail.server.requests.length >= 2, `Gmail was called for both Gmail steps.\n${explain}`);
    assert.ok(fakes.shopify.server.requests.length >= 1, `Shopify was called.\n${explain}`);
    // The client id is public (it is in the authorization URL); everything else is a secret.
    for (const [name, value] of Object.entries(secrets)) {
      if (name !== 'GITHUB_CLIENT_ID') assert.ok(!result.output.includes(value), `flows.mjs printed ${name}`);
    }
    for (const issued of fakes.github.oauth.issuedTokens) {
      assert.ok(!result.output.includes(issued.accessToken), 'flows.mjs printed the OAuth access token');
    }
  } finally {
    await fakes.close();
  }
  await typecheckConsumer({
    root,
    project,
    source: fileURLToPath(new URL('consumer.ts', import.meta.url)),
    target: 'consumer.ts',
  });
  return `${installLine.split(/\s+/).length - 2} packages installed in ${installSeconds} s, flows ran in ${runSeconds} s, consumer.ts typechecks`;
}
