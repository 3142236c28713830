import { sharedAbortController } from './abort-controller.util';
import { CallbackHttpClient } from './callback-http.client';
import type { InboundWebhookResult } from './simulated-message';
import type { SimulatorLog } from './simulator-log';
import type { InboundWebhookCounters } from './simulator.stats';
import { describeRequestError, signedRequest } from './status-callback.sender';

export interface InboundWebhookSenderOptions {
  readonly authToken: string;
  readonly counters: InboundWebhookCounters;
  readonly log: SimulatorLog;
  /** How long the messaging webhook may take; Twilio waits 15 s. */
  readonly timeoutMs?: number;
}

/**
 * Posts an incoming text to the messaging webhook, signed exactly as status callbacks are, and
 * waits for the answer. No scenario fault touches it, and it is never retried: the caller of
 * POST /sim/inbound sees what the webhook answered.
 */
export class InboundWebhookSender {
  private aborter = sharedAbortController();
  private readonly http = new CallbackHttpClient();

  constructor(private readonly options: InboundWebhookSenderOptions) {}

  async post(webhookUrl: string, params: Readonly<Record<string, string>>): Promise<InboundWebhookResult> {
    const { signal } = this.aborter;
    const { url, body, headers } = signedRequest(this.options.authToken, { url: webhookUrl, method: 'POST', params });
    const started = Date.now();
    this.options.counters.sent += 1;
    try {
      const response = await this.http.send({ url, method: 'POST', headers, body, signal, timeoutMs: this.options.timeoutMs ?? 15_000 });
      if (response.status < 200 || response.status >= 300) this.failed(params.MessageSid, `HTTP ${response.status}`);
      return { url: webhookUrl, status: response.status, ms: Date.now() - started };
    } catch (error) {
      const reason = signal.aborted ? 'aborted' : describeRequestError(error);
      if (!signal.aborted) this.failed(params.MessageSid, reason);
      return { url: webhookUrl, status: 0, ms: Date.now() - started, error: reason };
    }
  }

  /** Aborts requests in flight (reset). */
  reset(): void {
    this.aborter.abort();
    this.aborter = sharedAbortController();
  }

  /** As reset, and closes the sockets still open. */
  close(): void {
    this.reset();
    this.http.destroy();
  }

  private failed(messageSid: string | undefined, reason: string): void {
    this.options.counters.failed += 1;
    this.options.log({ level: 'warn', message: 'inbound message webhook failed', messageSid, reason });
  }
}
