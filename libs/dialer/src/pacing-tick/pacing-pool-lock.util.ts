import type { PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';

/**
 * The transaction lock a pool's tick holds while it counts ready volunteers and writes the lines it
 * dials for them. A volunteer stopping takes it too, so the stop either sees those lines (and
 * stays on the way out until they end) or the tick sees the volunteer gone: never a line dialed
 * for someone who has already left, and a person answering it abandoned.
 */
export function pacingPoolLockKey(pool: PacingPool): string {
  return `pacing:${pool.campaignId}:${pool.organizationId}`;
}
