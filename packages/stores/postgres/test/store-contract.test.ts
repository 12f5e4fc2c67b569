import { runStoreSuite } from '../../../core/test/store-suite.js';
import { freshStore } from './database.js';

// The one Store contract suite that the memory and embedded stores run too.
runStoreSuite('postgresStore', {
  async create() {
    let offset = 0;
    const store = await freshStore({ now: () => Date.now() + offset });
    return { store, advanceClock: (ms) => (offset += ms) };
  },
});
