import type { ConnectionStatus } from '../store/store.js';
import type { Connection } from './connection.js';

/** A connection as events carry it: never credentials, never a version. The same as `Connection`. */
export type EventConnection = Connection;

interface EventBase {
  /** When the change was made (ISO 8601). */
  at: string;
}

/**
 * What a toolset tells its listeners. Each event is emitted once, after the store write succeeded,
 * by the process that made the change; none carries a credential, a token or an action's input.
 */
export type ToolsetEvent =
  /** A connection record was created: `INITIATED` for redirect flows, `ACTIVE` when credentials were complete. */
  | (EventBase & { type: 'connection.created'; connection: EventConnection })
  /** A connection moved from `previousStatus` to `connection.status` through this toolset. */
  | (EventBase & { type: 'connection.status_changed'; connection: EventConnection; previousStatus: ConnectionStatus })
  /** A connection was deleted (on its own, or with its integration). */
  | (EventBase & { type: 'connection.deleted'; connection: EventConnection })
  /** New tokens were stored for a connection. */
  | (EventBase & { type: 'token.refreshed'; connection: EventConnection })
  /** A refresh failed; when the provider refused it the connection is now `EXPIRED` (a status change follows). */
  | (EventBase & {
      type: 'token.refresh_failed';
      connection: EventConnection;
      error: { code: string; message: string };
    })
  /** An `executeAction` call finished, successfully or not. */
  | (EventBase & {
      type: 'action.executed';
      app: string;
      action: string;
      entityId?: string;
      connectionId?: string;
      successful: boolean;
      /** The upstream HTTP status when there was a response. */
      httpStatus?: number;
      /** The PlugboardError code when it failed. */
      errorCode?: string;
      durationMs: number;
    });

/** The `type` of every toolset event. */
export type ToolsetEventType = ToolsetEvent['type'];

/** The event of one type: `ToolsetEventOf<'token.refreshed'>`. */
export type ToolsetEventOf<T extends ToolsetEventType> = Extract<ToolsetEvent, { type: T }>;

/** A function called with each event; what it returns is not awaited. */
export type ToolsetEventListener<T extends ToolsetEventType = ToolsetEventType> = (
  event: ToolsetEventOf<T>,
) => void | Promise<void>;

/** Options of the event stream, given to `createToolset`. */
export interface ToolsetEventOptions {
  /** A listener for every event from the start, the same as `toolset.on('*', onEvent)`. */
  onEvent?: ((event: ToolsetEvent) => void | Promise<void>) | undefined;
  /**
   * Told when a listener throws or rejects. The operation that emitted the event is never affected.
   * @default a console.warn naming the event type and the error's name, never its message
   */
  onListenerError?: ((error: unknown, event: ToolsetEvent) => void) | undefined;
}

type Unstamped<E> = E extends unknown ? Omit<E, 'at'> : never;

/** What toolset modules emit: an event without its time, which `emit` stamps. */
export type ToolsetEventInput = Unstamped<ToolsetEvent>;

export type EmitEvent = (event: ToolsetEventInput) => void;

export interface EventBus {
  emit: EmitEvent;
  /** Whether anyone listens to events of `type`: an emitter on a hot path skips building an event nobody hears. */
  hasListeners(type: ToolsetEventType): boolean;
  on<T extends ToolsetEventType>(type: T | '*', listener: ToolsetEventListener<T>): () => void;
}

/**
 * Listeners are called at once, in the order they were registered, and never awaited: a slow or
 * failing listener must not delay or break the change it hears about, which is already stored.
 */
export function createEventBus(options: ToolsetEventOptions = {}): EventBus {
  const listeners: Array<{ type: ToolsetEventType | '*'; listener: (event: ToolsetEvent) => void | Promise<void> }> =
    [];
  const reportListenerError = options.onListenerError ?? warnListenerError;
  if (options.onEvent) listeners.push({ type: '*', listener: options.onEvent });

  function report(error: unknown, event: ToolsetEvent): void {
    try {
      reportListenerError(error, event);
    } catch {
      // The reporter of listener errors is a listener too: it cannot break the operation either.
    }
  }

  return {
    emit(input) {
      if (listeners.length === 0) return;
      const event = Object.freeze({ ...input, at: new Date().toISOString() }) as ToolsetEvent;
      // A copy, so a listener that unsubscribes (or subscribes) while being called does not skip another.
      for (const { type, listener } of [...listeners]) {
        if (type !== '*' && type !== event.type) continue;
        try {
          const returned = listener(event);
          if (returned && typeof (returned as Promise<void>).then === 'function')
            (returned as Promise<void>).then(undefined, (error: unknown) => report(error, event));
        } catch (error) {
          report(error, event);
        }
      }
    },
    hasListeners(type) {
      return listeners.some((entry) => entry.type === '*' || entry.type === type);
    },
    on(type, listener) {
      const entry = { type, listener: listener as (event: ToolsetEvent) => void | Promise<void> };
      listeners.push(entry);
      return () => {
        const index = listeners.indexOf(entry);
        if (index !== -1) listeners.splice(index, 1);
      };
    },
  };
}

function warnListenerError(error: unknown, event: ToolsetEvent): void {
  // The message could quote anything the listener held, so only the error's name is printed.
  const name = error instanceof Error ? error.name : typeof error;
  console.warn(`[plugboard] A listener of the "${event.type}" event failed (${name}); the operation was not affected.`);
}
