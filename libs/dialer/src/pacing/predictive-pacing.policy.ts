import { LearnedDistributions } from './learned-distributions';
import type { Instant, LineView, PacingDecision, PacingSnapshot, VolunteerView } from './pacing-snapshot';
import { standardNormalBelow } from './standard-normal.util';

/** Below these the pacer has not seen enough of the campaign to predict it, and dials power 1:1. */
export const COLD_START = { lineEnds: 100, humans: 15, conversations: 20, wrapUps: 20 } as const;
/** Calls kept waiting in the carrier's queue, in seconds of its rate: deeper only delays what the pacer can see. */
const QUEUE_AHEAD_SECONDS = 2;
/** Keeps the normal approximation honest when nearly everything is certain. */
const VARIANCE_FLOOR = 0.04;

/**
 * Predictive dialing. For each further dial it asks: if this call reaches a live human, what is the
 * chance that no volunteer is free for them? It answers from what the campaign taught it (how soon
 * lines still ringing turn human, how long conversations and wrap-ups last) and the present state
 * (who is ready, who is in wrap-up and for how long, which lines ring and for how long), and dials
 * while that chance stays under the abandonment controller's allowance.
 */
export function predictiveDecision(snapshot: PacingSnapshot, now: Instant): PacingDecision {
  const { settings, volunteers, lines, leads, statistics } = snapshot;
  const available = volunteers.filter((volunteer) => volunteer.state !== 'paused');
  const ready = available.filter((volunteer) => volunteer.state === 'ready').length;
  const learned = LearnedDistributions.of(statistics);
  const riskAllowance = allowance(snapshot);
  const leadsLeft = leads.approved + leads.automatic;
  const estimate = (expectedSpareVolunteers: number) => ({ humanRate: learned.humanRate, expectedSpareVolunteers, riskAllowance });
  if (available.length === 0) return decision(0, snapshot, 'no-volunteers', estimate(0));
  const powerFloor = Math.max(0, ready - lines.length);
  if (isColdStart(snapshot, learned) || riskAllowance <= 0) {
    const dials = Math.min(powerFloor, leadsLeft);
    return decision(dials, snapshot, dials < powerFloor ? 'no-leads' : 'cold-start', estimate(ready - lines.length));
  }

  const forecast = new CapacityForecast(now, available, lines, learned, settings.callsPerSecond);
  const lineCap = Math.floor(settings.maxLinesPerVolunteer * available.length) - lines.length;
  const queued = lines.filter((line) => line.state === 'queued').length;
  const queueCap = Math.max(1, Math.ceil(settings.callsPerSecond * QUEUE_AHEAD_SECONDS)) - queued;
  const limit = Math.min(lineCap, queueCap, leadsLeft);
  const placed: number[] = [];
  let dials = 0;
  let spare = forecast.spareAt(queued, placed);
  while (dials < limit && forecast.riskOfNextDial(queued + dials, placed) <= riskAllowance) {
    placed.push((queued + dials) / settings.callsPerSecond);
    dials += 1;
    spare = forecast.spareAt(queued + dials, placed);
  }
  dials = Math.max(dials, Math.min(powerFloor, leadsLeft));
  const basis = dials === 0 && leadsLeft === 0 ? 'no-leads' : 'predictive';
  return decision(dials, snapshot, basis, estimate(spare));
}

function isColdStart(snapshot: PacingSnapshot, learned: LearnedDistributions): boolean {
  const { observed } = snapshot.statistics;
  return (
    observed.lineEnds < COLD_START.lineEnds ||
    learned.humans < COLD_START.humans ||
    observed.conversations < COLD_START.conversations ||
    observed.wrapUps < COLD_START.wrapUps
  );
}

/**
 * The controller's allowance, held back by the campaign's 30-day record: it is judged on what the
 * record would read if the next live answer were abandoned, so a young campaign, where one abandoned
 * call moves the rate a lot, takes risk only once it has the answers to absorb one. At the target the
 * allowance is untouched; at the law's cap it is zero and the pacer dials power 1:1 until the record heals.
 */
function allowance(snapshot: PacingSnapshot): number {
  const { abandonment30Days: record, settings, statistics } = snapshot;
  const base = statistics.controller.riskAllowance;
  const projected = (record.abandoned + 1) / (record.liveAnswers + 1);
  if (projected <= settings.abandonRateTarget) return base;
  const headroom = (settings.abandonRateLimit - projected) / Math.max(1e-9, settings.abandonRateLimit - settings.abandonRateTarget);
  return base * Math.min(1, Math.max(0, headroom));
}

function decision(dials: number, snapshot: PacingSnapshot, basis: PacingDecision['basis'], estimate: PacingDecision['estimate']): PacingDecision {
  // Dials a clicker approved go first: a person is waiting on them, and each may be placed only once.
  const approved = Math.min(dials, snapshot.leads.approved);
  const automatic = Math.min(dials - approved, snapshot.leads.automatic);
  return { automatic, approved, volunteerInitiated: 0, basis, estimate };
}

interface Balance {
  /** Volunteers free by then, less humans expected to need one by then. */
  readonly mean: number;
  readonly variance: number;
}

/**
 * Expected free volunteers and expected humans at points in the near future, from now's picture. Lines
 * and volunteers are grouped by age on half-second steps first: a large bank has hundreds of lines but
 * only a few dozen distinct ages, and a tick asks about several moments.
 */
class CapacityForecast {
  private readonly balances = new Map<number, Balance>();
  private readonly ready: number;
  private readonly waiting: number;
  /** Picked up, detection still deciding: human or machine within a few seconds, whatever the horizon. */
  private readonly answered: number;
  /** Lines by age in seconds since the carrier started them; queued lines have the negative of their expected wait. */
  private readonly lineAges: AgeGroups;
  private readonly wrapUpAges: AgeGroups;
  private readonly talkAges: AgeGroups;

  constructor(
    now: Instant,
    available: readonly VolunteerView[],
    lines: readonly LineView[],
    private readonly learned: LearnedDistributions,
    private readonly callsPerSecond: number,
  ) {
    this.ready = available.filter((volunteer) => volunteer.state === 'ready').length;
    this.waiting = lines.filter((line) => line.state === 'human-waiting').length;
    this.answered = lines.filter((line) => line.state === 'answered').length;
    const ages: number[] = [];
    for (const line of lines) if (line.state === 'ringing' && line.startedAt !== null) ages.push((now - line.startedAt) / 1000);
    const queued = lines.filter((line) => line.state === 'queued' || (line.state === 'ringing' && line.startedAt === null));
    for (let position = 0; position < queued.length; position += 1) ages.push(-position / callsPerSecond);
    this.lineAges = AgeGroups.of(ages);
    this.wrapUpAges = AgeGroups.of(available.filter((volunteer) => volunteer.state === 'wrap-up').map((volunteer) => (now - volunteer.since) / 1000));
    this.talkAges = AgeGroups.of(available.filter((volunteer) => volunteer.state === 'talking').map((volunteer) => (now - volunteer.since) / 1000));
  }

  /** Chance that a dial placed now as the `position`-th in the carrier's queue finds no volunteer for its human. */
  riskOfNextDial(position: number, placedOffsets: readonly number[]): number {
    const startOffset = position / this.callsPerSecond;
    const quantiles = this.learned.humanDetectionQuantiles;
    let risk = 0;
    for (const detection of quantiles) {
      const { mean, variance } = this.withNewDials(startOffset + detection, placedOffsets);
      risk += standardNormalBelow((0.5 - mean) / Math.sqrt(variance + VARIANCE_FLOOR));
    }
    return risk / quantiles.length;
  }

  /** The balance at the median detection time of a dial placed next: the console's "spare volunteers". */
  spareAt(position: number, placedOffsets: readonly number[]): number {
    return this.withNewDials(position / this.callsPerSecond + this.learned.humanDetectionQuantiles[2], placedOffsets).mean;
  }

  private withNewDials(horizon: number, placedOffsets: readonly number[]): Balance {
    const base = this.balanceAt(horizon);
    let mean = base.mean;
    let variance = base.variance;
    for (const offset of placedOffsets) {
      const human = this.learned.humanDetectedBetween(0, horizon - offset);
      mean -= human;
      variance += human * (1 - human);
    }
    return { mean, variance };
  }

  /** Memoised on half seconds: the dials of one tick ask about nearly the same moments. */
  private balanceAt(horizonSeconds: number): Balance {
    const key = Math.round(horizonSeconds * 2) / 2;
    let balance = this.balances.get(key);
    if (balance === undefined) {
      balance = this.computeBalance(key);
      this.balances.set(key, balance);
    }
    return balance;
  }

  private computeBalance(horizon: number): Balance {
    let mean = this.ready - this.waiting;
    let variance = 0;
    const add = (chance: number, count: number, sign: 1 | -1) => {
      mean += sign * chance * count;
      variance += chance * (1 - chance) * count;
    };
    this.wrapUpAges.forEach((elapsed, count) => add(this.learned.wrapUpOverWithin(elapsed, horizon), count, 1));
    this.talkAges.forEach((elapsed, count) => add(this.learned.talkAndWrapUpOverWithin(elapsed, horizon), count, 1));
    this.lineAges.forEach((age, count) => add(this.learned.humanDetectedBetween(age, age + horizon), count, -1));
    if (this.answered > 0) add(this.learned.humanShareOfAnswers, this.answered, -1);
    return { mean, variance };
  }
}

/** Ages rounded to half seconds, with how many share each. */
class AgeGroups {
  private constructor(private readonly counts: ReadonlyMap<number, number>) {}

  static of(ages: readonly number[]): AgeGroups {
    const counts = new Map<number, number>();
    for (const age of ages) {
      const rounded = Math.round(age * 2) / 2;
      counts.set(rounded, (counts.get(rounded) ?? 0) + 1);
    }
    return new AgeGroups(counts);
  }

  forEach(visit: (age: number, count: number) => void): void {
    for (const [age, count] of this.counts) visit(age, count);
  }
}
