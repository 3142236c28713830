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
  readonly faults: () => Pick<Scenario, 'duplicateRate' | 'outOfOrderRate' | 'lateMs'>;
  /** How long a receiver may take to answer; Twilio waits 15 s. */
  readonly timeoutMs?: number;
}

interface HeldCallback {
  readonly delivery: CallbackDelivery;
  readonly delayMs: number;
}

/**
 * Signs and sends status callbacks as Twilio does (X-Twilio-Signature over the URL and the sorted
 * params), one call's callbacks one after the other so they arrive in order, unless the scenario's
 * faults duplicate one or hold one back behind the next. A failed callback is logged and counted, never retried.
 */
export class StatusCallbackSender {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly held = new Map<string, HeldCallback[]>();
  private aborter = new AbortController();
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
    const delivery = this.newDelivery(callback, { duplicate: false, heldBack: holdBack });
    stream.callbacks.push(delivery);

    if (holdBack && !callback.final) {
      this.options.counters.reordered += 1;
      this.held.set(stream.sid, [...(this.held.get(stream.sid) ?? []), { delivery, delayMs: holdMs }]);
    } else {
      const overtaken = this.held.get(stream.sid) ?? [];
      this.held.delete(stream.sid);
      this.inOrder(stream.sid, async () => {
        if (holdMs > 0) await this.pause(holdMs);
        await this.deliver(stream.sid, delivery);
        for (const { delivery: late, delayMs } of overtaken) this.options.timers.after(delayMs, () => void this.deliver(stream.sid, late));
      });
    }
    if (duplicate) {
      this.options.counters.duplicated += 1;
      const copy = this.newDelivery(callback, { duplicate: true, heldBack: false });
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
    this.aborter = new AbortController();
    this.chains.clear();
    this.held.clear();
  }

  /** As reset, and closes the sockets still open to the receivers. */
  close(): void {
    this.reset();
    this.http.destroy();
  }

  private newDelivery(callback: StatusCallback, flags: { duplicate: boolean; heldBack: boolean }): CallbackDelivery {
    return {
      event: callback.event,
      status: callback.status,
      sequenceNumber: callback.sequenceNumber,
      method: callback.method,
      url: callback.url,
      params: callback.params,
      idempotencyToken: `${callback.params.CallSid ?? callback.params.MessageSid}-${callback.sequenceNumber ?? callback.event}`,
      ...flags,
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

  private async deliver(sid: string, delivery: CallbackDelivery): Promise<void> {
    const { signal } = this.aborter;
    if (signal.aborted) return;
    const { url, body } = encoded(delivery);
    const headers: Record<string, string> = {
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(this.options.authToken, url, delivery.method === 'POST' ? delivery.params : {}),
      'I-Twilio-Idempotency-Token': delivery.idempotencyToken,
      'User-Agent': 'TwilioProxy/1.1',
      Accept: '*/*',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    delivery.sentAt = new Date().toISOString();
    this.options.counters.sent += 1;
    try {
      const status = await this.http.send({ url, method: delivery.method, headers, body, signal, timeoutMs: this.options.timeoutMs ?? 15_000 });
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

/** POST: the params as a form body, signed with the URL. GET: the params in the query string, the whole URL signed. */
function encoded(delivery: CallbackDelivery): { url: string; body: string | undefined } {
  const query = new URLSearchParams(delivery.params).toString();
  if (delivery.method === 'POST') return { url: delivery.url, body: query };
  return { url: `${delivery.url}${delivery.url.includes('?') ? '&' : '?'}${query}`, body: undefined };
}

function describeRequestError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.message;
  }
  return String(error);
}
