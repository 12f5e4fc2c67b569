/**
 * A value valid against a JSON Schema as scripts/generate.mjs writes them, filling every property
 * (optional ones too) so a request built from it carries every field an action can send.
 */
type JsonSchema = Record<string, unknown>;

// Strings for the patterns GitHub's request schemas use; anything else gets the first candidate that matches.
const PATTERN_SAMPLES: Record<string, string> = {
  '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$': 'c2VjcmV0',
  '^\\d+\\.\\d+\\.\\d+$': '1.2.3',
  '^([0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?)$': 'a'.repeat(40),
  '^refs/(heads|tags|pull)/.*$': 'refs/heads/main',
  '^refs/': 'refs/heads/main',
  '^pkg': 'pkg:npm/left-pad@1.3.0',
  '^sha256:[a-f0-9]{64}$': `sha256:${'a'.repeat(64)}`,
  '^https://': 'https://example.com/a',
  '^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ': 'ssh-ed25519 AAAAC3Nza',
  '^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) |^(sk-ssh-ed25519|sk-ecdsa-sha2-nistp256)@openssh.com ':
    'ssh-ed25519 AAAAC3Nza',
};

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2024-01-02T03:04:05Z',
  date: '2024-01-02',
  uri: 'https://example.com/a',
  email: 'octocat@github.com',
  'repo.nwo': 'octocat/Hello-World',
};

function sampleString(schema: JsonSchema, name: string): string {
  const pattern = schema['pattern'];
  if (typeof pattern === 'string') {
    const regex = new RegExp(pattern, 'u');
    const candidates = [PATTERN_SAMPLES[pattern], 'sample', 'octocat', 'main'].filter(
      (candidate): candidate is string => candidate !== undefined,
    );
    const found = candidates.find((candidate) => regex.test(candidate));
    if (found === undefined) throw new Error(`no sample string for ${name} matches ${pattern}`);
    return found;
  }
  const format = typeof schema['format'] === 'string' ? FORMAT_SAMPLES[schema['format']] : undefined;
  let value = format ?? (typeof schema['default'] === 'string' ? schema['default'] : `sample-${name || 'value'}`);
  const min = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Number.POSITIVE_INFINITY;
  if (value.length < min) value = value.padEnd(min, 'x');
  if (value.length > max) value = value.slice(0, max);
  return value;
}

export function sampleFromSchema(schema: JsonSchema, name = '', depth = 0): unknown {
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as unknown[];
    return values.find((value) => value !== null) ?? null;
  }
  const alternatives = schema['anyOf'] as JsonSchema[] | undefined;
  if (Array.isArray(alternatives)) {
    const first = alternatives.find((alternative) => alternative['type'] !== 'null') ?? {};
    return sampleFromSchema(first, name, depth);
  }
  const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : [schema['type']];
  const type = types.find((candidate) => candidate !== 'null') ?? (schema['properties'] ? 'object' : undefined);
  switch (type) {
    case 'string':
      return sampleString(schema, name);
    case 'integer':
    case 'number': {
      if (typeof schema['default'] === 'number') return schema['default'];
      const minimum = typeof schema['minimum'] === 'number' ? schema['minimum'] : 1;
      const maximum = typeof schema['maximum'] === 'number' ? schema['maximum'] : Number.POSITIVE_INFINITY;
      return Math.min(Math.max(minimum, 1), maximum);
    }
    case 'boolean':
      return true;
    case 'array': {
      const count = Math.max(1, typeof schema['minItems'] === 'number' ? schema['minItems'] : 1);
      const items = (schema['items'] as JsonSchema | undefined) ?? {};
      const item = sampleFromSchema(items, name, depth + 1);
      // uniqueItems: numbered copies of a string, otherwise one item.
      return Array.from({ length: count }, (_, index) =>
        typeof item === 'string' && index > 0 && items['enum'] === undefined ? `${item}-${index}` : item,
      );
    }
    case 'object': {
      const output: Record<string, unknown> = {};
      const properties = (schema['properties'] as Record<string, JsonSchema> | undefined) ?? {};
      const required = new Set((schema['required'] as string[] | undefined) ?? []);
      for (const [key, property] of Object.entries(properties)) {
        // Deep optional fields add nothing to what is checked and may be mutually exclusive.
        if (depth > 2 && !required.has(key)) continue;
        output[key] = sampleFromSchema(property, key, depth + 1);
      }
      return output;
    }
    default:
      return 'sample';
  }
}
