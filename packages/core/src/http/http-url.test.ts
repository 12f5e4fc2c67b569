import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  createToolset,
  defineAction,
  defineConnector,
  httpUrlProblem,
  noAuthScheme,
  PlugboardError,
} from '../index.js';

describe('httpUrlProblem', () => {
  it('accepts absolute http and https URLs with a path', () => {
    expect(httpUrlProblem('https://api.example.com/v1')).toBeUndefined();
    expect(httpUrlProblem('http://127.0.0.1:8080')).toBeUndefined();
  });

  it('names what is wrong with anything else', () => {
    expect(httpUrlProblem('/v1/items')).toBe('is not an absolute URL');
    expect(httpUrlProblem('ftp://files.example.com')).toBe('must be http or https');
    expect(httpUrlProblem('https://user:secret@api.example.com')).toBe('cannot have credentials (user:password@)');
    expect(httpUrlProblem('https://token@api.example.com')).toBe('cannot have credentials (user:password@)');
    expect(httpUrlProblem('https://api.example.com/v1?key=1')).toBe('cannot have a query or fragment');
    expect(httpUrlProblem('https://api.example.com/v1#top')).toBe('cannot have a query or fragment');
  });
});

describe('every base URL is checked the same way', () => {
  const connector = (baseUrl: string) =>
    defineConnector({
      id: 'acme',
      name: 'Acme',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl,
      authSchemes: [noAuthScheme()],
      actions: [defineAction({ name: 'ACME_PING', description: 'Ping.', input: z.object({}), request: 'GET /ping' })],
    });

  it('refuses credentials in a connector base URL, without repeating them', () => {
    let thrown: unknown;
    try {
      connector('https://user:s3cret-pass@api.example.com');
    } catch (error) {
      thrown = error;
    }
    expect(PlugboardError.isInstance(thrown, 'INVALID_DEFINITION')).toBe(true);
    expect(String((thrown as Error).message)).toContain('baseUrl cannot have credentials');
    expect(String((thrown as Error).message)).not.toContain('s3cret-pass');
  });

  it('refuses credentials in a custom auth base URL', () => {
    const toolset = createToolset({ connectors: [connector('https://api.example.com')] });
    expect(() =>
      toolset.addAuth('acme', { parameters: [], baseUrl: 'https://user:s3cret-pass@api.example.com' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => toolset.addAuth('acme', { parameters: [], baseUrl: 'https://eu.api.example.com' })).not.toThrow();
  });
});
