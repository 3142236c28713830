import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface ReceivedCallback {
  readonly method: string;
  /** The full URL as the receiver saw it (query included), which the signature covers. */
  readonly url: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly signature: string | undefined;
  readonly idempotencyToken: string | undefined;
  readonly contentType: string | undefined;
  /** twilio.validateRequest(authToken, signature, url, params), as a real webhook would check it. */
  readonly valid: boolean;
  readonly receivedAt: number;
}

/** What the receiver answers: a status alone, or a body (TwiML for voice requests), optionally after a delay. */
export interface WebhookAnswer {
  readonly status?: number;
  readonly body?: string;
  readonly contentType?: string;
  readonly delayMs?: number;
}

export type AnswerWith = (path: string, params: Readonly<Record<string, string>>) => number | WebhookAnswer;

export interface WebhookReceiver {
  /** Base URL, such as http://127.0.0.1:40123 */
  readonly url: string;
  readonly received: ReceivedCallback[];
  /** Resolves with the callbacks once `done` holds for them; rejects after timeoutMs naming what arrived. */
  waitFor(done: (received: readonly ReceivedCallback[]) => boolean, timeoutMs?: number): Promise<readonly ReceivedCallback[]>;
  close(): Promise<void>;
}

/** A webhook endpoint for tests: records and validates every request, answers `answerWith` (200 and no body by default). */
export async function startWebhookReceiver(authToken: string, answerWith: AnswerWith = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedCallback[] = [];
  let base = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = `${base}${request.url ?? '/'}`;
      const parsedUrl = new URL(url);
      const isPost = request.method === 'POST';
      const params = Object.fromEntries(isPost ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : parsedUrl.searchParams);
      const signature = request.headers['x-twilio-signature'] as string | undefined;
      received.push({
        method: request.method ?? '',
        url,
        path: parsedUrl.pathname,
        params,
        signature,
        idempotencyToken: request.headers['i-twilio-idempotency-token'] as string | undefined,
        contentType: request.headers['content-type'],
        valid: signature !== undefined && twilio.validateRequest(authToken, signature, url, isPost ? params : {}),
        receivedAt: Date.now(),
      });
      const answer = answerWith(parsedUrl.pathname, params);
      const { status = 200, body, contentType = 'text/xml', delayMs = 0 } = typeof answer === 'number' ? { status: answer } : answer;
      setTimeout(() => {
        if (body === undefined) response.writeHead(status).end();
        else response.writeHead(status, { 'Content-Type': contentType }).end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    received,
    waitFor: async (done, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!done(received)) {
        if (Date.now() > deadline) {
          const summary = received.map(
            (callback) => `${callback.path} ${callback.params.CallStatus ?? callback.params.MessageStatus}#${callback.params.SequenceNumber ?? ''}`,
          );
          throw new Error(`timed out after ${timeoutMs} ms; received: ${summary.join(', ') || 'nothing'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
