import type { ActionSummary } from '@plugboard/core';

export declare const START: string;
export declare const END: string;
export declare function renderActions(actions: readonly ActionSummary[]): string;
export declare function replaceActionsSection(readme: string, rendered: string): string;
