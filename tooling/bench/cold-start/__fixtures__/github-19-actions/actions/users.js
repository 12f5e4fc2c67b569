import { defineAction } from '@plugboard/core';
import { z } from 'zod';
export const getTheAuthenticatedUser = defineAction({
    name: 'GITHUB_GET_THE_AUTHENTICATED_USER',
    description: 'Get the profile of the connected GitHub user: login, id, name, email, company, bio, and counts of public repositories and followers.',
    tags: ['users', 'read'],
    input: () => z.object({}),
    request: 'GET /user',
});
