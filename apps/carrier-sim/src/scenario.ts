import type { MillisecondRange } from './seeded-random';

export const CALL_OUTCOMES = ['human', 'machine', 'busy', 'no-answer', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The outcomes that ring first; a failed call ends at connect time without ringing. */
export const RINGING_OUTCOMES = ['human', 'machine', 'busy', 'no-answer'] as const;
export type RingingOutcome = (typeof RINGING_OUTCOMES)[number];

export const MESSAGE_OUTCOMES = ['delivered', 'undelivered', 'failed'] as const;

/** Every AnsweredBy value Twilio's answering machine detection reports. */
export const ANSWERED_BY_VALUES = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'] as const;
export type AnsweredBy = (typeof ANSWERED_BY_VALUES)[number];

/** How a machine's message ends under DetectMessageEnd: machine_end_beep, machine_end_silence or machine_end_other. */
export const MESSAGE_ENDS = ['beep', 'silence', 'other'] as const;
export type MessageEnd = (typeof MESSAGE_ENDS)[number];

/** When the `answered` status callback goes with synchronous detection (Twilio's choice is unverified). */
export const ANSWERED_EVENT_MOMENTS = ['verdict', 'pickup'] as const;
export type AnsweredEventMoment = (typeof ANSWERED_EVENT_MOMENTS)[number];

/** Lookup v2 line_type_intelligence `type` values. */
export const LINE_TYPES = [
  'landline',
  'mobile',
  'fixedVoip',
  'nonFixedVoip',
  'personal',
  'tollFree',
  'premium',
  'sharedCost',
  'uan',
  'voicemail',
  'pager',
  'unknown',
] as const;
export type LineType = (typeof LINE_TYPES)[number];
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

export interface CallNumberOverride {
  /** Left out: drawn from `weights` like any other number's. */
  readonly outcome?: CallOutcome;
  readonly ringMs?: MillisecondRange;
  /** null: this voter waits for our hang-up (up to maxCallMs). */
  readonly talkMs?: MillisecondRange | null;
  /** The detection verdict, sent as is whatever the callee really is (a misread human, a fax). */
  readonly answeredBy?: AnsweredBy;
  /** The callee's greeting: a human's "hello", a machine's message up to the beep. */
  readonly greetingMs?: MillisecondRange;
  /** What Lookup reports for this number. */
  readonly lineType?: LineType;
}

export interface MessageNumberOverride {
  /** Left out: drawn from `messages.weights`. */
  readonly outcome?: MessageOutcome;
  readonly errorCode?: number;
  /** Create Message to this number answers 400 with this Twilio code (21211, 21614, 21610, 21408, …) and creates nothing. */
  readonly createError?: number;
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
    /**
     * Older scenarios' detection time, pick-up to the verdict for a human or a machine under `Enable`;
     * when set it replaces the `amd` timing model. null (the default) uses `amd`.
     */
    readonly detectionMs: MillisecondRange | null;
    /** A machine's greeting, pick-up to the beep (the verdict under DetectMessageEnd). */
    readonly greetingMs: MillisecondRange;
    /**
     * When the callee hangs up by itself, counted from when the line goes live for it: the start of
     * the first <Say>, <Play>, <Pause> or conference it hears, restarted when it is first bridged to
     * someone. null waits for our hang-up.
     */
    readonly talkMs: { readonly human: MillisecondRange | null; readonly machine: MillisecondRange | null };
    /** An answered call nobody hangs up ends after this long, counted from pick-up. */
    readonly maxCallMs: number;
    /** How far past the call's Timeout the ringing may go (Twilio: "up to 5 s" for some call flows). */
    readonly timeoutBufferMs: MillisecondRange;
    /** <Say> length per character of its text (per loop). */
    readonly sayMsPerCharacter: number;
    /** <Play> length per loop (the audio is never fetched). */
    readonly playMs: MillisecondRange;
  };
  /** Answering machine detection: timing of the verdicts and how often they are wrong. */
  readonly amd: {
    /** A human's greeting; the human verdict comes MachineDetectionSpeechEndThreshold after it ends. */
    readonly humanGreetingMs: MillisecondRange;
    /** Pick-up to a `machine_start` (or `fax`) verdict. */
    readonly machineVerdictMs: MillisecondRange;
    /** Probability that a human is reported as a machine. */
    readonly humanAsMachine: number;
    /** Probability that a machine is reported as a human. */
    readonly machineAsHuman: number;
    /** Probability that any answer is reported `unknown` (after MachineDetectionSilenceTimeout). */
    readonly unknownRate: number;
    /** Probability that an answering machine is a fax (reported `fax`). */
    readonly faxRate: number;
    /** Under DetectMessageEnd, how machine messages end: relative weights of beep, silence and other. */
    readonly messageEnd: Readonly<Record<MessageEnd, number>>;
    /** When the `answered` callback goes under synchronous detection: at the verdict (carrying AnsweredBy) or at pick-up. */
    readonly answeredEvent: AnsweredEventMoment;
  };
  /** Probability that a status callback is sent a second time, identical. */
  readonly duplicateRate: number;
  /** Probability that a status callback is held back and sent after the next one of the same call or message. */
  readonly outOfOrderRate: number;
  /** Extra delay of a duplicate or held-back callback. */
  readonly lateMs: MillisecondRange;
  /** Delay before each callback is sent (webhook latency); one call's callbacks keep their order. */
  readonly callbackDelayMs: MillisecondRange;
  /** Probability that a callback's first attempt never reaches the receiver; it is retried once, `retryMs` later. */
  readonly lossRate: number;
  /** From a lost attempt to its one retry (Twilio's default retry count is 1). */
  readonly retryMs: MillisecondRange;
  /** Relative shares of the line types Lookup reports, each number drawn deterministically from the seed and the number. */
  readonly lineTypes: Readonly<Record<LineType, number>>;
  readonly messages: {
    readonly weights: Readonly<Record<MessageOutcome, number>>;
    readonly numbers: Readonly<Record<string, MessageNumberOverride>>;
    /** Creation to `sent` (or to `failed`). */
    readonly sentMs: MillisecondRange;
    /** `sent` to `delivered` (or `undelivered`). */
    readonly deliveredMs: MillisecondRange;
    /** ErrorCode reported when an override names none; `expired` for a text whose ValidityPeriod ran out in the queue. */
    readonly errorCodes: { readonly undelivered: number; readonly failed: number; readonly expired: number };
    /** Time a text waits in the carrier's queue before the `sentMs` leg; past its ValidityPeriod it fails instead. */
    readonly queueDelayMs: MillisecondRange;
    /** Token-bucket caps on Create Message, in texts per second; null is unlimited. */
    readonly maxPerSecondPerSender: number | null;
    readonly maxPerSecondPerAccount: number | null;
    /** Sender (From number, or MessagingServiceSid when no From) → its own cap, replacing maxPerSecondPerSender; null is unlimited. */
    readonly senderCaps: Readonly<Record<string, number | null>>;
    /** Probability that Create Message answers 500 (20500), as a transient Twilio failure. */
    readonly serverErrorRate: number;
    /** Twilio's automatic answers to STOP/START/HELP keywords on long codes, recorded as `outbound-reply` texts. */
    readonly autoReplies: boolean;
    /** Where POST /sim/inbound posts incoming texts when the request names no url. */
    readonly inboundUrl: string | null;
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
    detectionMs: null,
    greetingMs: { min: 6_000, max: 15_000 },
    talkMs: { human: null, machine: null },
    maxCallMs: 600_000,
    timeoutBufferMs: { min: 0, max: 0 },
    sayMsPerCharacter: 65,
    playMs: { min: 5_000, max: 5_000 },
  },
  amd: {
    humanGreetingMs: { min: 500, max: 1_500 },
    machineVerdictMs: { min: 3_500, max: 3_500 },
    humanAsMachine: 0,
    machineAsHuman: 0,
    unknownRate: 0,
    faxRate: 0,
    messageEnd: { beep: 1, silence: 0, other: 0 },
    answeredEvent: 'verdict',
  },
  duplicateRate: 0,
  outOfOrderRate: 0,
  lateMs: { min: 500, max: 2_000 },
  callbackDelayMs: { min: 0, max: 0 },
  lossRate: 0,
  retryMs: { min: 5_000, max: 5_000 },
  lineTypes: {
    landline: 0.25,
    mobile: 0.65,
    fixedVoip: 0.05,
    nonFixedVoip: 0.05,
    personal: 0,
    tollFree: 0,
    premium: 0,
    sharedCost: 0,
    uan: 0,
    voicemail: 0,
    pager: 0,
    unknown: 0,
  },
  messages: {
    weights: { delivered: 1, undelivered: 0, failed: 0 },
    numbers: {},
    sentMs: { min: 100, max: 500 },
    deliveredMs: { min: 500, max: 3_000 },
    errorCodes: { undelivered: 30003, failed: 30008, expired: 30036 },
    queueDelayMs: { min: 0, max: 0 },
    maxPerSecondPerSender: null,
    maxPerSecondPerAccount: null,
    senderCaps: {},
    serverErrorRate: 0,
    autoReplies: true,
    inboundUrl: null,
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
    Record<
      string,
      {
        readonly outcome?: CallOutcome;
        readonly ringMs?: MillisecondRangeInput;
        readonly talkMs?: MillisecondRangeInput | null;
        readonly answeredBy?: AnsweredBy;
        readonly greetingMs?: MillisecondRangeInput;
        readonly lineType?: LineType;
      }
    >
  >;
  readonly timings?: {
    readonly connectMs?: MillisecondRangeInput;
    readonly ringMs?: Partial<Record<RingingOutcome, MillisecondRangeInput>>;
    readonly detectionMs?: MillisecondRangeInput | null;
    readonly greetingMs?: MillisecondRangeInput;
    readonly talkMs?: { readonly human?: MillisecondRangeInput | null; readonly machine?: MillisecondRangeInput | null };
    readonly maxCallMs?: number;
    readonly timeoutBufferMs?: MillisecondRangeInput;
    readonly sayMsPerCharacter?: number;
    readonly playMs?: MillisecondRangeInput;
  };
  readonly amd?: {
    readonly humanGreetingMs?: MillisecondRangeInput;
    readonly machineVerdictMs?: MillisecondRangeInput;
    readonly humanAsMachine?: number;
    readonly machineAsHuman?: number;
    readonly unknownRate?: number;
    readonly faxRate?: number;
    readonly messageEnd?: Partial<Record<MessageEnd, number>>;
    readonly answeredEvent?: AnsweredEventMoment;
  };
  readonly duplicateRate?: number;
  readonly outOfOrderRate?: number;
  readonly lateMs?: MillisecondRangeInput;
  readonly callbackDelayMs?: MillisecondRangeInput;
  readonly lossRate?: number;
  readonly retryMs?: MillisecondRangeInput;
  /** When given, line types left out weigh 0. */
  readonly lineTypes?: Partial<Record<LineType, number>>;
  readonly messages?: {
    readonly weights?: Partial<Record<MessageOutcome, number>>;
    readonly numbers?: Readonly<Record<string, { readonly outcome?: MessageOutcome; readonly errorCode?: number; readonly createError?: number }>>;
    readonly sentMs?: MillisecondRangeInput;
    readonly deliveredMs?: MillisecondRangeInput;
    readonly errorCodes?: { readonly undelivered?: number; readonly failed?: number; readonly expired?: number };
    readonly queueDelayMs?: MillisecondRangeInput;
    readonly maxPerSecondPerSender?: number | null;
    readonly maxPerSecondPerAccount?: number | null;
    readonly senderCaps?: Readonly<Record<string, number | null>>;
    readonly serverErrorRate?: number;
    readonly autoReplies?: boolean;
    readonly inboundUrl?: string | null;
  };
}
