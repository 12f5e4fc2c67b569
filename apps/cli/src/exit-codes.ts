/** The process exit codes of `plugboard`; the README documents them. */
export const EXIT_OK = 0;
/** Something failed while doing what was asked: a config module that throws, a port in use. */
export const EXIT_RUNTIME_ERROR = 1;
/** The command line was wrong: unknown command or option, missing or invalid argument. */
export const EXIT_USAGE_ERROR = 2;
