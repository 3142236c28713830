import type { PacingDecision, PacingSnapshot } from '../pacing/pacing-snapshot';

/** Anything with the pacer's signature: the real `decide` or a reference policy. */
export type PacingPolicy = (snapshot: PacingSnapshot, now: number) => PacingDecision;
