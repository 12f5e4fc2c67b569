export { scaffold, ScaffoldError, DEFAULT_VERSIONS } from './scaffold.js';
export type { ScaffoldOptions, ScaffoldResult } from './scaffold.js';
export type { TemplateContext } from './templates.js';
