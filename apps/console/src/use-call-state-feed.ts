import { useEffect, useRef, useState } from 'react';
import type { CallStatus } from './calling.client';

/** What the server sends when a call of the watched session changes. */
export interface CallStateMessage {
  readonly sessionId: string;
  readonly callId: string;
  readonly status: CallStatus;
  readonly answeredBy: string | null;
  readonly durationSeconds: number | null;
}

export type FeedState = 'connecting' | 'open' | 'reconnecting';

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

function realtimeUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/realtime`;
}

/**
 * Live call state for one calling session over the API's WebSocket (the session cookie
 * authenticates it, same origin). A dropped connection comes back after a growing, jittered
 * wait, so a restarting API is not hit by every volunteer at once. `onWatching` runs each time the
 * server confirms the watch, first time included: whatever changed while no socket was listening
 * is read back over HTTP then.
 */
export function useCallStateFeed(sessionId: string, onCall: (message: CallStateMessage) => void, onWatching: () => void): FeedState {
  const [state, setState] = useState<FeedState>('connecting');
  // The socket lives as long as the session; the handlers change with every render.
  const handlers = useRef({ onCall, onWatching });
  useEffect(() => {
    handlers.current = { onCall, onWatching };
  });

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const connect = () => {
      const current = new WebSocket(realtimeUrl());
      socket = current;
      current.onmessage = (event: MessageEvent) => {
        const message = parseMessage(event.data);
        if (message === null) return;
        if (message.event === 'ready') current.send(JSON.stringify({ event: 'watch', sessionId }));
        else if (message.event === 'watching') {
          failures = 0;
          setState('open');
          handlers.current.onWatching();
        } else if (message.event === 'call' && message.sessionId === sessionId && typeof message.callId === 'string') {
          handlers.current.onCall(message as unknown as CallStateMessage);
        }
      };
      current.onclose = () => {
        if (stopped) return;
        setState('reconnecting');
        const wait = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** failures) * (0.75 + Math.random() / 2);
        failures += 1;
        retry = setTimeout(connect, wait);
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [sessionId]);

  return state;
}

function parseMessage(data: unknown): ({ event?: unknown; sessionId?: unknown; callId?: unknown } & Record<string, unknown>) | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
