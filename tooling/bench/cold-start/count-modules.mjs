// `node --import ./count-modules.mjs SCRIPT`: reports every file module loaded, for the module
// counts in the cold-start table. Used on a separate, untimed run: hooks slow loading down.
import { register } from 'node:module';

register('./count-modules-hooks.mjs', import.meta.url);
