import type { Connection, ToolsetEvent } from '@plugboard/core';
import { describe, expect, it } from 'vitest';
import { webhookPayloadsOf } from './toolset-event-mapping.js';

const at = '2026-12-05T18:00:00.000Z';

function connection(changes: Partial<Connection> = {}): Connection {
  return {
    id: 'conn_1',
    integrationId: 'int_1',
    app: 'github',
    authMode: 'OAUTH2',
    entityId: 'user-42',
    status: 'ACTIVE',
    createdAt: '2026-12-05T17:00:00.000Z',
    updatedAt: at,
    ...changes,
  };
}

const typesOf = (event: ToolsetEvent) => webhookPayloadsOf(event).map((payload) => payload.type);

describe('webhookPayloadsOf', () => {
  it('maps connection.created, adding connection.active when the connection is born ACTIVE', () => {
    expect(typesOf({ type: 'connection.created', at, connection: connection({ status: 'INITIATED' }) })).toEqual([
      'connection.created',
    ]);
    const payloads = webhookPayloadsOf({ type: 'connection.created', at, connection: connection() });
    expect(payloads).toEqual([
      { type: 'connection.created', timestamp: at, data: { connection: connection() } },
      { type: 'connection.active', timestamp: at, data: { connection: connection() } },
    ]);
  });

  it('maps status changes by the new status and its reason', () => {
    const changed = (status: Connection['status'], statusReason?: { code: string; message: string }) =>
      typesOf({
        type: 'connection.status_changed',
        at,
        previousStatus: 'INITIATED',
        connection: connection(statusReason ? { status, statusReason } : { status }),
      });
    expect(changed('ACTIVE')).toEqual(['connection.active']);
    expect(changed('EXPIRED', { code: 'NEEDS_REAUTH', message: 'The provider refused the refresh token.' })).toEqual([
      'connection.needs_reauth',
    ]);
    expect(changed('EXPIRED', { code: 'TOKEN_EXPIRED', message: 'The token expired.' })).toEqual([
      'connection.expired',
    ]);
    expect(changed('EXPIRED')).toEqual(['connection.expired']);
    expect(changed('FAILED', { code: 'OAUTH_ERROR', message: 'access_denied' })).toEqual([]);
    expect(changed('INACTIVE')).toEqual([]);
    expect(changed('INITIATED')).toEqual([]);
  });

  it('carries the previous status on transitions', () => {
    const [payload] = webhookPayloadsOf({
      type: 'connection.status_changed',
      at,
      previousStatus: 'EXPIRED',
      connection: connection(),
    });
    expect(payload).toEqual({
      type: 'connection.active',
      timestamp: at,
      data: { connection: connection(), previousStatus: 'EXPIRED' },
    });
  });

  it('maps refresh failures, deletions and failed actions; ignores refreshes and successful actions', () => {
    const error = { code: 'REFRESH_FAILED', message: 'The token endpoint answered 503.' };
    expect(webhookPayloadsOf({ type: 'token.refresh_failed', at, connection: connection(), error })).toEqual([
      { type: 'connection.refresh_failed', timestamp: at, data: { connection: connection(), error } },
    ]);
    expect(typesOf({ type: 'connection.deleted', at, connection: connection() })).toEqual(['connection.deleted']);
    expect(typesOf({ type: 'token.refreshed', at, connection: connection() })).toEqual([]);
    const executed = {
      type: 'action.executed',
      at,
      app: 'github',
      action: 'GITHUB_GET_A_PULL_REQUEST',
      durationMs: 12,
    };
    expect(typesOf({ ...executed, successful: true, httpStatus: 200 } as ToolsetEvent)).toEqual([]);
    expect(
      webhookPayloadsOf({
        ...executed,
        type: 'action.executed',
        successful: false,
        entityId: 'user-42',
        connectionId: 'conn_1',
        httpStatus: 404,
        errorCode: 'UPSTREAM_ERROR',
      }),
    ).toEqual([
      {
        type: 'action.failed',
        timestamp: at,
        data: {
          app: 'github',
          action: 'GITHUB_GET_A_PULL_REQUEST',
          entityId: 'user-42',
          connectionId: 'conn_1',
          httpStatus: 404,
          errorCode: 'UPSTREAM_ERROR',
          durationMs: 12,
        },
      },
    ]);
  });

  it('copies only the fields it knows, so credentials on a record that carries them never reach a payload', () => {
    const leaky = {
      ...connection({ expiresAt: '2026-12-05T19:00:00.000Z' }),
      credentials: { access_token: 'gho_secretsecret', refresh_token: 'ghr_secretsecret' },
      version: 7,
    } as Connection;
    const text = JSON.stringify([
      webhookPayloadsOf({ type: 'connection.created', at, connection: leaky }),
      webhookPayloadsOf({ type: 'connection.deleted', at, connection: leaky }),
      webhookPayloadsOf({ type: 'connection.status_changed', at, connection: leaky, previousStatus: 'EXPIRED' }),
    ]);
    expect(text).not.toContain('secretsecret');
    expect(text).not.toContain('credentials');
    expect(text).not.toContain('"version"');
    expect(text).toContain('"expiresAt":"2026-12-05T19:00:00.000Z"');
  });
});
