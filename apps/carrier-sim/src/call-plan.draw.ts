import type { CallOutcome, Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';

export type MachineDetection = 'Enable' | 'DetectMessageEnd';
export type AnsweredBy = 'human' | 'machine_start' | 'machine_end_beep';

/** How one call plays out once it leaves the queue, drawn in full at that moment. */
export interface CallPlan {
  readonly outcome: CallOutcome;
  /** Leaving the queue to `ringing` (or to `failed`). */
  readonly connectMs: number;
  /** `ringing` to pick-up, busy or no-answer; never longer than the call's Timeout. */
  readonly ringMs: number;
  /** Pick-up to the `answered` event; 0 without machine detection. */
  readonly detectionMs: number;
  /** null unless machine detection was asked for and someone picked up. */
  readonly answeredBy: AnsweredBy | null;
  /** `answered` to the voter's own hang-up; null waits for ours, up to maxCallMs. */
  readonly talkMs: number | null;
  readonly maxCallMs: number;
}

export interface CallToPlan {
  readonly to: string;
  readonly timeoutSeconds: number;
  readonly machineDetection: MachineDetection | null;
}

/** Every draw happens in the same order for every call, so one seed replays one run. */
export function drawCallPlan(scenario: Scenario, random: SeededRandom, call: CallToPlan): CallPlan {
  const override = scenario.numbers[call.to];
  const drawnOutcome = override?.outcome ?? random.weighted(scenario.weights);
  const { timings } = scenario;
  const connectMs = random.within(timings.connectMs);
  const timeoutMs = call.timeoutSeconds * 1000;
  const drawnRingMs = drawnOutcome === 'failed' ? 0 : random.within(override?.ringMs ?? timings.ringMs[drawnOutcome]);
  // Nobody picks up after the caller has stopped ringing: a long ring is a no-answer at Timeout.
  const outcome: CallOutcome = drawnOutcome !== 'failed' && drawnOutcome !== 'no-answer' && drawnRingMs >= timeoutMs ? 'no-answer' : drawnOutcome;
  const ringMs = Math.min(drawnRingMs, timeoutMs);
  const answered = outcome === 'human' || outcome === 'machine';
  const answeredBy = answered && call.machineDetection ? answeredByOf(outcome, call.machineDetection) : null;
  const detectionMs = answeredBy === null ? 0 : answeredBy === 'machine_end_beep' ? random.within(timings.greetingMs) : random.within(timings.detectionMs);
  const talkRange = override && override.talkMs !== undefined ? override.talkMs : answered ? timings.talkMs[outcome] : null;
  const talkMs = answered && talkRange ? random.within(talkRange) : null;
  return { outcome, connectMs, ringMs, detectionMs, answeredBy, talkMs, maxCallMs: timings.maxCallMs };
}

function answeredByOf(outcome: 'human' | 'machine', machineDetection: MachineDetection): AnsweredBy {
  if (outcome === 'human') return 'human';
  return machineDetection === 'DetectMessageEnd' ? 'machine_end_beep' : 'machine_start';
}
