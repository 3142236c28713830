import type { OutboundQueueStats } from './outbound-call.queue';
import type { ThroughputFigures } from './sender-throughput.tracker';

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

export interface InboundWebhookCounters {
  sent: number;
  /** Of those, refused connections, timeouts and non-2xx answers. */
  failed: number;
}

/** Per-sender Create Message figures, with the cap in force for comparison (null: unlimited). */
export interface SenderMessageStats extends ThroughputFigures {
  readonly capPerSecond: number | null;
}

export interface MessageThroughput {
  readonly account: ThroughputFigures;
  readonly accountCapPerSecond: number | null;
  readonly senders: Readonly<Record<string, SenderMessageStats>>;
}

/** Running counts since start or the last reset. */
export class SimulatorCounters {
  callsCreated = 0;
  callsCanceled = 0;
  messagesCreated = 0;
  /** Create Message refusals: 429 (a rate cap), 400 21610 (opted out), 400 from `createError`, 500 from `serverErrorRate`. */
  messagesRateLimited = 0;
  messagesOptedOut = 0;
  messagesCreateErrors = 0;
  messagesServerErrors = 0;
  /** Inbound texts injected, and the answers Twilio would send by itself to STOP/START/HELP. */
  messagesReceived = 0;
  autoReplies = 0;
  readonly inboundWebhooks: InboundWebhookCounters = { sent: 0, failed: 0 };
  readonly callbacks: CallbackCounters = { sent: 0, failed: 0, duplicated: 0, reordered: 0, lost: 0, retried: 0 };
  readonly voiceRequests: VoiceRequestCounters = { sent: 0, failed: 0 };

  reset(): void {
    this.callsCreated = 0;
    this.callsCanceled = 0;
    this.messagesCreated = 0;
    this.messagesRateLimited = 0;
    this.messagesOptedOut = 0;
    this.messagesCreateErrors = 0;
    this.messagesServerErrors = 0;
    this.messagesReceived = 0;
    this.autoReplies = 0;
    Object.assign(this.inboundWebhooks, { sent: 0, failed: 0 });
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
  readonly messages: {
    /** Outbound texts created through Create Message (201). */
    readonly created: number;
    /** Create Message answered 429 (20429) by a sender or account cap. */
    readonly rateLimited: number;
    /** Create Message answered 400 21610 because the recipient opted out of the sender. */
    readonly optedOut: number;
    /** Create Message answered 400 with a number's scenario `createError`. */
    readonly createErrors: number;
    /** Create Message answered 500 (20500) by `serverErrorRate`. */
    readonly serverErrors: number;
    /** Inbound texts injected through POST /sim/inbound. */
    readonly received: number;
    /** Automatic STOP/START/HELP answers recorded as `outbound-reply` texts. */
    readonly autoReplies: number;
    readonly inboundWebhooks: Readonly<InboundWebhookCounters>;
    /** The most texts accepted for the whole account within any 1,000 ms, and the account cap. */
    readonly maxAcceptedPerSecond: number;
    readonly accountCapPerSecond: number | null;
    /** Sender (From, or MessagingServiceSid without From) → accepted, rateLimited, maxAcceptedPerSecond, capPerSecond. */
    readonly senders: Readonly<Record<string, SenderMessageStats>>;
  };
  readonly callbacks: Readonly<CallbackCounters>;
  readonly voiceRequests: Readonly<VoiceRequestCounters>;
  /** Conferences with someone in them now. */
  readonly conferences: { readonly active: number };
}

export function statsSnapshot(
  counters: SimulatorCounters,
  queue: OutboundQueueStats,
  callsPerSecond: number,
  activeConferences: number,
  messageThroughput: MessageThroughput,
): SimulatorStats {
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
    messages: {
      created: counters.messagesCreated,
      rateLimited: counters.messagesRateLimited,
      optedOut: counters.messagesOptedOut,
      createErrors: counters.messagesCreateErrors,
      serverErrors: counters.messagesServerErrors,
      received: counters.messagesReceived,
      autoReplies: counters.autoReplies,
      inboundWebhooks: { ...counters.inboundWebhooks },
      maxAcceptedPerSecond: messageThroughput.account.maxAcceptedPerSecond,
      accountCapPerSecond: messageThroughput.accountCapPerSecond,
      senders: messageThroughput.senders,
    },
    callbacks: { ...counters.callbacks },
    voiceRequests: { ...counters.voiceRequests },
    conferences: { active: activeConferences },
  };
}
