import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
const ACCEPTABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{8,100}$/;
const MEMO = Symbol('correlationId');

type RequestWithCorrelationId = IncomingMessage & { [MEMO]?: string };

/**
 * The caller's correlation id when it is well-formed, otherwise a new one; remembered on the
 * request so the logger and the CLS context (whichever runs first) agree on it.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const memoised = (request as RequestWithCorrelationId)[MEMO];
  if (memoised !== undefined) return memoised;
  const offered = request.headers[CORRELATION_ID_HEADER];
  const id = typeof offered === 'string' && ACCEPTABLE_CORRELATION_ID.test(offered) ? offered : randomUUID();
  (request as RequestWithCorrelationId)[MEMO] = id;
  return id;
}
