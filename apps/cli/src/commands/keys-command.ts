import { createKeyring, generateSecretKey } from '@plugboard/store-kit';
import { beginKeyFileRotation, finishKeyFileRotation, loadKeyring } from '@plugboard/store-kit/node';
import { Command } from 'commander';
import { globalsOf } from '../context.js';
import { note, print, printJson } from '../output.js';
import { withErrorContext } from '../plugboard-errors.js';
import { startProgress } from '../progress.js';
import { keyFileOf, openStore, storeDirectory } from '../store.js';

/** `plugboard keys show|generate|rotate`: the key that encrypts the store's secrets. Never prints it, except `generate`. */
export function createKeysCommand(): Command {
  const keys = new Command('keys').description(
    "the secret key that encrypts the store's secrets at rest (AES-256-GCM)",
  );

  keys
    .command('show')
    .description('the key id and where the key comes from (never the key)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const dir = storeDirectory(globalsOf(command));
      const keyFile = keyFileOf(dir);
      const loaded = await withErrorContext({}, () => loadKeyring({ keyFile, create: false })).catch(
        (error: unknown) => {
          if (!process.env['PLUGBOARD_SECRET_KEY'] && /does not exist/.test((error as Error).message)) return undefined;
          throw error;
        },
      );
      if (loaded === undefined) {
        if (options.json) return printJson({ keyId: null, source: null, keyFile });
        print(`no key yet: ${keyFile} is created on first use, or set PLUGBOARD_SECRET_KEY`);
        return;
      }
      const info = {
        keyId: loaded.keyring.current.id,
        source: loaded.source === 'env' ? 'PLUGBOARD_SECRET_KEY' : loaded.keyFile,
        previousKeyIds: loaded.keyring.previous.map((key) => key.id),
      };
      if (options.json) return printJson(info);
      print(`key id:   ${info.keyId}`);
      print(`source:   ${info.source}`);
      if (info.previousKeyIds.length > 0)
        print(`previous: ${info.previousKeyIds.join(', ')} (a rotation is unfinished: run plugboard keys rotate)`);
    });

  keys
    .command('generate')
    .description('print a new random key, for PLUGBOARD_SECRET_KEY (it is not stored anywhere)')
    .action(async () => {
      const key = generateSecretKey();
      print(key);
      note(
        `key id ${(await createKeyring(key)).current.id}; keep the key in a secret manager, then export PLUGBOARD_SECRET_KEY=<key>`,
      );
    });

  keys
    .command('rotate')
    .description('re-encrypt every secret with a new key; safe to interrupt and run again')
    .addHelpText(
      'after',
      `
With the key file (the default): a new key is written beside the old one, every secret is
re-encrypted, then the old key is dropped. Interrupted, everything still opens, and running
rotate again finishes it.

With PLUGBOARD_SECRET_KEY: set the new key in PLUGBOARD_SECRET_KEY and the old one in
PLUGBOARD_PREVIOUS_SECRET_KEYS, run rotate, then remove PLUGBOARD_PREVIOUS_SECRET_KEYS.`,
    )
    .action(async (_options: unknown, command: Command) => {
      const globals = globalsOf(command);
      const dir = storeDirectory(globals);
      const keyFile = keyFileOf(dir);
      await withErrorContext({}, async () => {
        const fromEnv = Boolean(process.env['PLUGBOARD_SECRET_KEY']?.trim());
        // A store never opened yet has no key file: create it, so there is something to rotate.
        const loaded = await loadKeyring({ keyFile });
        const keyring = fromEnv ? loaded.keyring : await beginKeyFileRotation(keyFile);
        const opened = await openStore(globals, { keyring });
        const progress = startProgress('re-encrypting secrets');
        let resealed: number;
        try {
          ({ resealed } = await opened.rotateSecrets());
        } catch (error) {
          progress.fail('rotation interrupted; run plugboard keys rotate again');
          throw error;
        } finally {
          await opened.close();
        }
        progress.stop(`re-encrypted ${resealed} secret${resealed === 1 ? '' : 's'}`);
        if (fromEnv) {
          print(`rotated to key ${keyring.current.id}: ${resealed} secrets re-encrypted`);
          if (keyring.previous.length > 0)
            note('every secret now uses PLUGBOARD_SECRET_KEY: remove PLUGBOARD_PREVIOUS_SECRET_KEYS');
          return;
        }
        await finishKeyFileRotation(keyFile);
        print(
          `rotated to key ${keyring.current.id}: ${resealed} secrets re-encrypted, the old key removed from ${keyFile}`,
        );
      });
    });

  return keys;
}
