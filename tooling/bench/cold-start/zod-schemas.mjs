// Cold start: build 30 input schemas shaped like the GitHub connector's (6 described fields each)
// and parse one input with each, with zod's full (classic) API or with zod/mini.
// Usage: node zod-schemas.mjs classic|mini
const flavor = process.argv[2];
const NAME = /^[A-Za-z0-9_.-]+$/;
const COUNT = 30;
const input = { owner: 'octocat', repo: 'Hello-World', number: 1347, state: 'open', per_page: 30 };
const schemas = [];

if (flavor === 'classic') {
  const { z } = await import('zod');
  for (let index = 0; index < COUNT; index++) {
    schemas.push(
      z.object({
        owner: z.string().regex(NAME).max(100).describe(`The account owner of the repository (${index}).`),
        repo: z.string().regex(NAME).max(100).describe('The name of the repository without the .git extension.'),
        number: z.number().int().positive().describe('The number that identifies the pull request.'),
        state: z.enum(['open', 'closed', 'all']).optional().describe('Which pull requests to list by state.'),
        per_page: z.number().int().min(1).max(100).optional().describe('The number of results per page, at most 100.'),
        page: z.number().int().min(1).optional().describe('The page of results to fetch, starting at 1.'),
      }),
    );
  }
} else if (flavor === 'mini') {
  const z = await import('zod/mini');
  const described = (schema, description) => schema.register(z.globalRegistry, { description });
  for (let index = 0; index < COUNT; index++) {
    schemas.push(
      z.object({
        owner: described(
          z.string().check(z.regex(NAME), z.maxLength(100)),
          `The account owner of the repository (${index}).`,
        ),
        repo: described(
          z.string().check(z.regex(NAME), z.maxLength(100)),
          'The name of the repository without the .git extension.',
        ),
        number: described(z.int().check(z.positive()), 'The number that identifies the pull request.'),
        state: described(z.optional(z.enum(['open', 'closed', 'all'])), 'Which pull requests to list by state.'),
        per_page: described(
          z.optional(z.int().check(z.minimum(1), z.maximum(100))),
          'The number of results per page, at most 100.',
        ),
        page: described(z.optional(z.int().check(z.minimum(1))), 'The page of results to fetch, starting at 1.'),
      }),
    );
  }
} else {
  throw new Error('usage: node zod-schemas.mjs classic|mini');
}
for (const schema of schemas) {
  if (!schema.safeParse(input).success) throw new Error(`${flavor}: the input did not parse`);
}
