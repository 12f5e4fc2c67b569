import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionRecord, IntegrationRecord, PendingAuthRecord, Store } from '@plugboard/core';

/** What the suite hands to `createStore` for each test. */
export interface StoreConformanceContext {
  /**
   * The suite's clock, in milliseconds since the epoch. Give it to your store as its time source
   * (`memoryStore({ now })`): the suite moves it forward to check that pending authorizations and
   * lock leases expire, without waiting.
   */
  now(): number;
}

/** Makes one fresh, empty store. Called once per test. */
export type CreateStore = (context: StoreConformanceContext) => Store | Promise<Store>;

export interface StoreConformanceOptions {
  /**
   * Names the `describe` block.
   * @default 'store'
   */
  name?: string;
  /**
   * Whether the store reads its time from `context.now`. When `false`, the checks that need the
   * clock moved (expiry of a pending authorization saved as valid, lock lease expiry) are left out,
   * and every other check still runs.
   * @default true
   */
  usesClock?: boolean;
  /** Runs once after the suite: close connections, drop databases, remove folders. */
  cleanUp?: () => void | Promise<void>;
}

const integration = (overrides: Partial<IntegrationRecord> = {}): IntegrationRecord => ({
  id: 'int-1',
  app: 'acme',
  authMode: 'API_KEY',
  name: 'acme API_KEY',
  authConfig: { region: 'eu' },
  usesDefaultOAuthApp: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

const connection = (overrides: Partial<ConnectionRecord> = {}): ConnectionRecord => ({
  id: 'conn-1',
  integrationId: 'int-1',
  app: 'acme',
  authMode: 'API_KEY',
  entityId: 'default',
  status: 'ACTIVE',
  credentials: { api_key: 'k-1' },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

/**
 * Registers the whole `Store` contract as vitest tests against a store of yours: integrations,
 * connections and their filters and order, copies on read, compare-and-swap under concurrency,
 * single-use expiring pending authorizations, and leased locks. One call is the whole contract;
 * the memory, embedded and PostgreSQL stores run exactly this.
 *
 * @example
 * ```ts
 * import { runStoreConformance } from '@plugboard/testkit';
 * import { redisStore } from './redis-store.js';
 *
 * runStoreConformance(({ now }) => redisStore({ url: process.env.REDIS_URL, now }), { name: 'redisStore' });
 * ```
 */
export function runStoreConformance(createStore: CreateStore, options: StoreConformanceOptions = {}): void {
  const usesClock = options.usesClock ?? true;
  const open = async () => {
    let offset = 0;
    const store = await createStore({ now: () => Date.now() + offset });
    const advanceClock = usesClock ? (ms: number) => void (offset += ms) : undefined;
    return { store, advanceClock };
  };
  describe(`${options.name ?? 'store'}: the Store contract`, () => {
    if (options.cleanUp) afterAll(options.cleanUp);

    it('saves, reads, lists by app and deletes integrations, deleting their connections too', async () => {
      const { store } = await open();
      await store.saveIntegration(integration());
      await store.saveIntegration(integration({ id: 'int-2', app: 'other', createdAt: '2026-01-02T00:00:00.000Z' }));
      expect(await store.getIntegration('int-1')).toEqual(integration());
      expect((await store.listIntegrations()).map((record) => record.id)).toEqual(['int-1', 'int-2']);
      expect((await store.listIntegrations({ app: 'other' })).map((record) => record.id)).toEqual(['int-2']);
      await store.createConnection(connection());
      expect(await store.deleteIntegration('int-1')).toBe(true);
      expect(await store.deleteIntegration('int-1')).toBe(false);
      expect(await store.getIntegration('int-1')).toBeUndefined();
      expect(await store.getConnection('conn-1')).toBeUndefined();
    });

    it('returns copies: changing a returned record changes nothing stored', async () => {
      const { store } = await open();
      const record = integration();
      await store.saveIntegration(record);
      record.authConfig['region'] = 'us';
      const read = await store.getIntegration('int-1');
      (read as IntegrationRecord).authConfig['region'] = 'ap';
      expect((await store.getIntegration('int-1'))?.authConfig).toEqual({ region: 'eu' });
      await store.createConnection(connection());
      const readConnection = await store.getConnection('conn-1');
      (readConnection as ConnectionRecord).credentials['api_key'] = 'changed';
      expect((await store.getConnection('conn-1'))?.credentials).toEqual({ api_key: 'k-1' });
    });

    it('refuses a second connection with the same id', async () => {
      const { store } = await open();
      await store.createConnection(connection());
      await expect(store.createConnection(connection({ credentials: { api_key: 'other' } }))).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      expect((await store.getConnection('conn-1'))?.credentials).toEqual({ api_key: 'k-1' });
    });

    it('lists connections by filter, most recently updated first, ties broken by id', async () => {
      const { store } = await open();
      await store.createConnection(connection({ id: 'a', updatedAt: '2026-01-01T00:00:00.000Z' }));
      await store.createConnection(connection({ id: 'b', updatedAt: '2026-01-03T00:00:00.000Z', entityId: 'user-2' }));
      await store.createConnection(connection({ id: 'c', updatedAt: '2026-01-03T00:00:00.000Z', status: 'EXPIRED' }));
      await store.createConnection(
        connection({ id: 'd', updatedAt: '2026-01-02T00:00:00.000Z', app: 'other', integrationId: 'int-9' }),
      );
      expect((await store.listConnections()).map((record) => record.id)).toEqual(['c', 'b', 'd', 'a']);
      expect((await store.listConnections({ app: 'acme' })).map((record) => record.id)).toEqual(['c', 'b', 'a']);
      expect(
        (await store.listConnections({ entityId: 'default', status: 'ACTIVE' })).map((record) => record.id),
      ).toEqual(['d', 'a']);
      expect((await store.listConnections({ status: ['EXPIRED', 'FAILED'] })).map((record) => record.id)).toEqual([
        'c',
      ]);
      expect((await store.listConnections({ integrationId: 'int-9' })).map((record) => record.id)).toEqual(['d']);
    });

    it('finds connections by entity after they move to another entity or are deleted', async () => {
      const { store } = await open();
      await store.createConnection(connection({ id: 'a', entityId: 'user-1' }));
      await store.createConnection(connection({ id: 'b', entityId: 'user-1', updatedAt: '2026-01-02T00:00:00.000Z' }));
      await store.updateConnection('a', { entityId: 'user-2' });
      expect((await store.listConnections({ entityId: 'user-1' })).map((record) => record.id)).toEqual(['b']);
      expect((await store.listConnections({ entityId: 'user-2' })).map((record) => record.id)).toEqual(['a']);
      await store.deleteConnection('b');
      expect(await store.listConnections({ entityId: 'user-1' })).toEqual([]);
      await store.deleteIntegration('int-1');
      expect(await store.listConnections({ entityId: 'user-2' })).toEqual([]);
      expect(await store.listConnections({ entityId: 'nobody' })).toEqual([]);
    });

    it('updates with a version bump, and compare-and-swap refuses a stale version', async () => {
      const { store } = await open();
      await store.createConnection(connection());
      const updated = await store.updateConnection(
        'conn-1',
        { status: 'EXPIRED', statusReason: { code: 'NEEDS_REAUTH', message: 'Expired.' } },
        { expectedVersion: 1 },
      );
      expect(updated).toMatchObject({ version: 2, status: 'EXPIRED', credentials: { api_key: 'k-1' } });
      await expect(
        store.updateConnection('conn-1', { status: 'ACTIVE' }, { expectedVersion: 1 }),
      ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect((await store.getConnection('conn-1'))?.status).toBe('EXPIRED');
      expect((await store.updateConnection('conn-1', { status: 'ACTIVE' })).version).toBe(3);
      await expect(store.updateConnection('missing', { status: 'ACTIVE' })).rejects.toMatchObject({
        code: 'CONNECTION_NOT_FOUND',
      });
      expect(await store.deleteConnection('conn-1')).toBe(true);
      expect(await store.deleteConnection('conn-1')).toBe(false);
    });

    it('reads a connection with its integration in one call, as the separate reads would (when the store has findConnectionWithIntegration)', async () => {
      const { store } = await open();
      // Optional in the contract: a store without it is read with getConnection/listConnections and getIntegration.
      if (!store.findConnectionWithIntegration) return;
      const find = store.findConnectionWithIntegration.bind(store);
      await store.saveIntegration(integration());
      await store.createConnection(connection({ id: 'a', entityId: 'user-1', updatedAt: '2026-01-01T00:00:00.000Z' }));
      await store.createConnection(connection({ id: 'b', entityId: 'user-1', updatedAt: '2026-01-03T00:00:00.000Z' }));
      await store.createConnection(
        connection({
          id: 'b2',
          entityId: 'user-1',
          updatedAt: '2026-01-03T00:00:00.000Z',
          expiresAt: '2026-02-01T00:00:00.000Z',
        }),
      );
      await store.createConnection(
        connection({
          id: 'c',
          entityId: 'user-1',
          status: 'EXPIRED',
          statusReason: { code: 'NEEDS_REAUTH', message: 'Expired.' },
          updatedAt: '2026-01-05T00:00:00.000Z',
        }),
      );
      await store.createConnection(
        connection({
          id: 'd',
          entityId: 'user-1',
          app: 'other',
          integrationId: 'int-9',
          updatedAt: '2026-01-06T00:00:00.000Z',
        }),
      );
      await store.createConnection(connection({ id: 'e', entityId: 'user-2', updatedAt: '2026-01-07T00:00:00.000Z' }));

      // The entity's most recently updated ACTIVE connection for the app; a tie goes to the greater id.
      const [active] = await store.listConnections({ app: 'acme', entityId: 'user-1', status: 'ACTIVE' });
      expect(active?.id).toBe('b2');
      expect(await find({ app: 'acme', entityId: 'user-1' })).toEqual({
        connection: active,
        integration: await store.getIntegration('int-1'),
      });
      // By id, whatever its status, with every field the separate read has.
      expect(await find({ connectionId: 'c' })).toEqual({
        connection: await store.getConnection('c'),
        integration: integration(),
      });
      // An integration that does not exist is reported as undefined, with the connection.
      const orphan = await find({ connectionId: 'd' });
      expect(orphan?.connection).toEqual(await store.getConnection('d'));
      expect(orphan?.integration).toBeUndefined();
      expect((await find({ app: 'other', entityId: 'user-1' }))?.connection.id).toBe('d');
      expect(await find({ connectionId: 'nope' })).toBeUndefined();
      expect(await find({ app: 'acme', entityId: 'nobody' })).toBeUndefined();
      expect(await find({ app: 'nothing', entityId: 'user-1' })).toBeUndefined();

      // What it returns are copies.
      const found = (await find({ connectionId: 'b' })) as {
        connection: ConnectionRecord;
        integration: IntegrationRecord;
      };
      found.connection.credentials['api_key'] = 'changed';
      found.integration.authConfig['region'] = 'us';
      expect((await store.getConnection('b'))?.credentials).toEqual({ api_key: 'k-1' });
      expect((await store.getIntegration('int-1'))?.authConfig).toEqual({ region: 'eu' });

      // It follows updates: an entity's connection that stops being ACTIVE is no longer the one found.
      await store.updateConnection('b2', { status: 'INACTIVE' });
      expect((await find({ app: 'acme', entityId: 'user-1' }))?.connection.id).toBe('b');
    });

    it('lets exactly one of many concurrent compare-and-swaps win', async () => {
      const { store } = await open();
      await store.createConnection(connection());
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, index) =>
          store.updateConnection('conn-1', { credentials: { api_key: `k-${index}` } }, { expectedVersion: 1 }),
        ),
      );
      expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
      expect((await store.getConnection('conn-1'))?.version).toBe(2);
    });

    it('hands out a pending authorization once, and never after it expired', async () => {
      const { store, advanceClock } = await open();
      const pending: PendingAuthRecord = {
        state: 'state-1',
        connectionId: 'conn-1',
        integrationId: 'int-1',
        redirectUri: 'https://app.example/callback',
        codeVerifier: 'verifier',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      };
      await store.savePendingAuth(pending);
      expect(await store.takePendingAuth('state-1')).toEqual(pending);
      expect(await store.takePendingAuth('state-1')).toBeUndefined();
      await store.savePendingAuth({ ...pending, state: 'state-2', expiresAt: new Date(Date.now() - 1).toISOString() });
      expect(await store.takePendingAuth('state-2')).toBeUndefined();
      if (advanceClock) {
        await store.savePendingAuth({ ...pending, state: 'state-3' });
        advanceClock(120_000);
        expect(await store.takePendingAuth('state-3')).toBeUndefined();
      }
    });

    it('gives a lock to one holder at a time, until release or lease expiry', async () => {
      const { store, advanceClock } = await open();
      const first = await store.acquireLock('refresh:conn-1', 10_000);
      expect(first).toBeDefined();
      expect(await store.acquireLock('refresh:conn-1', 10_000)).toBeUndefined();
      expect(await store.acquireLock('refresh:conn-2', 10_000)).toBeDefined();
      await first?.release();
      const second = await store.acquireLock('refresh:conn-1', 10_000);
      expect(second).toBeDefined();
      if (advanceClock) {
        advanceClock(20_000);
        const third = await store.acquireLock('refresh:conn-1', 10_000);
        expect(third).toBeDefined();
        // The expired holder's release must not free the new holder's lock.
        await second?.release();
        expect(await store.acquireLock('refresh:conn-1', 10_000)).toBeUndefined();
      }
    });

    it('grants a contended lock to exactly one of many concurrent callers', async () => {
      const { store } = await open();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.acquireLock('contended', 10_000)));
      expect(results.filter((lock) => lock !== undefined)).toHaveLength(1);
    });
  });
}
