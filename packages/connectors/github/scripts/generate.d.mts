/** Types of scripts/generate.mjs, for the test that checks src/generated/ is fresh. */
export function screamingSnake(text: string): string;
export function plainText(markdown: string | undefined): string;
export function generate(): { files: Map<string, string>; digest: string; operationCount: number };
export function staleFiles(files?: Map<string, string>): string[];
