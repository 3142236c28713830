import type { OutboundQueueStats } from './outbound-call.queue';

export interface CallbackCounters {
  /** HTTP requests made, duplicates and held-back ones included. */
  sent: number;
  /** Of those, refused connections, timeouts and non-2xx answers (logged, never retried). */
  failed: number;
  duplicated: number;
  reordered: number;
  /** First attempts lost on purpose (lossRate), and their retries sent. */
  lost: number;
  retried: number;
}

export interface VoiceRequestCounters {
  /** Requests for TwiML made (answers, redirects, updates, fallbacks, browser legs). */
  sent: number;
  /** Of those, refused, timed out, or answered with something that is not TwiML. */
  failed: number;
}

/** Running counts since start or the last reset. */
export class SimulatorCounters {
  callsCreated = 0;
  callsCanceled = 0;
  messagesCreated = 0;
  readonly callbacks: CallbackCounters = { sent: 0, failed: 0, duplicated: 0, reordered: 0, lost: 0, retried: 0 };
  readonly voiceRequests: VoiceRequestCounters = { sent: 0, failed: 0 };

  reset(): void {
    this.callsCreated = 0;
    this.callsCanceled = 0;
    this.messagesCreated = 0;
    Object.assign(this.callbacks, { sent: 0, failed: 0, duplicated: 0, reordered: 0, lost: 0, retried: 0 });
    Object.assign(this.voiceRequests, { sent: 0, failed: 0 });
  }
}

export interface SimulatorStats {
  readonly calls: {
    readonly created: number;
    readonly canceled: number;
    /** Waiting in the outbound queue now. */
    readonly queued: number;
    readonly dequeued: number;
    readonly maxQueueWaitMs: number;
    /** The configured pace. */
    readonly callsPerSecond: number;
    /** Departures after the first, over the time from the first to the latest; null before two departures. */
    readonly achievedCallsPerSecond: number | null;
    /** From the first departure to the latest, in ms. */
    readonly dequeueSpanMs: number | null;
  };
  readonly messages: { readonly created: number };
  readonly callbacks: Readonly<CallbackCounters>;
  readonly voiceRequests: Readonly<VoiceRequestCounters>;
  /** Conferences with someone in them now. */
  readonly conferences: { readonly active: number };
}

export function statsSnapshot(counters: SimulatorCounters, queue: OutboundQueueStats, callsPerSecond: number, activeConferences: number): SimulatorStats {
  const span = queue.firstDequeuedAt === null || queue.lastDequeuedAt === null ? null : queue.lastDequeuedAt - queue.firstDequeuedAt;
  const achieved = span !== null && span > 0 && queue.dequeued > 1 ? Math.round(((queue.dequeued - 1) * 1000 * 1000) / span) / 1000 : null;
  return {
    calls: {
      created: counters.callsCreated,
      canceled: counters.callsCanceled,
      queued: queue.waiting,
      dequeued: queue.dequeued,
      maxQueueWaitMs: queue.maxWaitMs,
      callsPerSecond,
      achievedCallsPerSecond: achieved,
      dequeueSpanMs: span,
    },
    messages: { created: counters.messagesCreated },
    callbacks: { ...counters.callbacks },
    voiceRequests: { ...counters.voiceRequests },
    conferences: { active: activeConferences },
  };
}
