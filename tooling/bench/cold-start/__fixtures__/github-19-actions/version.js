/** This package's version, kept equal to package.json's by a test (no file is read at runtime). */
export const GITHUB_CONNECTOR_VERSION = '0.0.0';
