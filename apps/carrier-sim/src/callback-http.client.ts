import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface CallbackRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** What the receiver answered; the body matters for voice requests (TwiML), not for status callbacks. */
export interface CallbackResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

// TwiML documents are small; a receiver answering more than this is cut short rather than buffered.
const MAX_BODY_BYTES = 256 * 1024;

// One connection per callback: a kept-alive socket the receiver has just timed out would fail a
// callback the scenario never meant to lose (callbacks are not retried).
const AGENT_OPTIONS = { keepAlive: false, maxSockets: 128 };

/**
 * Sends status callbacks over node:http(s) with agents of its own (fetch refuses some ports, such
 * as 5060, and shares its pool with the rest of the process). Resolves with the HTTP status and body.
 */
export class CallbackHttpClient {
  private readonly httpAgent = new HttpAgent(AGENT_OPTIONS);
  private readonly httpsAgent = new HttpsAgent(AGENT_OPTIONS);

  send(callback: CallbackRequest): Promise<CallbackResponse> {
    return new Promise((resolve, reject) => {
      const url = new URL(callback.url);
      const secure = url.protocol === 'https:';
      const headers = { ...callback.headers, ...(callback.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(callback.body)) }) };
      const request = (secure ? httpsRequest : httpRequest)(url, {
        method: callback.method,
        headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
        signal: callback.signal,
        timeout: callback.timeoutMs,
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? null, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      });
      request.end(callback.body);
    });
  }

  /** Closes the sockets still open. */
  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
