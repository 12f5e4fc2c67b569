import { defineAction } from '@plugboard/core';
import { z } from 'zod';
import { owner, repo } from './fields.js';
export const starARepositoryForTheAuthenticatedUser = defineAction({
    name: 'GITHUB_STAR_A_REPOSITORY_FOR_THE_AUTHENTICATED_USER',
    description: 'Star a repository as the connected user. Starring an already starred repository succeeds too. Returns { starred: true }.',
    tags: ['activity', 'repos', 'write'],
    input: () => z.object({ owner, repo }),
    // GitHub answers 204 with no body; the request itself has none either (Content-Length: 0).
    request: 'PUT /user/starred/{owner}/{repo}',
    mapResponse: () => ({ starred: true }),
});
