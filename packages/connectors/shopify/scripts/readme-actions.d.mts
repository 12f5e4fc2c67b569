import type { Connector } from '@plugboard/core';

/** The markdown table of every action of a connector. */
export function renderActionsTable(connector: Connector): string;
/** README text with the table between the markers replaced. */
export function updateReadme(readme: string, table: string): string;
