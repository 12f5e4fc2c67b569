import { runStoreConformance } from '@plugboard/testkit';
import { freshStore } from './database.js';

// The one Store contract suite that the memory and embedded stores run too.
runStoreConformance(({ now }) => freshStore({ now }), { name: 'postgresStore' });
