// The config module the mcp-start benchmark hands to the plugboard-mcp bin: the synthetic catalogue
// of about 2,100 generated actions, built from the bench's compiled sources.
import { createToolset } from '@plugboard/core';
import { syntheticCatalogue } from '../dist/sections/synthetic-catalogue.js';

export const toolset = createToolset({ connectors: syntheticCatalogue('http://127.0.0.1:9') });
