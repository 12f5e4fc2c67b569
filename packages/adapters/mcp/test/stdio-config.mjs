// The config module the stdio test hands to the `plugboard-mcp` bin.
import { acmeToolset } from '@plugboard/testkit';

const apiUrl = process.env['ACME_API_URL'];
if (!apiUrl) throw new Error('ACME_API_URL is not set');

export const { toolset } = await acmeToolset(apiUrl);
export const mcp = { selection: { tags: ['read'] } };
