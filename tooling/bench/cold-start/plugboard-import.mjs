// Cold start: import @plugboard/core and the GitHub connector (which builds its actions' zod schemas).
import { createToolset } from '@plugboard/core';
import { githubConnector } from '@plugboard/github';

if (typeof createToolset !== 'function' || typeof githubConnector !== 'function')
  throw new Error('plugboard did not load');
