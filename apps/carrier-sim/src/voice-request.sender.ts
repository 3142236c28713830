import { sharedAbortController } from './abort-controller.util';
import { CallbackHttpClient } from './callback-http.client';
import type { SimulatedCall, CallError, VoiceRequestReason, VoiceRequestRecord } from './simulated-call';
import type { SimulatorLog } from './simulator-log';
import type { VoiceRequestCounters } from './simulator.stats';
import { type CallbackMethod, describeRequestError, signedRequest } from './status-callback.sender';

/** Twilio's debugger codes for a voice URL that did not give TwiML. */
export const VOICE_REQUEST_ERROR = {
  /** The URL answered with a status other than 2xx. */
  httpRetrievalFailure: 11200,
  /** No answer: refused connection, reset, or no response within the timeout. */
  httpConnectionFailure: 11205,
  /** The answer is not XML (Content-Type). */
  invalidContentType: 12300,
} as const;

export interface VoiceRequest {
  readonly reason: VoiceRequestReason;
  readonly url: string;
  readonly method: CallbackMethod;
  readonly params: Readonly<Record<string, string>>;
}

export type VoiceResponse = { readonly ok: true; readonly twiml: string } | { readonly ok: false; readonly error: CallError };

export interface VoiceRequestSenderOptions {
  readonly authToken: string;
  readonly counters: VoiceRequestCounters;
  readonly log: SimulatorLog;
  /** How long the TwiML server may take; Twilio waits 15 s. */
  readonly timeoutMs?: number;
}

/**
 * Asks a call's voice URL for TwiML, signed exactly as status callbacks are, and records each
 * request with its latency on the call. Unlike status callbacks these are never delayed, lost,
 * duplicated or reordered by the scenario's faults: the call waits on the answer.
 */
export class VoiceRequestSender {
  private aborter = sharedAbortController();
  private readonly http = new CallbackHttpClient();

  constructor(private readonly options: VoiceRequestSenderOptions) {}

  async request(call: SimulatedCall, request: VoiceRequest): Promise<VoiceResponse> {
    const { signal } = this.aborter;
    const { url, body, headers } = signedRequest(this.options.authToken, request);
    const started = Date.now();
    const record: VoiceRequestRecord = {
      reason: request.reason,
      url: request.url,
      method: request.method,
      params: request.params,
      sentAt: new Date(started).toISOString(),
      respondedAt: null,
      latencyMs: null,
      status: null,
      contentType: null,
      body: null,
      error: null,
    };
    call.voiceRequests.push(record);
    this.options.counters.sent += 1;
    try {
      const response = await this.http.send({ url, method: request.method, headers, body, signal, timeoutMs: this.options.timeoutMs ?? 15_000 });
      const answered = Date.now();
      Object.assign(record, {
        respondedAt: new Date(answered).toISOString(),
        latencyMs: answered - started,
        status: response.status,
        contentType: response.contentType,
        body: response.body,
      });
      if (response.status < 200 || response.status >= 300) {
        return this.failed(record, VOICE_REQUEST_ERROR.httpRetrievalFailure, `The voice URL answered HTTP ${response.status}`);
      }
      // Twilio plays audio answers and reads plain text aloud; the platform only ever answers TwiML, so anything else is an error here.
      if (!/xml|html/i.test(response.contentType ?? '')) {
        return this.failed(record, VOICE_REQUEST_ERROR.invalidContentType, `The voice URL answered Content-Type ${response.contentType ?? '(none)'}, not XML`);
      }
      return { ok: true, twiml: response.body };
    } catch (error) {
      if (signal.aborted)
        return { ok: false, error: { at: new Date().toISOString(), code: VOICE_REQUEST_ERROR.httpConnectionFailure, message: 'aborted', url: request.url } };
      return this.failed(record, VOICE_REQUEST_ERROR.httpConnectionFailure, `The voice URL could not be reached: ${describeRequestError(error)}`);
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

  private failed(record: VoiceRequestRecord, code: number, message: string): VoiceResponse {
    const error: CallError = { at: new Date().toISOString(), code, message, url: record.url };
    record.error = error;
    this.options.counters.failed += 1;
    this.options.log({ level: 'warn', message: 'voice request failed', callSid: record.params.CallSid, reason: record.reason, code, detail: message });
    return { ok: false, error };
  }
}
