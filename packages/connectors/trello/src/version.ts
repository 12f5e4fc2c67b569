// Written from package.json by `plugboard-connector version` (run by `pnpm build`). Do not edit.
/** This connector package's version. */
export const CONNECTOR_VERSION = '0.0.0';
