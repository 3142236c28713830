import type { AnsweredBy, CallNumberOverride, CallOutcome, Scenario } from './scenario';
import type { MillisecondRange, SeededRandom } from './seeded-random';
import type { MachineDetection, MachineDetectionOptions } from './simulated-call';

export type { AnsweredBy } from './scenario';
export type { MachineDetection } from './simulated-call';

/** What really answered: a person, an answering machine or a fax. */
export type Callee = 'human' | 'machine' | 'fax';

/** How one call plays out once it leaves the queue, drawn in full at that moment. */
export interface CallPlan {
  readonly outcome: CallOutcome;
  /** Ground truth for an answered call; null otherwise. */
  readonly callee: Callee | null;
  /** Leaving the queue to `ringing` (or to `failed`). */
  readonly connectMs: number;
  /** `ringing` to pick-up, busy or no-answer; never longer than the call's Timeout plus the scenario's buffer. */
  readonly ringMs: number;
  /** Pick-up to the end of the callee's greeting (a human's hello, a machine's message up to the beep); null unanswered. */
  readonly greetingMs: number | null;
  /** Pick-up to the detection verdict; 0 without machine detection. */
  readonly detectionMs: number;
  /** null unless machine detection was asked for and someone picked up. */
  readonly answeredBy: AnsweredBy | null;
  /** From when the line goes live for the callee to its own hang-up; null waits for ours, up to maxCallMs. */
  readonly talkMs: number | null;
  readonly maxCallMs: number;
}

export interface CallToPlan {
  readonly to: string;
  readonly timeoutSeconds: number;
  readonly machineDetection: MachineDetection | null;
  /** Twilio's defaults when left out. */
  readonly machineDetectionOptions?: Pick<MachineDetectionOptions, 'timeoutSeconds' | 'speechThresholdMs' | 'speechEndThresholdMs' | 'silenceTimeoutMs'>;
}

const TWILIO_DETECTION_DEFAULTS = { timeoutSeconds: 30, speechThresholdMs: 2400, speechEndThresholdMs: 1200, silenceTimeoutMs: 5000 };

/** Every draw happens in the same order for every call, so one seed replays one run. */
export function drawCallPlan(scenario: Scenario, random: SeededRandom, call: CallToPlan): CallPlan {
  const override = scenario.numbers[call.to];
  const drawnOutcome = override?.outcome ?? random.weighted(scenario.weights);
  const { timings } = scenario;
  const connectMs = random.within(timings.connectMs);
  const ringLimitMs = call.timeoutSeconds * 1000 + random.within(timings.timeoutBufferMs);
  const drawnRingMs = drawnOutcome === 'failed' ? 0 : random.within(override?.ringMs ?? timings.ringMs[drawnOutcome]);
  // Nobody picks up after the caller has stopped ringing: a long ring is a no-answer at Timeout.
  const outcome: CallOutcome = drawnOutcome !== 'failed' && drawnOutcome !== 'no-answer' && drawnRingMs >= ringLimitMs ? 'no-answer' : drawnOutcome;
  const ringMs = Math.min(drawnRingMs, ringLimitMs);
  if (outcome !== 'human' && outcome !== 'machine') {
    return { outcome, callee: null, connectMs, ringMs, greetingMs: null, detectionMs: 0, answeredBy: null, talkMs: null, maxCallMs: timings.maxCallMs };
  }
  const callee: Callee = outcome === 'machine' && random.chance(scenario.amd.faxRate) ? 'fax' : outcome;
  let greetingMs = random.within(override?.greetingMs ?? (outcome === 'human' ? scenario.amd.humanGreetingMs : timings.greetingMs));
  const verdict = call.machineDetection
    ? drawVerdict(scenario, random, {
        callee,
        greetingMs,
        mode: call.machineDetection,
        options: { ...TWILIO_DETECTION_DEFAULTS, ...call.machineDetectionOptions },
        override,
      })
    : null;
  // An older scenario's fixed detection time can come before a drawn greeting would end; the greeting is cut to fit.
  if (verdict && timings.detectionMs !== null && callee === 'human') {
    greetingMs = Math.min(greetingMs, Math.max(0, verdict.detectionMs - (call.machineDetectionOptions?.speechEndThresholdMs ?? 1200)));
  }
  const talkRange = override && override.talkMs !== undefined ? override.talkMs : timings.talkMs[outcome];
  const talkMs = talkRange ? random.within(talkRange) : null;
  return {
    outcome,
    callee,
    connectMs,
    ringMs,
    greetingMs,
    detectionMs: verdict?.detectionMs ?? 0,
    answeredBy: verdict?.answeredBy ?? null,
    talkMs,
    maxCallMs: timings.maxCallMs,
  };
}

interface VerdictInput {
  readonly callee: Callee;
  readonly greetingMs: number;
  readonly mode: MachineDetection;
  readonly options: typeof TWILIO_DETECTION_DEFAULTS;
  readonly override: CallNumberOverride | undefined;
}

/**
 * Answering machine detection as Twilio describes its thresholds: a human is recognised once the
 * greeting has been followed by SpeechEndThreshold of silence, and a greeting longer than
 * SpeechThreshold is taken for a machine; machines are reported `machineVerdictMs` after pick-up
 * (under DetectMessageEnd, at the end of their message); initial silence gives `unknown` after
 * SilenceTimeout, and nothing is ever later than MachineDetectionTimeout. Wrong verdicts are
 * drawn at the scenario's rates and take the timing of the verdict they give.
 */
function drawVerdict(scenario: Scenario, random: SeededRandom, input: VerdictInput): { answeredBy: AnsweredBy; detectionMs: number } {
  const { amd, timings } = scenario;
  const { options, mode, greetingMs } = input;
  const machineAnswer = (): AnsweredBy => (mode === 'Enable' ? 'machine_start' : (`machine_end_${random.weighted(amd.messageEnd)}` as AnsweredBy));
  let answeredBy: AnsweredBy;
  if (input.override?.answeredBy !== undefined) answeredBy = input.override.answeredBy;
  else if (random.chance(amd.unknownRate)) answeredBy = 'unknown';
  else if (input.callee === 'fax') answeredBy = 'fax';
  else if (input.callee === 'human') {
    const misread = greetingMs > options.speechThresholdMs || random.chance(amd.humanAsMachine);
    answeredBy = misread ? (mode === 'Enable' ? 'machine_start' : 'machine_end_silence') : 'human';
  } else answeredBy = random.chance(amd.machineAsHuman) ? 'human' : machineAnswer();

  const within = (range: MillisecondRange): number => random.within(range);
  let detectionMs: number;
  if (timings.detectionMs !== null && !answeredBy.startsWith('machine_end')) detectionMs = within(timings.detectionMs);
  else if (timings.detectionMs !== null) detectionMs = greetingMs;
  else if (answeredBy === 'human') {
    // A machine taken for a human had a short message: time it as a human's greeting.
    const heard = input.callee === 'human' ? greetingMs : within(amd.humanGreetingMs);
    detectionMs = heard + options.speechEndThresholdMs;
  } else if (answeredBy === 'machine_start' || answeredBy === 'fax') detectionMs = within(amd.machineVerdictMs);
  else if (answeredBy === 'machine_end_silence') detectionMs = greetingMs + options.speechEndThresholdMs;
  else if (answeredBy === 'unknown') detectionMs = options.silenceTimeoutMs;
  else detectionMs = greetingMs;

  const timeoutMs = options.timeoutSeconds * 1000;
  if (detectionMs > timeoutMs) return { answeredBy: 'unknown', detectionMs: timeoutMs };
  return { answeredBy, detectionMs };
}
