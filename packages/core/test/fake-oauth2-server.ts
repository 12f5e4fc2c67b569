// Moved to @plugboard/testkit. Core's tests import its source by path: a devDependency on the testkit
// would make a dependency cycle (the testkit peer-depends on core).
export * from '../../testkit/src/fake-oauth2-server.js';
