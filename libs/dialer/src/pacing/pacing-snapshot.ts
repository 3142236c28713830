import type { PacingStatistics } from './pacing-statistics';

/**
 * Milliseconds on one clock: epoch milliseconds in production, virtual milliseconds in the simulation.
 * The pacer is handed `now` and never reads a clock of its own.
 */
export type Instant = number;

export type DialingMode = 'power' | 'predictive';

/** A logged-in volunteer as the console session reports them. */
export type VolunteerState = 'ready' | 'talking' | 'wrap-up' | 'paused';

export interface VolunteerView {
  readonly id: string;
  readonly state: VolunteerState;
  /** When the volunteer entered this state. */
  readonly since: Instant;
}

/**
 * A line the dialer started that has no volunteer yet. Lines bridged to a volunteer are not here (the
 * volunteer is talking); neither are lines that ended.
 * - `queued`: asked of the carrier, waiting in its calls-per-second queue;
 * - `ringing`: the carrier started it (it left the queue);
 * - `answered`: picked up, answering-machine detection still deciding;
 * - `human-waiting`: detection said human and no volunteer was free; it must be bridged within 2 s of
 *   the end of the greeting or it is abandoned.
 */
export type LineState = 'queued' | 'ringing' | 'answered' | 'human-waiting';

export interface LineView {
  readonly id: string;
  readonly state: LineState;
  /** When the dial was handed to the carrier. */
  readonly placedAt: Instant;
  /** When the carrier started it (left its queue); null while queued. */
  readonly startedAt: Instant | null;
}

export interface PacingSettings {
  readonly mode: DialingMode;
  /** Power mode: lines per ready volunteer (1 is classic power dialing, the volunteer waits on their own line). */
  readonly powerLinesPerVolunteer: number;
  /** The carrier's calls per second for this campaign; calls beyond it wait in the carrier's queue. */
  readonly callsPerSecond: number;
  /** Upper bound on lines without a volunteer, per available (not paused) volunteer. */
  readonly maxLinesPerVolunteer: number;
  /** The law's cap on abandoned ÷ live answers over 30 days (0.03). */
  readonly abandonRateLimit: number;
  /** Where the abandonment controller aims, under the cap to leave room for chance. */
  readonly abandonRateTarget: number;
}

/** Leads that may be dialed right now (inside their calling window, attempts left). */
export interface DialableLeads {
  /** Landlines and numbers with documented consent: the pacer may dial these by itself. */
  readonly automatic: number;
  /** Mobile or unknown-type numbers a clicker approved, one dial per approval, waiting to be placed. */
  readonly approved: number;
  /** Mobile or unknown-type numbers: dialed only by a ready volunteer's own action in power 1:1 mode. */
  readonly manualOnly: number;
}

/** What the campaign's own records say over the law's window: every live answer and every abandoned one. */
export interface AbandonmentRecord {
  readonly liveAnswers: number;
  readonly abandoned: number;
}

/** Everything the pacer may know when it decides. */
export interface PacingSnapshot {
  readonly settings: PacingSettings;
  readonly volunteers: readonly VolunteerView[];
  readonly lines: readonly LineView[];
  readonly leads: DialableLeads;
  /** What the pacer has learned from this campaign's calls so far (see observePacing). */
  readonly statistics: PacingStatistics;
  /** The campaign's last 30 days, from the database. */
  readonly abandonment30Days: AbandonmentRecord;
}

/** `power-held`: power n:1 dialing 1:1 because its extra lines could take the 30-day record past the target. */
export type PacingBasis = 'power' | 'power-held' | 'cold-start' | 'predictive' | 'no-volunteers' | 'no-leads';

/** Dials to start now, by where their leads may come from. */
export interface PacingDecision {
  /** From `leads.automatic` only. */
  readonly automatic: number;
  /** From `leads.approved`, one per approval. */
  readonly approved: number;
  /** Power 1:1: one per ready volunteer without a line of their own; the lead may be of any line type. */
  readonly volunteerInitiated: number;
  readonly basis: PacingBasis;
  /** The figures behind the decision, for the console and the logs. */
  readonly estimate: PacingEstimate;
}

export interface PacingEstimate {
  /** Share of started dials the pacer expects to reach a live human. */
  readonly humanRate: number;
  /** Volunteers expected free when the next dial's human would arrive, less humans expected before it. */
  readonly expectedSpareVolunteers: number;
  /** The controller's current risk allowance per dial (predictive) or 0. */
  readonly riskAllowance: number;
}
