import type { GraphQLSchema } from 'graphql';

export const API_VERSIONS: string[];
export function readIntrospection(version: string): { data: unknown; offline_scopes?: unknown };
export function loadSchema(version: string): GraphQLSchema;
export function screamingSnake(name: string): string;
export function generatedFiles(): Record<string, string>;
