// Generated from package.json by scripts/sync-version.mjs (run by `pnpm build`). Do not edit.
export const GMAIL_CONNECTOR_VERSION = '0.0.0';
