import type { Connection, Toolset } from '@plugboard/core';
import { Command, Option } from 'commander';
import { withToolset } from '../context.js';
import { MASK, print, printJson, printTable } from '../output.js';
import { withErrorContext } from '../plugboard-errors.js';

// Credential fields that describe a token rather than being one; shown in clear.
const DESCRIPTIVE_FIELDS = new Set(['token_type', 'scope', 'expires_in']);

/** `plugboard connections list|show|refresh|delete`. */
export function createConnectionsCommand(): Command {
  const connections = new Command('connections').description(
    "manage connections: one entity's credentials for one integration",
  );

  connections
    .command('list')
    .description('list connections, most recently updated first')
    .option('--app <app>', 'only this app’s')
    .option('--entity <id>', 'only this entity’s')
    .addOption(
      new Option('--status <status>', 'only connections in this status').choices([
        'INITIATED',
        'ACTIVE',
        'FAILED',
        'EXPIRED',
        'INACTIVE',
      ]),
    )
    .option('--json', 'print JSON')
    .action(
      async (
        options: { app?: string; entity?: string; status?: Connection['status']; json?: boolean },
        command: Command,
      ) => {
        await withToolset(command, async ({ toolset }) => {
          const list = await toolset.listConnections({
            ...(options.app !== undefined ? { app: options.app } : {}),
            ...(options.entity !== undefined ? { entityId: options.entity } : {}),
            ...(options.status !== undefined ? { status: options.status } : {}),
          });
          if (options.json) return printJson(list);
          printTable(
            ['ID', 'APP', 'AUTH MODE', 'ENTITY', 'STATUS', 'UPDATED'],
            list.map((connection) => [
              connection.id,
              connection.app,
              connection.authMode,
              connection.entityId,
              connection.status,
              connection.updatedAt,
            ]),
          );
        });
      },
    );

  connections
    .command('show')
    .description('show one connection: its status and credential field names, secret values masked')
    .argument('<id>', 'the connection id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withToolset(command, ({ toolset }) =>
        withErrorContext({ connectionId: id }, async () => {
          const connection = await toolset.getConnection(id);
          const credentials = await maskedCredentials(toolset, connection);
          if (options.json) return printJson({ ...connection, credentials });
          const rows: [string, string][] = [
            ['id', connection.id],
            ['app', connection.app],
            ['auth mode', connection.authMode],
            ['entity', connection.entityId],
            ['status', connection.status],
            ...(connection.statusReason
              ? ([['reason', `${connection.statusReason.code}: ${connection.statusReason.message}`]] as [
                  string,
                  string,
                ][])
              : []),
            ['integration', connection.integrationId],
            ...(connection.expiresAt ? ([['expires at', connection.expiresAt]] as [string, string][]) : []),
            ['created', connection.createdAt],
            ['updated', connection.updatedAt],
          ];
          for (const [label, value] of rows) print(`${`${label}:`.padEnd(13)}${value}`);
          print('credentials:');
          const entries = Object.entries(credentials);
          if (entries.length === 0) print('  (none)');
          const width = Math.max(15, ...entries.map(([name]) => name.length + 2));
          for (const [name, value] of entries) print(`  ${name.padEnd(width)}${value}`);
        }),
      );
    });

  connections
    .command('refresh')
    .description("refresh a connection's tokens now (OAuth 2.0, Basic with JWT)")
    .argument('<id>', 'the connection id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withToolset(command, async ({ toolset }) => {
        const existing = await withErrorContext({ connectionId: id }, () => toolset.getConnection(id));
        const connection = await withErrorContext(
          { app: existing.app, entityId: existing.entityId, connectionId: id },
          () => toolset.refreshConnection(id),
        );
        print(
          `refreshed connection ${connection.id} (${connection.status}${connection.expiresAt ? `, expires ${connection.expiresAt}` : ''})`,
        );
      });
    });

  connections
    .command('delete')
    .description('delete a connection')
    .argument('<id>', 'the connection id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withToolset(command, ({ toolset }) =>
        withErrorContext({ connectionId: id }, async () => {
          await toolset.getConnection(id);
          await toolset.deleteConnection(id);
          print(`deleted connection ${id}`);
        }),
      );
    });

  return connections;
}

/** Field names with their values masked, except fields the scheme declares non-secret (`shop`, `username`). */
async function maskedCredentials(toolset: Toolset, connection: Connection): Promise<Record<string, string>> {
  const credentials = await toolset.getConnectionCredentials(connection.id);
  let publicFields = new Set<string>();
  try {
    publicFields = new Set(
      toolset
        .getAuthSchemeForApp(connection.app, connection.authMode)
        .fields.filter((field) => !field.secret)
        .map((field) => field.name),
    );
  } catch {
    // The app is not in this configuration: mask everything.
  }
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(credentials))
    masked[name] = publicFields.has(name) || DESCRIPTIVE_FIELDS.has(name) ? value : MASK;
  return masked;
}
