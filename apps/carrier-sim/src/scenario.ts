import type { MillisecondRange } from './seeded-random';

export const CALL_OUTCOMES = ['human', 'machine', 'busy', 'no-answer', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The outcomes that ring first; a failed call ends at connect time without ringing. */
export const RINGING_OUTCOMES = ['human', 'machine', 'busy', 'no-answer'] as const;
export type RingingOutcome = (typeof RINGING_OUTCOMES)[number];

export const MESSAGE_OUTCOMES = ['delivered', 'undelivered', 'failed'] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

export interface CallNumberOverride {
  readonly outcome: CallOutcome;
  readonly ringMs?: MillisecondRange;
  /** null: this voter waits for our hang-up (up to maxCallMs). */
  readonly talkMs?: MillisecondRange | null;
}

export interface MessageNumberOverride {
  readonly outcome: MessageOutcome;
  readonly errorCode?: number;
}

/**
 * What the simulated carrier does with each call and text: the outcome (per-number override, else a
 * weighted draw from `seed`), how long each phase lasts, and which faults hit the status callbacks.
 */
export interface Scenario {
  readonly seed: number;
  /** Relative weights of the call outcomes; need not sum to 1. */
  readonly weights: Readonly<Record<CallOutcome, number>>;
  /** E.164 number → fixed outcome (and optionally its timings). */
  readonly numbers: Readonly<Record<string, CallNumberOverride>>;
  readonly timings: {
    /** Leaving the queue (`initiated`) to `ringing`; a failed call fails after this long instead. */
    readonly connectMs: MillisecondRange;
    /** `ringing` to pick-up (human, machine), to `busy`, or to `no-answer` (also capped by the call's Timeout). */
    readonly ringMs: Readonly<Record<RingingOutcome, MillisecondRange>>;
    /** With MachineDetection: pick-up to the verdict for a human, or for a machine under `Enable`. */
    readonly detectionMs: MillisecondRange;
    /** With MachineDetection=DetectMessageEnd: a machine's greeting, pick-up to the beep. */
    readonly greetingMs: MillisecondRange;
    /** After the `answered` event, when the voter (or machine) hangs up by itself; null waits for our hang-up. */
    readonly talkMs: { readonly human: MillisecondRange | null; readonly machine: MillisecondRange | null };
    /** An answered call nobody hangs up ends after this long. */
    readonly maxCallMs: number;
  };
  /** Probability that a status callback is sent a second time, identical. */
  readonly duplicateRate: number;
  /** Probability that a status callback is held back and sent after the next one of the same call or message. */
  readonly outOfOrderRate: number;
  /** Extra delay of a duplicate or held-back callback. */
  readonly lateMs: MillisecondRange;
  readonly messages: {
    readonly weights: Readonly<Record<MessageOutcome, number>>;
    readonly numbers: Readonly<Record<string, MessageNumberOverride>>;
    /** Creation to `sent` (or to `failed`). */
    readonly sentMs: MillisecondRange;
    /** `sent` to `delivered` (or `undelivered`). */
    readonly deliveredMs: MillisecondRange;
    /** ErrorCode reported when an override names none. */
    readonly errorCodes: { readonly undelivered: number; readonly failed: number };
  };
}

export const DEFAULT_SCENARIO: Scenario = {
  seed: 1,
  weights: { human: 0.3, machine: 0.3, busy: 0.05, 'no-answer': 0.3, failed: 0.05 },
  numbers: {},
  timings: {
    connectMs: { min: 200, max: 800 },
    ringMs: {
      human: { min: 3_000, max: 15_000 },
      machine: { min: 3_000, max: 15_000 },
      busy: { min: 1_000, max: 4_000 },
      'no-answer': { min: 30_000, max: 60_000 },
    },
    detectionMs: { min: 1_500, max: 3_500 },
    greetingMs: { min: 6_000, max: 15_000 },
    talkMs: { human: null, machine: null },
    maxCallMs: 600_000,
  },
  duplicateRate: 0,
  outOfOrderRate: 0,
  lateMs: { min: 500, max: 2_000 },
  messages: {
    weights: { delivered: 1, undelivered: 0, failed: 0 },
    numbers: {},
    sentMs: { min: 100, max: 500 },
    deliveredMs: { min: 500, max: 3_000 },
    errorCodes: { undelivered: 30003, failed: 30008 },
  },
};

/** A range in a scenario document: `{ "min": 10, "max": 20 }`, or one number for a fixed value. */
export type MillisecondRangeInput = number | MillisecondRange;

/** The JSON a scenario is written in: every field optional, defaults fill the rest. */
export interface ScenarioInput {
  readonly seed?: number;
  /** When given, outcomes left out weigh 0. */
  readonly weights?: Partial<Record<CallOutcome, number>>;
  readonly numbers?: Readonly<
    Record<string, { readonly outcome: CallOutcome; readonly ringMs?: MillisecondRangeInput; readonly talkMs?: MillisecondRangeInput | null }>
  >;
  readonly timings?: {
    readonly connectMs?: MillisecondRangeInput;
    readonly ringMs?: Partial<Record<RingingOutcome, MillisecondRangeInput>>;
    readonly detectionMs?: MillisecondRangeInput;
    readonly greetingMs?: MillisecondRangeInput;
    readonly talkMs?: { readonly human?: MillisecondRangeInput | null; readonly machine?: MillisecondRangeInput | null };
    readonly maxCallMs?: number;
  };
  readonly duplicateRate?: number;
  readonly outOfOrderRate?: number;
  readonly lateMs?: MillisecondRangeInput;
  readonly messages?: {
    readonly weights?: Partial<Record<MessageOutcome, number>>;
    readonly numbers?: Readonly<Record<string, { readonly outcome: MessageOutcome; readonly errorCode?: number }>>;
    readonly sentMs?: MillisecondRangeInput;
    readonly deliveredMs?: MillisecondRangeInput;
    readonly errorCodes?: { readonly undelivered?: number; readonly failed?: number };
  };
}
