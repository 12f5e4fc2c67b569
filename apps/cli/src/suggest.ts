import { PlugboardError, type ActionSummary, type Toolset } from '@plugboard/core';
import { CliError } from './cli-error.js';
import { EXIT_USAGE_ERROR } from './exit-codes.js';

/**
 * Looks an action up; when there is none by that name, the error names the nearest ones: core's
 * (edit distance, for typos) first, then names sharing the most words, where a word may also be
 * the initials of consecutive words (`PR` for `PULL_REQUEST`), so `GITHUB_GET_PR` finds
 * `GITHUB_GET_A_PULL_REQUEST`.
 */
export function findAction(toolset: Toolset, name: string): ActionSummary {
  try {
    return toolset.getAction(name);
  } catch (error) {
    if (!PlugboardError.isInstance(error, 'ACTION_NOT_FOUND')) throw error;
    const fromCore = ((error.details as { suggestions?: string[] } | undefined)?.suggestions ?? []).filter(
      (item) => typeof item === 'string',
    );
    const names = toolset.listActions().flatMap((action) => [action.name, ...action.aliases]);
    const suggestions = [...new Set([...fromCore, ...byWords(name, names)])].slice(0, 3);
    throw new CliError(`no action named ${name}`, {
      hint:
        suggestions.length > 0
          ? `did you mean ${suggestions.join(', ')}? (plugboard actions lists them all)`
          : 'plugboard actions lists them all',
      exitCode: EXIT_USAGE_ERROR,
      cause: error,
    });
  }
}

export function byWords(query: string, candidates: readonly string[]): string[] {
  const words = query
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word !== '');
  if (words.length === 0) return [];
  const scored = candidates.map((candidate) => ({ candidate, score: matchedWords(words, candidate.split('_')) }));
  const best = Math.max(0, ...scored.map((entry) => entry.score));
  // At least two words in common (or the only word given), so an app prefix alone suggests nothing.
  if (best < Math.min(2, words.length)) return [];
  return scored
    .filter((entry) => entry.score === best)
    .map((entry) => entry.candidate)
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .slice(0, 3);
}

function matchedWords(words: readonly string[], parts: readonly string[]): number {
  let matched = 0;
  for (const word of words) {
    const isPrefix = parts.some((part) => part.startsWith(word));
    const isInitials =
      word.length > 1 &&
      parts.some(
        (_, start) =>
          parts
            .slice(start, start + word.length)
            .map((part) => part[0])
            .join('') === word,
      );
    if (isPrefix || isInitials) matched += 1;
  }
  return matched;
}
