import type { Instant, PacingDecision, PacingSnapshot } from './pacing-snapshot';
import { powerDecision } from './power-pacing.policy';
import { predictiveDecision } from './predictive-pacing.policy';

/**
 * How many lines to start now. Pure and deterministic: everything it knows is in the snapshot and
 * `now`, so the pacing tick in production and the simulation in virtual time run the same code.
 */
export function decide(snapshot: PacingSnapshot, now: Instant): PacingDecision {
  return snapshot.settings.mode === 'power' ? powerDecision(snapshot) : predictiveDecision(snapshot, now);
}
