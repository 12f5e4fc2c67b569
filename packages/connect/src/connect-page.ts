import type { AuthField, AuthMode } from '@plugboard/core';
import { CSRF_INPUT, inputId, MODE_INPUT, renderField } from './form-fields.js';
import { escapeHtml } from './html.js';

/** How the page names each auth mode when the user chooses between several. */
const MODE_LABELS: Record<AuthMode, string> = {
  OAUTH2: 'Sign in',
  OAUTH1: 'Sign in',
  API_KEY: 'API key',
  BASIC: 'Username and password',
  BEARER_TOKEN: 'Access token',
  BASIC_WITH_JWT: 'Username and password',
  SIGNED_ASSERTION: 'Service account',
  NO_AUTH: 'No sign-in',
};

export const REDIRECT_MODES = new Set<AuthMode>(['OAUTH2', 'OAUTH1']);

export interface FormPage {
  basePath: string;
  app: { id: string; name: string };
  /** The modes to choose from; one entry means no choice is shown. */
  modes: Array<{ mode: AuthMode; displayName: string; href: string }>;
  mode: AuthMode;
  fields: readonly AuthField[];
  csrfToken: string;
  /** Non-secret values to fill back in. */
  values: Readonly<Record<string, string>>;
  /** Per field name. */
  errors: Readonly<Record<string, string>>;
  /** An error not tied to one field. */
  formError?: string | undefined;
  reconnect: boolean;
}

export function renderFormPage(page: FormPage): string {
  const appName = escapeHtml(page.app.name);
  const redirect = REDIRECT_MODES.has(page.mode);
  const title = page.reconnect ? `Reconnect ${page.app.name}` : `Connect ${page.app.name}`;
  const lead = page.reconnect
    ? `Your ${appName} connection has stopped working. Connect it again to carry on.`
    : redirect
      ? `You will sign in at ${appName} and come back here.`
      : `Enter the details below to connect your ${appName} account.`;
  const choice =
    page.modes.length > 1
      ? `<nav aria-label="How to connect"><ul>${page.modes
          .map(
            (entry) =>
              `<li><a href="${escapeHtml(entry.href)}"${entry.mode === page.mode ? ' aria-current="page"' : ''}>${escapeHtml(MODE_LABELS[entry.mode] ?? entry.displayName)}</a></li>`,
          )
          .join('')}</ul></nav>`
      : '';
  const errorEntries = page.fields.filter((field) => page.errors[field.name] !== undefined);
  const summaryItems = [
    ...(page.formError ? [`<li>${escapeHtml(page.formError)}</li>`] : []),
    ...errorEntries.map(
      (field) => `<li><a href="#${inputId(field)}">${escapeHtml(page.errors[field.name] as string)}</a></li>`,
    ),
  ];
  const summary =
    summaryItems.length > 0
      ? `<div class="summary" role="alert" id="form-errors"><h2>${page.formError && errorEntries.length === 0 ? 'That did not work' : 'Check these fields'}</h2><ul>${summaryItems.join('')}</ul></div>`
      : '';
  const firstInError = errorEntries[0]?.name;
  const fields = page.fields
    .map((field) =>
      renderField(
        field,
        field.secret ? undefined : page.values[field.name],
        page.errors[field.name],
        field.name === firstInError,
      ),
    )
    .join('');
  const button = redirect ? `Continue with ${appName}` : `Connect ${appName}`;
  const body = `${appHeader(page.app, escapeHtml(title))}
<p class="lead">${lead}</p>
${choice}${summary}<form method="post" action="${escapeHtml(page.basePath)}/session">
<input type="hidden" name="${CSRF_INPUT}" value="${escapeHtml(page.csrfToken)}">
<input type="hidden" name="${MODE_INPUT}" value="${page.mode}">
${fields}<button type="submit">${button}</button>
</form>
<p class="muted">Your details go to ${appName} through this page only; they are not shown again.</p>`;
  return layout(title, body, page.basePath);
}

export interface OutcomePage {
  basePath: string;
  ok: boolean;
  title: string;
  message: string;
  app?: { id: string; name: string } | undefined;
  /** A button: "Try again", "Back to the app". */
  action?: { href: string; label: string } | undefined;
}

/** The success page and every failure page: what happened and what to do now. */
export function renderOutcomePage(page: OutcomePage): string {
  const header = page.app ? appHeader(page.app, escapeHtml(page.title)) : `<h1>${escapeHtml(page.title)}</h1>`;
  const status = `<p class="status" aria-hidden="true">${page.ok ? '&#10003;' : '&#9888;'}</p>`;
  const action = page.action
    ? `<p><a class="button" href="${escapeHtml(page.action.href)}">${escapeHtml(page.action.label)}</a></p>`
    : '';
  const body = `${status}${header}<p class="lead" role="${page.ok ? 'status' : 'alert'}">${escapeHtml(page.message)}</p>${action}`;
  return layout(page.title, body, page.basePath);
}

function appHeader(app: { id: string; name: string }, title: string): string {
  const initial = escapeHtml((app.name.trim()[0] ?? '?').toUpperCase());
  return `<div class="app"><span class="logo" aria-hidden="true">${initial}</span><h1>${title}</h1></div>`;
}

function layout(title: string, body: string, basePath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(basePath)}/style.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
