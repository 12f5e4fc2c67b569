/** The process exit codes of `plugboard`; the README and `plugboard --help` document them. */
export const EXIT_OK = 0;
/** Something failed while doing what was asked: an upstream API error, a network failure, a store that cannot be written. */
export const EXIT_RUNTIME_ERROR = 1;
/** The command line was wrong: unknown command, option or action, missing or invalid argument or parameter. */
export const EXIT_USAGE_ERROR = 2;
/** No usable connection: the entity has none for the app, or it expired; `plugboard connect` fixes it. */
export const EXIT_NOT_CONNECTED = 3;
/** The store's secrets cannot be decrypted with the configured keys (or a key is malformed). */
export const EXIT_SECRET_KEY = 4;
/** Cancelled: a prompt (Ctrl-C, Escape), or `connect` while it waits for the browser (Ctrl-C). */
export const EXIT_CANCELLED = 130;

export const EXIT_CODES_HELP = `Exit codes:
  ${EXIT_OK}    ok
  ${EXIT_RUNTIME_ERROR}    runtime error (upstream API, network, store, timeout)
  ${EXIT_USAGE_ERROR}    usage error (unknown command, option or action; missing or invalid parameter)
  ${EXIT_NOT_CONNECTED}    no usable connection (run plugboard connect)
  ${EXIT_SECRET_KEY}    the secret key cannot open the store's secrets
  ${EXIT_CANCELLED}  cancelled (Ctrl-C or Escape at a prompt, Ctrl-C while connect waits for the browser)`;
