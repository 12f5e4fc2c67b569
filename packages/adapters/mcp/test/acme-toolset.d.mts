import type { Toolset } from '@plugboard/core';

export function acmeToolset(
  baseUrl: string,
): Promise<{ toolset: Toolset; connections: Record<'user-1' | 'user-2', string> }>;
