import { PlugboardError, serializeError } from '../errors.js';
import type { ActionEffects } from '../spec/action.js';
import type { ActionSummary } from '../toolset/catalogue.js';
import type { ExecuteOptions } from '../toolset/create-toolset.js';
import type { ActionResult } from '../toolset/run-action.js';
import type { ActionSearchResult, SearchActionsOptions } from '../toolset/search-actions.js';
import { createRouterTools, type RouterHandler } from './action-router.js';

/**
 * Which actions to offer a model, and how. Every filter given must match; none given offers every
 * action that is not deprecated.
 */
export interface ToolSelection {
  apps?: readonly string[];
  /** Action names or aliases. Naming a deprecated action offers it. */
  actions?: readonly string[];
  tags?: readonly string[];
  /**
   * `'actions'`: one tool per selected action. `'router'`: three meta-tools (search the actions,
   * get one's input schema, execute one) through which a model reaches every selected action,
   * however large the catalogue.
   * @default 'actions'
   */
  mode?: 'actions' | 'router';
  /** Only actions whose effects say they only read (`effects.readOnly`). @default false */
  readOnly?: boolean;
  /** Offer actions the vendor deprecated too. @default false */
  includeDeprecated?: boolean;
}

/** The limits of the framework the tools are offered to (name length, description length). */
export interface AgentToolLimits {
  /** Longest tool name the framework accepts. @default 64 */
  maxNameLength?: number;
  /** Longest description worth sending; longer ones are cut at a sentence or word. @default 1024 */
  maxDescriptionLength?: number;
}

/** One action, shaped for any agent framework. */
export interface AgentTool {
  /** The name the model sees: the action name, shortened with a hash suffix if over the limit. */
  name: string;
  /** The action it runs; for a router meta-tool, its own name. */
  actionName: string;
  app: string | undefined;
  description: string;
  /** JSON Schema of the input, an object schema without `$schema`. */
  inputSchema: Record<string, unknown>;
  /** JSON Schema of the data a successful call returns, when the action declares one. */
  outputSchema?: Record<string, unknown>;
  /** What the tool does to the world (MCP shows these as tool annotations). */
  effects: ActionEffects;
  /** Set on the router's meta-tools, which answer calls themselves. */
  router?: RouterHandler;
}

/** The tools offered, and the lookup that `runToolCalls` uses to refuse anything else. */
export interface AgentToolSet {
  tools: AgentTool[];
  byName: ReadonlyMap<string, AgentTool>;
}

/** What the adapters need of a toolset. The router mode needs `searchActions` and `getAction` too. */
export interface ToolsetForAgents {
  listActions(filter?: { app?: string; tags?: string[]; names?: string[] }): ActionSummary[];
  executeAction(name: string, input: unknown, options?: ExecuteOptions): Promise<ActionResult>;
  searchActions?(query: string, options?: SearchActionsOptions): Promise<ActionSearchResult[]>;
  getAction?(name: string): ActionSummary;
}

const NAME_CHARACTERS = /[^A-Za-z0-9_-]/g;

/**
 * Selects actions and shapes them as tools: names within the framework's limit and alphabet,
 * descriptions trimmed, input schemas as plain JSON Schema objects. In router mode, the three
 * meta-tools instead (see `ROUTER_TOOL_NAMES`).
 * @example
 * createAgentTools(toolset, { mode: 'router', apps: ['github'], readOnly: true });
 */
export function createAgentTools(
  toolset: ToolsetForAgents,
  selection: ToolSelection = {},
  limits: AgentToolLimits = {},
): AgentToolSet {
  const maxNameLength = limits.maxNameLength ?? 64;
  const maxDescriptionLength = limits.maxDescriptionLength ?? 1024;
  if (selection.mode === 'router') {
    const { searchActions, getAction, executeAction } = toolset;
    if (!searchActions || !getAction)
      throw new PlugboardError(
        'CONFIGURATION_ERROR',
        'The router mode needs a toolset with searchActions and getAction (a toolset from createToolset has both).',
      );
    const tools = createRouterTools(
      {
        searchActions: searchActions.bind(toolset),
        getAction: getAction.bind(toolset),
        executeAction: executeAction.bind(toolset),
      },
      selection,
    ).map((tool) => ({ ...tool, description: trimDescription(tool.description, maxDescriptionLength) }));
    return { tools, byName: new Map(tools.map((tool) => [tool.name, tool])) };
  }
  let actions = toolset.listActions();
  if (selection.apps)
    actions = actions.filter((action) => action.app !== undefined && selection.apps?.includes(action.app));
  if (selection.tags) actions = actions.filter((action) => action.tags.some((tag) => selection.tags?.includes(tag)));
  if (selection.actions) {
    const wanted = new Set(selection.actions);
    const known = new Set(actions.flatMap((action) => [action.name, ...action.aliases]));
    const unknown = [...wanted].filter((name) => !known.has(name));
    if (unknown.length > 0)
      throw new PlugboardError(
        'ACTION_NOT_FOUND',
        `No action named ${unknown.join(', ')} among the selected apps and tags.`,
        { details: { unknown } },
      );
    actions = actions.filter((action) => wanted.has(action.name) || action.aliases.some((alias) => wanted.has(alias)));
  }
  if (selection.readOnly) actions = actions.filter((action) => action.effects.readOnly === true);
  // Named actions were asked for by name, deprecated or not.
  if (!selection.includeDeprecated && !selection.actions) actions = actions.filter((action) => !action.deprecated);
  const byName = new Map<string, AgentTool>();
  const tools = actions.map((action) => {
    const tool: AgentTool = {
      name: toolName(action.name, maxNameLength),
      actionName: action.name,
      app: action.app,
      description: trimDescription(action.description, maxDescriptionLength),
      inputSchema: objectSchema(action.inputJsonSchema),
      effects: { ...action.effects },
      ...(action.outputJsonSchema ? { outputSchema: withoutDialect(action.outputJsonSchema) } : {}),
    };
    if (byName.has(tool.name))
      throw new PlugboardError('DUPLICATE_DEFINITION', `Two actions map to the tool name ${tool.name}.`);
    byName.set(tool.name, tool);
    return tool;
  });
  return { tools, byName };
}

/** A framework-safe name: `[A-Za-z0-9_-]`, at most `maxLength`, unique through a short hash. */
export function toolName(actionName: string, maxLength = 64): string {
  const safe = actionName.replace(NAME_CHARACTERS, '_');
  if (safe.length <= maxLength && safe === actionName) return safe;
  // A changed or shortened name gets a hash of the original, so two actions never share one.
  const suffix = `_${shortHash(actionName)}`;
  return safe.slice(0, maxLength - suffix.length) + suffix;
}

/** Cuts at the last sentence end, else the last word, before the limit, and marks the cut. */
export function trimDescription(description: string, maxLength = 1024): string {
  const text = description.trim();
  if (text.length <= maxLength) return text;
  const room = text.slice(0, maxLength - 1);
  const sentence = room.lastIndexOf('. ');
  if (sentence > maxLength / 2) return room.slice(0, sentence + 1);
  const word = room.lastIndexOf(' ');
  return `${room.slice(0, word > 0 ? word : room.length)}…`;
}

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, ...rest } = schema;
  return rest;
}

function objectSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const rest = withoutDialect(schema);
  return rest['type'] === 'object' ? rest : { type: 'object', properties: {}, ...rest };
}

// FNV-1a, enough to keep two shortened names apart.
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).slice(0, 6);
}

/** One tool call as a model made it: arguments as JSON text (OpenAI) or an object (Anthropic, MCP). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string | Record<string, unknown> | null | undefined;
}

/** The answer to one tool call: the call's id and name, and the action's result. */
export interface ToolCallOutcome {
  id: string;
  name: string;
  /**
   * The action run, when the tool was offered. Through the router: the action executed or whose
   * schema was read (`undefined` for a search or a refused call).
   */
  actionName: string | undefined;
  result: ActionResult;
  /** The result as the text a model reads, serialized once: the data, or `{ error }`. */
  content: string;
  isError: boolean;
}

/**
 * Runs every call at once and answers each, never throwing: a tool that was not offered, arguments
 * that are not JSON, invalid input and upstream failures all come back as error results the model
 * can read.
 */
export async function runToolCalls(
  toolset: ToolsetForAgents,
  offered: AgentToolSet,
  calls: readonly ToolCall[],
  options: ExecuteOptions = {},
): Promise<ToolCallOutcome[]> {
  return Promise.all(
    calls.map(async (call): Promise<ToolCallOutcome> => {
      const tool = offered.byName.get(call.name);
      let result: ActionResult;
      let actionName = tool?.actionName;
      if (!tool) {
        result = failed(
          new PlugboardError('TOOL_NOT_OFFERED', `The tool ${call.name} was not offered; use one of the tools listed.`),
        );
      } else {
        const input = parseArguments(call.arguments);
        if (!input.ok) result = failed(input.error);
        else if (tool.router) ({ actionName, result } = await tool.router.call(input.value, options));
        else result = await toolset.executeAction(tool.actionName, input.value, options);
      }
      return {
        id: call.id,
        name: call.name,
        actionName,
        result,
        content: JSON.stringify(result.successful ? (result.data ?? null) : { error: result.error }),
        isError: !result.successful,
      };
    }),
  );
}

function parseArguments(
  raw: ToolCall['arguments'],
): { ok: true; value: unknown } | { ok: false; error: PlugboardError } {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: {} };
  if (typeof raw !== 'string') return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, error: new PlugboardError('INVALID_PARAMS', 'The tool arguments are not valid JSON.') };
  }
}

function failed(error: PlugboardError): ActionResult {
  return { successful: false, data: null, error: serializeError(error) };
}
