import { readFileSync } from 'node:fs';

/** The parts of Google's discovery document the tests read. */
export interface DiscoveryParameter {
  type: string;
  location: 'path' | 'query';
  required?: boolean;
  repeated?: boolean;
  enum?: string[];
  format?: string;
  pattern?: string;
}

export interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  parameters?: Record<string, DiscoveryParameter>;
  parameterOrder?: string[];
  request?: { $ref: string };
  scopes?: string[];
  supportsMediaUpload?: boolean;
  mediaUpload?: { accept: string[]; maxSize: string; protocols: { simple: { path: string } } };
}

export interface DiscoveryResource {
  methods?: Record<string, DiscoveryMethod>;
  resources?: Record<string, DiscoveryResource>;
}

/** vendor/gmail-v1.json, Google's document, as the generator read it. */
export const GMAIL_DISCOVERY = JSON.parse(
  readFileSync(new URL('../vendor/gmail-v1.json', import.meta.url), 'utf8'),
) as DiscoveryResource & {
  auth: { oauth2: { scopes: Record<string, { description: string }> } };
  schemas: Record<string, Record<string, unknown>>;
};

/** Every OAuth scope the document declares. */
export const GMAIL_SCOPES: readonly string[] = Object.keys(GMAIL_DISCOVERY.auth.oauth2.scopes);

/** Every method of the document, by its id (`gmail.users.settings.filters.list`). */
export function discoveryMethods(resource: DiscoveryResource = GMAIL_DISCOVERY): DiscoveryMethod[] {
  return [
    ...Object.values(resource.methods ?? {}),
    ...Object.values(resource.resources ?? {}).flatMap((child) => discoveryMethods(child)),
  ];
}
