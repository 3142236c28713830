/**
 * What the pacer learns from a campaign's own calls. Plain numbers and arrays, so production can keep
 * it as JSON in Redis and the simulation can keep it in memory; every update returns a new value.
 *
 * Histograms count in one-second bins (talk time in five-second bins). When a histogram's total passes
 * its cap every bin is halved: old calls fade, so the estimates follow an answer rate that drifts
 * through the evening, while a small bank keeps every call it has seen.
 */
export interface PacingStatistics {
  /** Started dials by how they ended and how many seconds after the carrier started them the dialer knew. */
  readonly lineEnds: Readonly<Record<LineOutcome, readonly number[]>>;
  /** Conversations by length, TALK_BIN_SECONDS wide bins. */
  readonly talk: readonly number[];
  /** Wrap-ups by length, one-second bins. */
  readonly wrapUp: readonly number[];
  /** Each histogram's present total (after fading), kept so an update never has to add a histogram up. */
  readonly weights: { readonly lineEnds: number; readonly talk: number; readonly wrapUp: number };
  /** Every line end, conversation and wrap-up ever observed (not faded): the cold-start gate. */
  readonly observed: { readonly lineEnds: number; readonly conversations: number; readonly wrapUps: number };
  /** The abandonment controller's state. */
  readonly controller: AbandonmentControllerState;
}

export type LineOutcome = 'human' | 'machine' | 'no-answer' | 'failed';
export const LINE_OUTCOMES: readonly LineOutcome[] = ['human', 'machine', 'no-answer', 'failed'];

export interface AbandonmentControllerState {
  /**
   * The largest chance, per dial, that its human would find no volunteer which the pacer accepts.
   * Feedback moves it: down after an abandoned call, slowly up after each connected one.
   */
  readonly riskAllowance: number;
  /** Live answers and abandoned ones the dialer saw, since the campaign began. */
  readonly liveAnswers: number;
  readonly abandoned: number;
}

export type PacingObservation =
  | {
      readonly kind: 'line-ended';
      readonly outcome: LineOutcome;
      /** From the carrier starting the call to the dialer learning the outcome (for a human: detection said human). */
      readonly resolvedAfterMs: number;
    }
  /** A live human the dialer saw: bridged to a volunteer in time, or abandoned. */
  | { readonly kind: 'live-answer'; readonly abandoned: boolean }
  | { readonly kind: 'talk-ended'; readonly durationMs: number }
  | { readonly kind: 'wrap-up-ended'; readonly durationMs: number };

export const LINE_END_BINS = 61;
export const TALK_BIN_SECONDS = 5;
export const TALK_BINS = 241;
export const WRAP_UP_BINS = 301;
const LINE_END_CAP = 4_000;
const TALK_CAP = 600;
const WRAP_UP_CAP = 600;

/** Where the controller starts: a per-dial risk near the campaign's target. */
export const INITIAL_RISK_ALLOWANCE = 0.01;
export const MIN_RISK_ALLOWANCE = 0.005;
export const MAX_RISK_ALLOWANCE = 0.5;

export function emptyPacingStatistics(): PacingStatistics {
  const zeros = (length: number) => new Array<number>(length).fill(0);
  return {
    lineEnds: { human: zeros(LINE_END_BINS), machine: zeros(LINE_END_BINS), 'no-answer': zeros(LINE_END_BINS), failed: zeros(LINE_END_BINS) },
    talk: zeros(TALK_BINS),
    wrapUp: zeros(WRAP_UP_BINS),
    weights: { lineEnds: 0, talk: 0, wrapUp: 0 },
    observed: { lineEnds: 0, conversations: 0, wrapUps: 0 },
    controller: { riskAllowance: INITIAL_RISK_ALLOWANCE, liveAnswers: 0, abandoned: 0 },
  };
}

/** Steps of the controller, per live answer, so that the allowance settles where abandoned ÷ answers equals the target. */
export interface ControllerTuning {
  readonly abandonRateTarget: number;
  /** Multiplicative step after an abandoned call; each connected call moves it back by target ÷ (1 − target) of that. */
  readonly gain: number;
}

export const DEFAULT_CONTROLLER_TUNING: ControllerTuning = { abandonRateTarget: 0.025, gain: 0.25 };

export function observePacing(
  statistics: PacingStatistics,
  observation: PacingObservation,
  tuning: ControllerTuning = DEFAULT_CONTROLLER_TUNING,
): PacingStatistics {
  const { weights, observed } = statistics;
  switch (observation.kind) {
    case 'line-ended': {
      const bin = binOf(observation.resolvedAfterMs / 1000, LINE_END_BINS);
      const fade = weights.lineEnds + 1 > LINE_END_CAP;
      const lineEnds = { ...statistics.lineEnds };
      for (const outcome of LINE_OUTCOMES) {
        if (fade || outcome === observation.outcome) lineEnds[outcome] = updated(lineEnds[outcome], outcome === observation.outcome ? bin : -1, fade);
      }
      return {
        ...statistics,
        lineEnds,
        weights: { ...weights, lineEnds: fade ? (weights.lineEnds + 1) / 2 : weights.lineEnds + 1 },
        observed: { ...observed, lineEnds: observed.lineEnds + 1 },
      };
    }
    case 'talk-ended': {
      const fade = weights.talk + 1 > TALK_CAP;
      return {
        ...statistics,
        talk: updated(statistics.talk, binOf(observation.durationMs / 1000 / TALK_BIN_SECONDS, TALK_BINS), fade),
        weights: { ...weights, talk: fade ? (weights.talk + 1) / 2 : weights.talk + 1 },
        observed: { ...observed, conversations: observed.conversations + 1 },
      };
    }
    case 'wrap-up-ended': {
      const fade = weights.wrapUp + 1 > WRAP_UP_CAP;
      return {
        ...statistics,
        wrapUp: updated(statistics.wrapUp, binOf(observation.durationMs / 1000, WRAP_UP_BINS), fade),
        weights: { ...weights, wrapUp: fade ? (weights.wrapUp + 1) / 2 : weights.wrapUp + 1 },
        observed: { ...observed, wrapUps: observed.wrapUps + 1 },
      };
    }
    case 'live-answer':
      return { ...statistics, controller: nextControllerState(statistics.controller, observation.abandoned, tuning) };
  }
}

function nextControllerState(state: AbandonmentControllerState, abandoned: boolean, tuning: ControllerTuning): AbandonmentControllerState {
  const { abandonRateTarget: target, gain } = tuning;
  // Stochastic approximation: E[log step] is zero exactly when abandoned ÷ answers equals the target.
  const step = abandoned ? -gain : (gain * target) / (1 - target);
  const riskAllowance = Math.min(MAX_RISK_ALLOWANCE, Math.max(MIN_RISK_ALLOWANCE, state.riskAllowance * Math.exp(step)));
  return { riskAllowance, liveAnswers: state.liveAnswers + 1, abandoned: state.abandoned + (abandoned ? 1 : 0) };
}

function binOf(value: number, bins: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(bins - 1, Math.floor(value));
}

/** A copy with one more count in `bin` (none when -1), every bin halved when the histogram is full. */
function updated(bins: readonly number[], bin: number, fade: boolean): number[] {
  const next = bins.slice();
  if (bin >= 0) next[bin] += 1;
  if (fade) for (let index = 0; index < next.length; index += 1) next[index] /= 2;
  return next;
}
