import { DISPOSITION_DETAILS, type Disposition, DispositionRetry, type RetriableDisposition, type RetryPolicy } from '@app/campaigns';

export type ContactNextState = { readonly status: 'open'; readonly nextAttemptAt: Date } | { readonly status: 'done'; readonly reason: string };

/**
 * Where a call-list row goes after a disposition: called again after the policy's delay (or at the
 * time the voter asked for), or closed because the call settled it, the facts forbid another
 * (wrong number, moved, deceased, do not call), or the attempts ran out.
 */
export function contactAfterDisposition(
  disposition: Disposition,
  attemptsIncludingThis: number,
  policy: RetryPolicy,
  now: Date,
  callBackAt: Date | null,
): ContactNextState {
  const retry = DISPOSITION_DETAILS[disposition].retry;
  if (retry !== DispositionRetry.Later) return { status: 'done', reason: disposition };
  const rule = policy[disposition as RetriableDisposition];
  if (rule === undefined) return { status: 'done', reason: disposition };
  if (attemptsIncludingThis >= rule.maxAttempts) return { status: 'done', reason: 'max_attempts' };
  if (callBackAt !== null) return { status: 'open', nextAttemptAt: callBackAt };
  return { status: 'open', nextAttemptAt: new Date(now.getTime() + rule.delayMinutes * 60_000) };
}
