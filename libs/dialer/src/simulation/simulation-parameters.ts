import type { DialingMode } from '../pacing/pacing-snapshot';

/** Mean and standard deviation, in seconds, of a log-normal duration (of the duration, not its logarithm). */
export interface DurationShape {
  readonly mean: number;
  readonly sd: number;
}

export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

export type LeadLineType = 'landline' | 'mobile' | 'unknown';

export interface TimeZoneShare {
  /** Hours to add to UTC for the called party's local time. */
  readonly utcOffsetHours: number;
  readonly share: number;
}

export interface LeadListParameters {
  /** Leads in the list; null is an unlimited list. */
  readonly count: number | null;
  readonly zones: readonly TimeZoneShare[];
  /** Shares of the list by line type (normalised). */
  readonly lineTypes: Readonly<Record<LeadLineType, number>>;
  /** Share of mobile and unknown-type leads with documented consent: the pacer may dial those itself. */
  readonly consentedShare: number;
}

export interface AnsweringMachineDetection {
  /** Synchronous: bridge after the verdict. Asynchronous: bridge at answer, the verdict comes in the background. */
  readonly mode: 'sync' | 'async';
  /** Human verdict this long after the greeting ends (Twilio's default end-of-speech threshold). */
  readonly humanEndSeconds: number;
  /** Machine verdict this long after answer. */
  readonly machineSeconds: number;
  /** ε_h: a live human classed as a machine (hung up on: abandoned, though the dialer never knows). */
  readonly humanMisclassified: number;
  /** ε_m: a machine classed as a human (bridged to a volunteer, who loses `misroutedMachineSeconds`). */
  readonly machineMisclassified: number;
}

/** Clickers approve mobile and unknown-type leads one click at a time, a Poisson process of `clicksPerSecond`. */
export interface ClickerParameters {
  readonly clicksPerSecond: number;
  /** The approved queue holds at most this many per logged-in volunteer: clickers don't run far ahead. */
  readonly approvedPerVolunteer: number;
}

/** The live-human rate as a multiple of `outcomes.human` across each shift. */
export interface AnswerRateDrift {
  /** `ramp`: linear from `from` at the shift's start to `to` at its end; `step`: `from` for the first half, `to` after. */
  readonly shape: 'ramp' | 'step';
  readonly from: number;
  readonly to: number;
}

/** Volunteers who come and go during the shift. */
export interface VolunteerChurn {
  /** Each volunteer logs in at a uniform time in [0, this) minutes after the shift starts. */
  readonly loginSpreadMinutes: number;
  /** Each volunteer takes one break starting at a uniform point in this share of the shift. */
  readonly breakWindow: readonly [number, number];
  readonly breakMinutes: SecondsRange;
  /** This share of volunteers logs out for good, at a uniform point in `logoutWindow` of the shift. */
  readonly earlyLogoutShare: number;
  readonly logoutWindow: readonly [number, number];
}

/** The carrier's status callbacks reach the dialer late, and a few are lost and come back on a retry. */
export interface WebhookLatency {
  readonly medianSeconds: number;
  readonly p99Seconds: number;
  readonly lostCallbackRate: number;
  readonly retrySeconds: number;
}

/** One shift whose live-human rate runs off its usual level (the 30-day accounting stress). */
export interface HotShift {
  readonly shiftIndex: number;
  readonly humanRateMultiplier: number;
}

/** Deliberate harness faults, for tests that prove the compliance counters can fail. Never set them otherwise. */
export interface HarnessFaults {
  /** Lead selection hands out leads outside their calling window. */
  readonly ignoreCallingWindow?: boolean;
  /** `automatic` dials may take mobile and unknown-type leads. */
  readonly ignoreLineType?: boolean;
}

export interface SimulationSettings {
  readonly powerLinesPerVolunteer: number;
  readonly maxLinesPerVolunteer: number;
  readonly abandonRateLimit: number;
  readonly abandonRateTarget: number;
}

export interface SimulationParameters {
  readonly seed: number;
  readonly mode: DialingMode;
  readonly volunteers: number;
  /** Per started dial; the rest is no-answer. */
  readonly outcomes: { readonly human: number; readonly machine: number; readonly failed: number };
  readonly talk: DurationShape;
  readonly wrapUp: DurationShape;
  readonly callsPerSecond: number;
  /** Measured hours per shift, after the warm-up. */
  readonly hours: number;
  readonly warmUpMinutes: number;
  /** Shifts in a row (one a day); statistics and the 30-day abandonment record carry across them. */
  readonly shifts: number;
  /** Local hour-of-day, in the first zone of the lead list, at which every shift starts. */
  readonly shiftStartLocalHour: number;
  readonly tickMs: number;
  /**
   * Also decide right after a line resolves or a volunteer becomes ready or starts wrap-up (production's
   * event-triggered ticks). False: on the periodic tick only, as the §5.6 reference figures were made.
   */
  readonly decideOnEvents: boolean;
  /** At most one decision per this many milliseconds of virtual time. */
  readonly decisionDebounceMs: number;
  readonly ringTimeoutSeconds: number;
  readonly humanRing: DurationShape;
  readonly machineRing: DurationShape;
  readonly failSeconds: SecondsRange;
  readonly greetingSeconds: SecondsRange;
  readonly amd: AnsweringMachineDetection;
  readonly bridgeSeconds: number;
  /** A volunteer bridged to a machine classed as human hangs up after this long and is ready again. */
  readonly misroutedMachineSeconds: number;
  readonly settings: SimulationSettings;
  readonly leads: LeadListParameters;
  readonly clickers: ClickerParameters | null;
  readonly drift: AnswerRateDrift | null;
  readonly churn: VolunteerChurn | null;
  readonly webhook: WebhookLatency | null;
  readonly hotShift: HotShift | null;
  readonly faults: HarnessFaults;
}
