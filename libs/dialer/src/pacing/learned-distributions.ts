import { LINE_END_BINS, LINE_OUTCOMES, TALK_BIN_SECONDS, TALK_BINS, WRAP_UP_BINS, type PacingStatistics } from './pacing-statistics';

/**
 * Cumulative tables derived from a campaign's histograms, the form the pacer asks its questions in.
 * Derived once per statistics value (they are immutable) and kept in a weak map, so a pacing tick that
 * reuses the campaign's statistics pays nothing.
 */
export class LearnedDistributions {
  /** Line ends strictly before each whole second of age: all outcomes, and humans. */
  private readonly endedBefore: Float64Array;
  private readonly humansBefore: Float64Array;
  private readonly machinesBefore: Float64Array;
  private readonly talkEndedBefore: Float64Array;
  private readonly wrapUpEndedBefore: Float64Array;
  readonly lineEnds: number;
  readonly humans: number;
  /** Seconds from the carrier starting a call to its human being detected, at the 10th, 30th, 50th, 70th and 90th percentiles. */
  readonly humanDetectionQuantiles: readonly number[];
  /** Wrap-up seconds at the 25th, 50th and 75th percentiles (three-point quadrature for talk plus wrap-up). */
  readonly wrapUpQuartiles: readonly number[];

  private constructor(statistics: PacingStatistics) {
    const all = new Float64Array(LINE_END_BINS);
    for (const outcome of LINE_OUTCOMES) statistics.lineEnds[outcome].forEach((count, bin) => (all[bin] += count));
    this.endedBefore = cumulative(all);
    this.humansBefore = cumulative(statistics.lineEnds.human);
    this.machinesBefore = cumulative(statistics.lineEnds.machine);
    this.talkEndedBefore = cumulative(statistics.talk);
    this.wrapUpEndedBefore = cumulative(statistics.wrapUp);
    this.lineEnds = this.endedBefore[LINE_END_BINS];
    this.humans = this.humansBefore[LINE_END_BINS];
    this.humanDetectionQuantiles = [0.1, 0.3, 0.5, 0.7, 0.9].map((share) => quantile(this.humansBefore, share));
    this.wrapUpQuartiles = [0.25, 0.5, 0.75].map((share) => quantile(this.wrapUpEndedBefore, share));
  }

  private static readonly derived = new WeakMap<PacingStatistics, LearnedDistributions>();

  static of(statistics: PacingStatistics): LearnedDistributions {
    let distributions = LearnedDistributions.derived.get(statistics);
    if (distributions === undefined) {
      distributions = new LearnedDistributions(statistics);
      LearnedDistributions.derived.set(statistics, distributions);
    }
    return distributions;
  }

  /** Share of started dials that reached a live human. */
  get humanRate(): number {
    return this.lineEnds > 0 ? this.humans / this.lineEnds : 0;
  }

  /** Share of picked-up lines that detection calls human (the rest are machines). */
  get humanShareOfAnswers(): number {
    const machines = this.machinesBefore[LINE_END_BINS];
    return this.humans + machines > 0 ? this.humans / (this.humans + machines) : 0;
  }

  /**
   * Chance that a line still unresolved at `fromSeconds` after its start turns out human and is
   * detected by `toSeconds`. A line older than any seen so far is treated like the oldest ones seen.
   */
  humanDetectedBetween(fromSeconds: number, toSeconds: number): number {
    if (toSeconds <= fromSeconds) return 0;
    const from = Math.max(0, fromSeconds);
    const unresolved = this.lineEnds - at(this.endedBefore, from);
    if (unresolved < 0.5) return 0;
    return Math.min(1, Math.max(0, (at(this.humansBefore, toSeconds) - at(this.humansBefore, from)) / unresolved));
  }

  /** Chance that a volunteer `elapsedSeconds` into wrap-up is ready within `withinSeconds`. */
  wrapUpOverWithin(elapsedSeconds: number, withinSeconds: number): number {
    return conditionalEnd(this.wrapUpEndedBefore, elapsedSeconds, elapsedSeconds + withinSeconds, 1);
  }

  /** Chance that a volunteer `elapsedSeconds` into a conversation has finished it and its wrap-up within `withinSeconds`. */
  talkAndWrapUpOverWithin(elapsedSeconds: number, withinSeconds: number): number {
    let chance = 0;
    for (const wrapUp of this.wrapUpQuartiles) {
      const talkLeft = withinSeconds - wrapUp;
      if (talkLeft > 0) chance += conditionalEnd(this.talkEndedBefore, elapsedSeconds / TALK_BIN_SECONDS, (elapsedSeconds + talkLeft) / TALK_BIN_SECONDS, 1);
    }
    return chance / this.wrapUpQuartiles.length;
  }

  get talkObservations(): number {
    return this.talkEndedBefore[TALK_BINS];
  }

  get wrapUpObservations(): number {
    return this.wrapUpEndedBefore[WRAP_UP_BINS];
  }
}

function cumulative(bins: ArrayLike<number>): Float64Array {
  const sums = new Float64Array(bins.length + 1);
  for (let bin = 0; bin < bins.length; bin += 1) sums[bin + 1] = sums[bin] + bins[bin];
  return sums;
}

/** The cumulative count at a fractional bin position, spreading each bin's count evenly across it. */
function at(sums: Float64Array, position: number): number {
  const last = sums.length - 1;
  if (position <= 0) return 0;
  if (position >= last) return sums[last];
  const whole = Math.floor(position);
  return sums[whole] + (sums[whole + 1] - sums[whole]) * (position - whole);
}

function quantile(sums: Float64Array, share: number): number {
  const total = sums[sums.length - 1];
  if (total <= 0) return 0;
  const wanted = total * share;
  for (let bin = 0; bin < sums.length - 1; bin += 1) {
    if (sums[bin + 1] >= wanted) {
      const inBin = sums[bin + 1] - sums[bin];
      return bin + (inBin > 0 ? (wanted - sums[bin]) / inBin : 0);
    }
  }
  return sums.length - 1;
}

/**
 * P(end < to | end ≥ from) from a cumulative histogram. Past everything observed there is no evidence
 * of an end at all, and the pacer then counts on none: it errs towards fewer dials, never more.
 */
function conditionalEnd(sums: Float64Array, from: number, to: number, minimumRemaining: number): number {
  const total = sums[sums.length - 1];
  const remaining = total - at(sums, from);
  if (remaining < minimumRemaining) return 0;
  return Math.min(1, Math.max(0, (at(sums, to) - at(sums, from)) / remaining));
}
