import { runStoreSuite } from '../../test/store-suite.js';
import { memoryStore } from './memory-store.js';

runStoreSuite('memoryStore', {
  async create() {
    let offset = 0;
    return { store: memoryStore({ now: () => Date.now() + offset }), advanceClock: (ms) => (offset += ms) };
  },
});
