import type { AuthField } from '@plugboard/core';
import { escapeHtml } from './html.js';

// Names of the form's own inputs; field names never start with an underscore.
export const CSRF_INPUT = '_csrf';
export const MODE_INPUT = '_mode';

/** The id of a field's input; its hint and error ids derive from it (for `aria-describedby`). */
export const inputId = (field: AuthField) => `field-${field.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * The field as the browser sees it: a labelled input of the right type, secret fields masked and
 * never filled back in, the scheme's pattern checked before anything is sent, and a hint and an
 * error tied to the input with `aria-describedby`.
 */
export function renderField(field: AuthField, value: string | undefined, error: string | undefined, first: boolean) {
  const id = inputId(field);
  const describedBy: string[] = [];
  const hint = field.description ? `<span class="hint" id="${id}-hint">${escapeHtml(field.description)}</span>` : '';
  if (hint) describedBy.push(`${id}-hint`);
  const errorText = error ? `<span class="error" id="${id}-error">${escapeHtml(error)}</span>` : '';
  if (errorText) describedBy.push(`${id}-error`);
  const attributes = [`id="${id}"`, `name="${escapeHtml(field.name)}"`];
  if (describedBy.length > 0) attributes.push(`aria-describedby="${describedBy.join(' ')}"`);
  if (error) attributes.push('aria-invalid="true"');
  // The first field in error takes the focus when the page comes back, so a keyboard or screen-reader user lands on it.
  if (first) attributes.push('autofocus');

  if (field.type === 'boolean') {
    const checked = value === 'true' || (value === undefined && field.default === true);
    return `<div class="field checkbox"><input type="checkbox" value="true" ${attributes.join(' ')}${checked ? ' checked' : ''}> <label for="${id}">${escapeHtml(field.displayName)}</label>${hint}${errorText}</div>`;
  }
  if (field.required && field.default === undefined) attributes.push('required');
  if (field.secret) {
    attributes.push('type="password"', 'autocomplete="off"', 'spellcheck="false"');
  } else {
    attributes.push(field.type === 'number' ? 'type="number" step="any"' : 'type="text"', 'autocomplete="off"');
    const shown = value ?? (field.default === undefined ? undefined : String(field.default));
    if (shown !== undefined) attributes.push(`value="${escapeHtml(shown)}"`);
  }
  const pattern = field.type === 'string' && field.pattern !== undefined ? browserPattern(field.pattern) : undefined;
  if (pattern !== undefined) {
    attributes.push(`pattern="${escapeHtml(pattern)}"`);
    // Browsers add the title to their "match the requested format" message.
    if (field.description) attributes.push(`title="${escapeHtml(field.description)}"`);
  }
  const optional = field.required ? '' : ' <span class="optional">(optional)</span>';
  return `<div class="field"><label for="${id}">${escapeHtml(field.displayName)}${optional}</label>${hint}<input ${attributes.join(' ')}>${errorText}</div>`;
}

/**
 * A pattern the browser can check, or `undefined`. Browsers compile `pattern` with the `v` flag,
 * under which some patterns valid with `u` are syntax errors (a bare `-` or `(` in a class) and the
 * attribute is then silently ignored; such a pattern is checked by the server alone.
 */
export function browserPattern(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`, 'v');
    return pattern;
  } catch {
    return undefined;
  }
}

/** The submitted values of the user's fields, as the toolset takes them: blanks left out so defaults and "missing" apply. */
export function readFieldValues(fields: readonly AuthField[], form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const raw = form.get(field.name);
    if (field.type === 'boolean') {
      values[field.name] = raw === 'true' ? 'true' : 'false';
      continue;
    }
    if (typeof raw === 'string' && raw !== '') values[field.name] = raw;
  }
  return values;
}
