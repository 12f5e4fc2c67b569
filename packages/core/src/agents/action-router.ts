import { PlugboardError, serializeError } from '../errors.js';
import type { ActionSummary } from '../toolset/catalogue.js';
import type { ExecuteOptions } from '../toolset/create-toolset.js';
import type { ActionResult } from '../toolset/run-action.js';
import type { ActionSearchResult, SearchActionsOptions } from '../toolset/search-actions.js';
import type { AgentTool, ToolSelection } from './agent-tools.js';

/** The router's three meta-tools, by the names a model sees. */
export const ROUTER_TOOL_NAMES = {
  search: 'PLUGBOARD_SEARCH_ACTIONS',
  schema: 'PLUGBOARD_GET_ACTION_SCHEMA',
  execute: 'PLUGBOARD_EXECUTE_ACTION',
} as const;

/** What the router needs of a toolset, beyond listing and executing. */
export interface ToolsetForRouter {
  searchActions(query: string, options?: SearchActionsOptions): Promise<ActionSearchResult[]>;
  getAction(name: string): ActionSummary;
  executeAction(name: string, input: unknown, options?: ExecuteOptions): Promise<ActionResult>;
}

/** How a meta-tool answers a call, in place of running an action of its own name. */
export interface RouterHandler {
  kind: keyof typeof ROUTER_TOOL_NAMES;
  /** Answers the call; never throws. `actionName` is the action run, looked up, or `undefined` for a search. */
  call(input: unknown, options: ExecuteOptions): Promise<{ actionName: string | undefined; result: ActionResult }>;
}

const DEFAULT_SEARCH_LIMIT = 8;
const MAX_SEARCH_LIMIT = 20;

/**
 * Three tools that reach every selected action: search the catalogue, read one action's input
 * schema, execute one action. The selection (apps, tags, names, read-only, deprecated) bounds all
 * three: an action outside it is never found, described or run.
 */
export function createRouterTools(toolset: ToolsetForRouter, selection: ToolSelection): AgentTool[] {
  const named = selection.actions ? new Set(selection.actions.map((name) => toolset.getAction(name).name)) : undefined;
  const offers = (summary: ActionSummary): boolean => {
    if (selection.apps && (summary.app === undefined || !selection.apps.includes(summary.app))) return false;
    if (selection.tags && !summary.tags.some((tag) => selection.tags?.includes(tag))) return false;
    if (named && !named.has(summary.name)) return false;
    if (selection.readOnly && summary.effects.readOnly !== true) return false;
    return selection.includeDeprecated === true || !summary.deprecated || named?.has(summary.name) === true;
  };
  // An action the model names is looked up by name or alias, and refused alike whether unknown or not offered.
  const offeredAction = (name: unknown): ActionSummary => {
    if (typeof name !== 'string' || name === '')
      throw new PlugboardError('INVALID_PARAMS', 'Give the action name as "action", as the search returned it.');
    const summary = toolset.getAction(name);
    if (!offers(summary))
      throw new PlugboardError(
        'TOOL_NOT_OFFERED',
        `The action ${summary.name} is not offered here; search for another.`,
      );
    return summary;
  };
  const scope = selection.apps ? ` of ${selection.apps.join(', ')}` : '';

  return [
    {
      name: ROUTER_TOOL_NAMES.search,
      actionName: ROUTER_TOOL_NAMES.search,
      app: undefined,
      description: `Search the actions${scope} you can run, by what you want to do in plain words ("re-run the failed CI job"). Returns the best matches, best first; read one's input with ${ROUTER_TOOL_NAMES.schema}, then run it with ${ROUTER_TOOL_NAMES.execute}.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What you want to do, in plain words.' },
          app: { type: 'string', description: 'Only actions of this app (an app id like "github").' },
          limit: {
            type: 'integer',
            minimum: 1,
            maximum: MAX_SEARCH_LIMIT,
            description: `How many matches at most (default ${DEFAULT_SEARCH_LIMIT}).`,
          },
        },
        required: ['query'],
        additionalProperties: false,
      },
      effects: { readOnly: true, idempotent: true },
      router: {
        kind: 'search',
        call: (input) =>
          answer(undefined, async () => {
            const { query, app, limit } = objectInput(input);
            if (typeof query !== 'string' || query.trim() === '')
              throw new PlugboardError('INVALID_PARAMS', 'Give "query": what you want to do, in plain words.');
            if (app !== undefined && app !== null && typeof app !== 'string')
              throw new PlugboardError('INVALID_PARAMS', '"app" is an app id like "github".');
            if (typeof app === 'string' && selection.apps && !selection.apps.includes(app))
              throw new PlugboardError(
                'TOOL_NOT_OFFERED',
                `The app ${app} is not offered here; use ${selection.apps.join(', ')}.`,
              );
            const wanted = limit === undefined || limit === null ? DEFAULT_SEARCH_LIMIT : limit;
            if (typeof wanted !== 'number' || !Number.isInteger(wanted) || wanted < 1 || wanted > MAX_SEARCH_LIMIT)
              throw new PlugboardError('INVALID_PARAMS', `"limit" is an integer from 1 to ${MAX_SEARCH_LIMIT}.`);
            const apps = typeof app === 'string' ? [app] : selection.apps;
            const found = await toolset.searchActions(query, {
              apps,
              tags: selection.tags,
              readOnly: selection.readOnly,
              includeDeprecated: selection.includeDeprecated,
              // A selection by name is applied after the search, so ask for enough to keep `limit` of them.
              limit: named ? 100 : wanted,
            });
            const results = found
              .filter((result) => !named || named.has(result.name))
              .slice(0, wanted)
              .map((result) => ({ name: result.name, app: result.app, description: result.description }));
            return { results };
          }),
      },
    },
    {
      name: ROUTER_TOOL_NAMES.schema,
      actionName: ROUTER_TOOL_NAMES.schema,
      app: undefined,
      description: `The input schema of one action found with ${ROUTER_TOOL_NAMES.search}, and whether it only reads or may destroy. Read it before ${ROUTER_TOOL_NAMES.execute}.`,
      inputSchema: {
        type: 'object',
        properties: { action: { type: 'string', description: 'The action name, as the search returned it.' } },
        required: ['action'],
        additionalProperties: false,
      },
      effects: { readOnly: true, idempotent: true },
      router: {
        kind: 'schema',
        call: async (input) => {
          let actionName: string | undefined;
          const outcome = await answer(undefined, async () => {
            const summary = offeredAction(objectInput(input)['action']);
            actionName = summary.name;
            return {
              name: summary.name,
              app: summary.app,
              description: summary.description,
              inputSchema: withoutDialect(summary.inputJsonSchema),
              effects: summary.effects,
              ...(summary.outputJsonSchema ? { outputSchema: withoutDialect(summary.outputJsonSchema) } : {}),
            };
          });
          return { ...outcome, actionName };
        },
      },
    },
    {
      name: ROUTER_TOOL_NAMES.execute,
      actionName: ROUTER_TOOL_NAMES.execute,
      app: undefined,
      description: `Run one action with its input, as ${ROUTER_TOOL_NAMES.schema} describes it. The input is checked before anything is sent. Call this tool several times at once to run several actions in parallel.`,
      inputSchema: {
        type: 'object',
        properties: {
          action: { type: 'string', description: 'The action name, as the search returned it.' },
          input: {
            type: 'object',
            description: "The action's input, matching its input schema.",
            additionalProperties: true,
          },
        },
        required: ['action', 'input'],
        additionalProperties: false,
      },
      effects: {},
      router: {
        kind: 'execute',
        call: async (input, options) => {
          let summary: ActionSummary;
          let actionInput: unknown;
          try {
            const fields = objectInput(input);
            summary = offeredAction(fields['action']);
            actionInput = fields['input'] ?? {};
          } catch (error) {
            return { actionName: undefined, result: failed(error) };
          }
          return { actionName: summary.name, result: await toolset.executeAction(summary.name, actionInput, options) };
        },
      },
    },
  ];
}

async function answer(
  actionName: string | undefined,
  run: () => Promise<unknown>,
): Promise<{ actionName: string | undefined; result: ActionResult }> {
  try {
    return { actionName, result: { successful: true, data: await run(), error: null } };
  } catch (error) {
    return { actionName, result: failed(error) };
  }
}

function objectInput(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PlugboardError('INVALID_PARAMS', 'The tool input must be a JSON object.');
  return input as Record<string, unknown>;
}

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function failed(error: unknown): ActionResult {
  // A foreign error's message may hold anything a connector put there; only PlugboardErrors are shown.
  const known = PlugboardError.isInstance(error)
    ? error
    : new PlugboardError('ACTION_FAILED', 'The router could not answer this call.');
  return { successful: false, data: null, error: serializeError(known) };
}
