import type { Connector, Toolset } from '@plugboard/core';

export interface ActionRow {
  name: string;
  aliases: string[];
  endpoint: string;
  inputJsonSchema: Record<string, unknown>;
}

export const START_MARKER: string;
export const END_MARKER: string;
export function describeType(schema: unknown): string;
export function renderActionsTable(actions: ActionRow[]): string;
export function replaceActionsSection(readme: string, table: string): string;
export function actionRows(connector: Connector, toolset: Toolset): ActionRow[];
