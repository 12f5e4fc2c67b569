import type { Toolset } from '@plugboard/core';
import type { ApiKeyRecord, ProjectRecord } from '../control/control-store.js';

/** What the middleware hands the routes of one request. */
export interface ServerEnv {
  Variables: {
    requestId: string;
    /** Set by `authenticate` on every `/v1` route but the OAuth callback. */
    project: ProjectRecord;
    apiKey: ApiKeyRecord;
    /** The project's toolset. */
    toolset: Toolset;
    /** The error code the response carried, for the log line. */
    errorCode: string;
  };
}
