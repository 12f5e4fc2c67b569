// The API reference page: rendered on the server from the OpenAPI document, with no script and
// no asset from elsewhere, so it works offline and under a strict Content-Security-Policy.

type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Inline `code` in descriptions, the only Markdown the document uses. */
function prose(text: unknown): string {
  if (typeof text !== 'string' || text === '') return '';
  return `<p>${escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`;
}

function anchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A schema as indented JSON, with `$ref`s linked to their component below. */
function schemaBlock(schema: unknown): string {
  if (schema === undefined) return '';
  const json = escapeHtml(JSON.stringify(schema, null, 2));
  const linked = json.replace(
    /&#34;#\/components\/schemas\/([A-Za-z0-9_.-]+)&#34;/g,
    (_match, name: string) =>
      `&#34;<a href="#schema-${anchor(name)}">#/components/schemas/${escapeHtml(name)}</a>&#34;`,
  );
  return `<pre>${linked}</pre>`;
}

function operationHtml(method: string, path: string, operation: Json): string {
  const id = anchor(`${method} ${path}`);
  const parameters = (operation['parameters'] as Json[] | undefined) ?? [];
  const body = (operation['requestBody'] as Json | undefined)?.['content'] as Record<string, Json> | undefined;
  const responses = (operation['responses'] as Record<string, Json> | undefined) ?? {};
  const secured = Array.isArray(operation['security']) ? (operation['security'] as unknown[]).length > 0 : true;
  const parts = [
    `<section class="operation" id="${id}" aria-labelledby="${id}-title">`,
    `<h3 id="${id}-title"><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>`,
    `<p class="summary">${escapeHtml(String(operation['summary'] ?? ''))}${secured ? '' : ' <span class="tag">no API key</span>'}</p>`,
    prose(operation['description']),
  ];
  if (parameters.length > 0) {
    parts.push(
      '<table><caption>Parameters</caption><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">required</th><th scope="col">schema</th><th scope="col">description</th></tr></thead><tbody>',
    );
    for (const parameter of parameters) {
      parts.push(
        `<tr><td><code>${escapeHtml(String(parameter['name']))}</code></td><td>${escapeHtml(String(parameter['in']))}</td>` +
          `<td>${parameter['required'] ? 'yes' : 'no'}</td><td><code>${escapeHtml(JSON.stringify(parameter['schema'] ?? {}))}</code></td>` +
          `<td>${escapeHtml(String(parameter['description'] ?? (parameter['schema'] as Json | undefined)?.['description'] ?? ''))}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  if (body) {
    for (const [type, content] of Object.entries(body)) {
      parts.push(`<h4>Request body <code>${escapeHtml(type)}</code></h4>`, schemaBlock(content['schema']));
    }
  }
  parts.push('<h4>Responses</h4><dl>');
  for (const [status, response] of Object.entries(responses)) {
    const content = response['content'] as Record<string, Json> | undefined;
    const types = content
      ? Object.keys(content)
          .map((type) => `<code>${escapeHtml(type)}</code>`)
          .join(' ')
      : '';
    parts.push(`<dt>${escapeHtml(status)} ${types}</dt><dd>${prose(response['description'])}</dd>`);
  }
  parts.push('</dl></section>');
  return parts.join('\n');
}

/** The whole page for an OpenAPI 3.1 document. */
export function renderReferencePage(document: Json): string {
  const info = (document['info'] as Json | undefined) ?? {};
  const paths = (document['paths'] as Record<string, Json> | undefined) ?? {};
  const byTag = new Map<string, string[]>();
  const navigation = new Map<string, string[]>();
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const tag = ((operation['tags'] as string[] | undefined) ?? ['Other'])[0] as string;
      if (!byTag.has(tag)) {
        byTag.set(tag, []);
        navigation.set(tag, []);
      }
      byTag.get(tag)?.push(operationHtml(method, path, operation));
      navigation
        .get(tag)
        ?.push(
          `<li><a href="#${anchor(`${method} ${path}`)}">${escapeHtml(String(operation['summary'] ?? path))}</a></li>`,
        );
    }
  }
  const schemas =
    ((document['components'] as Json | undefined)?.['schemas'] as Record<string, unknown> | undefined) ?? {};
  const title = escapeHtml(String(info['title'] ?? 'API'));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} reference</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;display:grid;grid-template-columns:17rem 1fr}
nav{position:sticky;top:0;height:100vh;overflow:auto;padding:1rem;background:#f4f4f6;border-right:1px solid #ddd}
nav ul{list-style:none;padding-left:.5rem;margin:.25rem 0 1rem}nav h2{font-size:1rem;margin:.5rem 0 0}
main{padding:1rem 2rem;max-width:60rem}a{color:#0b57d0}a:focus{outline:3px solid #0b57d0;outline-offset:2px}
.operation{border-top:1px solid #ddd;padding:.5rem 0 1rem}.summary{font-weight:600}
.method{display:inline-block;min-width:4rem;text-align:center;border-radius:4px;color:#fff;font-size:.85rem;padding:.1rem .4rem}
.get{background:#146c2e}.post{background:#0b57d0}.delete{background:#b3261e}.put,.patch{background:#7a4a00}
.tag{font-size:.8rem;border:1px solid #555;border-radius:4px;padding:0 .3rem;font-weight:400}
pre{background:#f4f4f6;padding:.75rem;overflow:auto;font-size:.85rem}table{border-collapse:collapse;font-size:.9rem}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}caption{text-align:left;font-weight:600}
</style>
</head>
<body>
<nav aria-label="Operations">
<p><strong>${title}</strong> ${escapeHtml(String(info['version'] ?? ''))}</p>
<p><a href="/openapi.json">openapi.json</a></p>
${[...navigation].map(([tag, items]) => `<h2>${escapeHtml(tag)}</h2><ul>${items.join('')}</ul>`).join('\n')}
<h2><a href="#schemas">Schemas</a></h2>
</nav>
<main>
<h1>${title}</h1>
${prose(info['description'])}
${[...byTag].map(([tag, operations]) => `<h2 id="${anchor(`tag ${tag}`)}">${escapeHtml(tag)}</h2>\n${operations.join('\n')}`).join('\n')}
<h2 id="schemas">Schemas</h2>
${Object.entries(schemas)
  .map(
    ([name, schema]) =>
      `<section id="schema-${anchor(name)}"><h3>${escapeHtml(name)}</h3>${schemaBlock(schema)}</section>`,
  )
  .join('\n')}
</main>
</body>
</html>
`;
}

/** Headers for the page: no script may run, nothing is loaded from elsewhere. */
export const REFERENCE_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
