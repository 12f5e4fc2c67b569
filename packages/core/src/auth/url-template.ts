import { isDnsLabel } from '../encoding.js';
import { PlugboardError } from '../errors.js';

const TEMPLATE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills `{name}` templates in a URL's host, such as Shopify's per-shop
 * `https://{shop}.myshopify.com/admin/oauth/authorize`. Each value must be one DNS label, so a
 * user-supplied shop name can never point the flow at another host.
 */
export function fillHostTemplate(url: string, values: Readonly<Record<string, string | undefined>>): string {
  if (!url.includes('{')) return url;
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!match) throw new PlugboardError('INVALID_DEFINITION', 'An OAuth URL template must be an absolute URL.');
  const [, scheme, host, rest] = match as unknown as [string, string, string, string];
  const filled = host.replace(TEMPLATE, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      throw new PlugboardError(
        'INVALID_CONNECTION_PARAMS',
        `The URL needs a value for "${name}"; supply it in connectedAccountParams.`,
        {
          details: { missing: [name] },
        },
      );
    }
    if (!isDnsLabel(value)) {
      throw new PlugboardError(
        'INVALID_CONNECTION_PARAMS',
        `"${name}" must be one DNS label (letters, digits and inner hyphens) to be used in a host name.`,
        {
          details: { invalid: [{ field: name, reason: 'is not one DNS label' }] },
        },
      );
    }
    return value.toLowerCase();
  });
  if (rest.includes('{'))
    throw new PlugboardError('INVALID_DEFINITION', 'OAuth URL templates are only allowed in the host.');
  return scheme + filled + rest;
}
