import { createToolset, type Connector, type Toolset, type ToolsetOptions } from '@plugboard/core';
import type { ProjectStore, ServerStorage } from './server-storage.js';

/** What every project's toolset shares: the connectors and, in tests, a fetch that reaches local fakes. */
export type SharedToolsetOptions = Omit<ToolsetOptions, 'store' | 'connectors'> & { connectors: readonly Connector[] };

/** One toolset per project, each over the project's own store: isolation by construction. */
export interface ProjectToolsets {
  /** The project's toolset, opened on first use and kept. The project must exist (the caller checked its key). */
  get(projectId: string): Promise<Toolset>;
  close(): Promise<void>;
}

export function createProjectToolsets(
  storage: ServerStorage,
  shared: SharedToolsetOptions,
  /** Called once per project toolset when it opens: where the server subscribes to its events. */
  onOpen: (projectId: string, toolset: Toolset) => void = () => undefined,
): ProjectToolsets {
  const open = new Map<string, Promise<{ toolset: Toolset; store: ProjectStore }>>();
  return {
    async get(projectId) {
      let entry = open.get(projectId);
      if (!entry) {
        entry = storage.openProjectStore(projectId).then((store) => {
          const toolset = createToolset({ ...shared, store });
          onOpen(projectId, toolset);
          return { toolset, store };
        });
        open.set(projectId, entry);
        // A store that failed to open is tried again on the next request, not cached as broken.
        entry.catch(() => open.delete(projectId));
      }
      return (await entry).toolset;
    },
    async close() {
      const entries = await Promise.allSettled(open.values());
      open.clear();
      for (const entry of entries) if (entry.status === 'fulfilled') await entry.value.store.close?.();
    },
  };
}
