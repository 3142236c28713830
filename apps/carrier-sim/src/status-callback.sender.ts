import { sharedAbortController } from './abort-controller.util';
import twilio from 'twilio';
import { CallbackHttpClient } from './callback-http.client';
import type { Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';
import type { SimulatorLog } from './simulator-log';
import type { CallbackCounters } from './simulator.stats';
import type { TimerRegistry } from './timer.registry';

export type CallbackMethod = 'GET' | 'POST';

/** One HTTP request made (or about to be made) to a status callback URL, as /sim/calls shows it. */
export interface CallbackDelivery {
  /** initiated, ringing, answered, completed for calls; sent, delivered, undelivered, failed for texts. */
  readonly event: string;
  /** The CallStatus or MessageStatus it carries. */
  readonly status: string;
  readonly sequenceNumber: number | null;
  readonly method: CallbackMethod;
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly idempotencyToken: string;
  /** A second, identical copy (fault injection). */
  readonly duplicate: boolean;
  /** Held back (fault injection): sent after the next callback of the same call or message, or late when it is the last. */
  readonly heldBack: boolean;
  /** 1, or 2 for the retry of a lost attempt. */
  readonly attempt: number;
  /** Lost (fault injection): the receiver never saw this attempt; a retry follows `retryMs` later. */
  lost: boolean;
  sentAt: string | null;
  /** The receiver's HTTP status; null when it never answered. */
  responseStatus: number | null;
  error: string | null;
}

export interface StatusCallback {
  readonly event: string;
  readonly status: string;
  readonly sequenceNumber: number | null;
  readonly url: string;
  readonly method: CallbackMethod;
  readonly params: Readonly<Record<string, string>>;
  /** The last callback of its call or message: nothing comes after it to be overtaken by a held-back one. */
  readonly final: boolean;
}

/** The call or text the callbacks belong to: its SID, where deliveries are recorded, its own random sequence. */
export interface CallbackStream {
  readonly sid: string;
  readonly callbacks: CallbackDelivery[];
  readonly random: SeededRandom;
}

export interface StatusCallbackSenderOptions {
  readonly authToken: string;
  readonly timers: TimerRegistry;
  readonly counters: CallbackCounters;
  readonly log: SimulatorLog;
  readonly faults: () => Pick<Scenario, 'duplicateRate' | 'outOfOrderRate' | 'lateMs' | 'callbackDelayMs' | 'lossRate' | 'retryMs'>;
  /** How long a receiver may take to answer; Twilio waits 15 s. */
  readonly timeoutMs?: number;
}

interface HeldCallback {
  readonly delivery: CallbackDelivery;
  readonly delayMs: number;
  readonly send: () => Promise<void>;
}

/**
 * Signs and sends status callbacks as Twilio does (X-Twilio-Signature over the URL and the sorted
 * params), one call's callbacks one after the other so they arrive in order, unless the scenario's
 * faults delay them, duplicate one, hold one back behind the next, or lose one (retried once,
 * `retryMs` later). A callback the receiver refuses or cannot take is logged and counted, never retried.
 */
export class StatusCallbackSender {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly held = new Map<string, HeldCallback[]>();
  private aborter = sharedAbortController();
  private readonly http = new CallbackHttpClient();

  constructor(private readonly options: StatusCallbackSenderOptions) {}

  send(stream: CallbackStream, callback: StatusCallback): void {
    const faults = this.options.faults();
    const { random } = stream;
    // Drawn here, in event order, from the call's own sequence: the same seed injects the same faults.
    const holdBack = random.chance(faults.outOfOrderRate);
    const holdMs = holdBack ? random.within(faults.lateMs) : 0;
    const duplicate = random.chance(faults.duplicateRate);
    const duplicateMs = duplicate ? random.within(faults.lateMs) : 0;
    // Drawn after the older faults, so a scenario without these replays the same sequence as before.
    const delayMs = random.within(faults.callbackDelayMs);
    const lost = random.chance(faults.lossRate);
    const retryMs = lost ? random.within(faults.retryMs) : 0;
    const delivery = this.newDelivery(callback, { duplicate: false, heldBack: holdBack, attempt: 1 });
    stream.callbacks.push(delivery);
    const deliverOrLose = async (): Promise<void> => {
      if (!lost) return this.deliver(stream.sid, delivery);
      this.lose(delivery);
      const retry = this.newDelivery(callback, { duplicate: false, heldBack: false, attempt: 2 });
      stream.callbacks.push(retry);
      this.options.timers.after(retryMs, () => {
        this.options.counters.retried += 1;
        void this.deliver(stream.sid, retry);
      });
    };

    if (holdBack && !callback.final) {
      this.options.counters.reordered += 1;
      this.held.set(stream.sid, [...(this.held.get(stream.sid) ?? []), { delivery, delayMs: holdMs + delayMs, send: deliverOrLose }]);
    } else {
      const overtaken = this.held.get(stream.sid) ?? [];
      this.held.delete(stream.sid);
      this.inOrder(stream.sid, async () => {
        if (holdMs + delayMs > 0) await this.pause(holdMs + delayMs);
        await deliverOrLose();
        for (const late of overtaken) this.options.timers.after(late.delayMs, () => void late.send());
      });
    }
    if (duplicate) {
      this.options.counters.duplicated += 1;
      const copy = this.newDelivery(callback, { duplicate: true, heldBack: false, attempt: 1 });
      stream.callbacks.push(copy);
      this.inOrder(stream.sid, async () => {
        this.options.timers.after(duplicateMs, () => void this.deliver(stream.sid, copy));
      });
    }
    if (callback.final) this.inOrder(stream.sid, async () => void this.chains.delete(stream.sid));
  }

  /** Forgets pending work and aborts requests in flight (reset). */
  reset(): void {
    this.aborter.abort();
    this.aborter = sharedAbortController();
    this.chains.clear();
    this.held.clear();
  }

  /** As reset, and closes the sockets still open to the receivers. */
  close(): void {
    this.reset();
    this.http.destroy();
  }

  private newDelivery(callback: StatusCallback, flags: { duplicate: boolean; heldBack: boolean; attempt: number }): CallbackDelivery {
    return {
      event: callback.event,
      status: callback.status,
      sequenceNumber: callback.sequenceNumber,
      method: callback.method,
      url: callback.url,
      params: callback.params,
      idempotencyToken: `${callback.params.CallSid ?? callback.params.MessageSid}-${callback.sequenceNumber ?? callback.event}`,
      ...flags,
      lost: false,
      sentAt: null,
      responseStatus: null,
      error: null,
    };
  }

  private inOrder(sid: string, step: () => Promise<void>): void {
    const previous = this.chains.get(sid) ?? Promise.resolve();
    this.chains.set(sid, previous.then(step));
  }

  private pause(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.options.timers.after(delayMs, resolve));
  }

  private lose(delivery: CallbackDelivery): void {
    delivery.lost = true;
    delivery.sentAt = new Date().toISOString();
    delivery.error = 'lost (simulated)';
    this.options.counters.lost += 1;
  }

  private async deliver(sid: string, delivery: CallbackDelivery): Promise<void> {
    const { signal } = this.aborter;
    if (signal.aborted) return;
    const { url, body, headers } = signedRequest(this.options.authToken, delivery);
    headers['I-Twilio-Idempotency-Token'] = delivery.idempotencyToken;
    delivery.sentAt = new Date().toISOString();
    this.options.counters.sent += 1;
    try {
      const { status } = await this.http.send({ url, method: delivery.method, headers, body, signal, timeoutMs: this.options.timeoutMs ?? 15_000 });
      delivery.responseStatus = status;
      if (status < 200 || status >= 300) this.failed(sid, delivery, `HTTP ${status}`);
    } catch (error) {
      if (signal.aborted) return;
      this.failed(sid, delivery, describeRequestError(error));
    }
  }

  private failed(sid: string, delivery: CallbackDelivery, reason: string): void {
    delivery.error = reason;
    this.options.counters.failed += 1;
    this.options.log({ level: 'warn', message: 'status callback failed', sid, event: delivery.event, sequenceNumber: delivery.sequenceNumber, reason });
  }
}

/**
 * A webhook request as Twilio makes it. POST: the params as a form body, X-Twilio-Signature over the
 * URL and the sorted params. GET: the params in the query string, the whole URL signed.
 */
export function signedRequest(
  authToken: string,
  request: { readonly url: string; readonly method: CallbackMethod; readonly params: Readonly<Record<string, string>> },
): { url: string; body: string | undefined; headers: Record<string, string> } {
  const query = new URLSearchParams(request.params).toString();
  const url = request.method === 'POST' ? request.url : `${request.url}${request.url.includes('?') ? '&' : '?'}${query}`;
  const headers: Record<string, string> = {
    'X-Twilio-Signature': twilio.getExpectedTwilioSignature(authToken, url, request.method === 'POST' ? request.params : {}),
    'User-Agent': 'TwilioProxy/1.1',
    Accept: '*/*',
  };
  if (request.method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { url, body: request.method === 'POST' ? query : undefined, headers };
}

export function describeRequestError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}
