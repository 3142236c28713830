import { Heap } from 'heap-js';
import type { AbandonmentRecord, LineState, LineView, PacingSettings, PacingSnapshot, VolunteerState, VolunteerView } from '../pacing/pacing-snapshot';
import { DEFAULT_CONTROLLER_TUNING, emptyPacingStatistics, observePacing } from '../pacing/pacing-statistics';
import type { ControllerTuning, LineOutcome, PacingObservation, PacingStatistics } from '../pacing/pacing-statistics';
import { LeadBook, type DialSource, type Lead } from './lead-book';
import { LogNormalDistribution } from './log-normal-distribution';
import { oracleBound } from './oracle-bound.util';
import type { PacingPolicy } from './pacing-policy';
import { PolicyContractError } from './policy-contract.error';
import { RandomStream, RandomStreamName } from './random-stream';
import type { SimulationParameters } from './simulation-parameters';
import type { ShiftResult, SimulationResult } from './simulation-result';

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The law's clock: a live human must reach a volunteer within 2 s of the end of their greeting. */
const CONNECT_WITHIN_MS = 2000;
/** The shortest ring before giving up on an unanswered call (TSR safe harbor). */
const MINIMUM_RING_MS = 15_000;

const EventKind = {
  LineStarted: 0,
  LineAnswered: 1,
  LineVerdict: 2,
  LineUnanswered: 3,
  HoldDeadline: 4,
  DialerSees: 5,
  TalkEnded: 6,
  WrapUpEnded: 7,
  MisroutedMachineEnded: 8,
  Tick: 9,
  Decision: 10,
  Click: 11,
  Login: 12,
  BreakStarts: 13,
  BreakEnds: 14,
  Logout: 15,
} as const;
type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** A callback that takes the line out of the dialer's view (it ended). */
const DROP_FROM_VIEW = null;

interface SimulationEvent {
  readonly time: number;
  readonly sequence: number;
  readonly kind: EventKind;
  readonly line: Line | null;
  readonly volunteer: Volunteer | null;
  /** BreakStarts: the break's length in ms. */
  readonly detail: number;
  /** DialerSees: the line's new state in the dialer's view, or DROP_FROM_VIEW. */
  readonly view: LineState | null;
  /** DialerSees: the outcome the dialer learns with this callback, if any. */
  readonly outcome: LineOutcome | null;
}

type TrueOutcome = 'human' | 'machine' | 'no-answer' | 'failed';
type LinePhase = 'queued' | 'ringing' | 'answered' | 'waiting' | 'bridged' | 'ended';

interface Line {
  readonly serial: number;
  readonly id: string;
  readonly lead: Lead;
  readonly source: DialSource;
  readonly placedAt: number;
  readonly startedAt: number;
  phase: LinePhase;
  outcome: TrueOutcome;
  answeredAt: number;
  greetingEndsAt: number;
  /** What answering-machine detection will say; null until answer. */
  verdict: 'human' | 'machine' | null;
  /** Detection has given its verdict (the carrier knows; the dialer may hear of it later). */
  verdictGiven: boolean;
  holdDeadline: number;
  /** The dialer removed it from its own view (bridged, abandoned): late callbacks no longer change the view. */
  viewClosed: boolean;
  /** When the dialer last heard about this line: callbacks arrive in order even when each is delayed. */
  lastSeenAt: number;
  verdictSeen: boolean;
  volunteer: Volunteer | null;
  settled: 'bridged' | 'abandoned' | null;
  liveAnswerObserved: boolean;
  groundTruthSettled: boolean;
}

type TrueVolunteerState = VolunteerState | 'logged-out';

interface Volunteer {
  readonly index: number;
  readonly id: string;
  readonly stream: RandomStream;
  state: TrueVolunteerState;
  since: number;
  view: VolunteerView | null;
  pendingBreakMs: number;
  pendingLogout: boolean;
  /** Start of the conversation being talked or wrapped up, -1 otherwise (utilization counts talk + wrap-up). */
  busyFrom: number;
  /** Start of the current logged-in, non-paused stretch, -1 otherwise. */
  availableFrom: number;
}

interface ShiftTally {
  liveAnswers: number;
  abandoned: number;
  observedLiveAnswers: number;
  observedAbandoned: number;
  conversations: number;
}

/**
 * Runs one phone bank in virtual time (§5.3 of the dialer-pacing reference) against a pacing policy and
 * returns the §5.4 metrics. Deterministic for a seed; never reads a clock.
 */
export function simulatePhoneBank(parameters: SimulationParameters, policy: PacingPolicy): SimulationResult {
  return new PhoneBankSimulation(parameters, policy).run();
}

class PhoneBankSimulation {
  private readonly heap = new Heap<SimulationEvent>((a, b) => a.time - b.time || a.sequence - b.sequence);
  private readonly settings: PacingSettings;
  private readonly tuning: ControllerTuning;
  private readonly leads: LeadBook;
  private readonly carrierStream: RandomStream;
  private readonly clickerStream: RandomStream;
  private readonly scheduleStream: RandomStream;
  private readonly volunteers: Volunteer[];
  private readonly talk: LogNormalDistribution;
  private readonly wrapUp: LogNormalDistribution;
  private readonly webhookDelay: LogNormalDistribution | null;
  private readonly carrierSlotMs: number;
  private readonly ringTimeoutMs: number;
  private readonly bridgeMs: number;
  private readonly lineViews = new Map<number, LineView>();
  private readonly holdQueue: Line[] = [];
  private readonly waits: number[] = [];

  private statistics: PacingStatistics = emptyPacingStatistics();
  private abandonment30Days: AbandonmentRecord = { liveAnswers: 0, abandoned: 0 };
  private sequence = 0;
  private lineSerial = 0;
  private nextCarrierSlot = 0;
  private lastDecisionAt = -Infinity;
  private decisionWanted = false;
  private decisionScheduled = false;
  private unbridgedLines = 0;

  private shiftIndex = 0;
  private shiftStart = 0;
  private measuredFrom = 0;
  private shiftEnd = 0;
  private shiftTally: ShiftTally = newShiftTally();
  private readonly shiftResults: ShiftResult[] = [];

  private totalDials = 0;
  private measuredDials = 0;
  private conversations = 0;
  private liveAnswers = 0;
  private abandoned = 0;
  private humansHungUpAsMachines = 0;
  private wrongWindowDials = 0;
  private shortRings = 0;
  private automaticMobileDials = 0;
  private maxLinesInFlight = 0;
  private busyMs = 0;
  private availableMs = 0;
  private decisions = 0;
  private events = 0;
  private readonly outcomeCounts = { human: 0, machine: 0, noAnswer: 0, failed: 0 };

  constructor(
    private readonly parameters: SimulationParameters,
    private readonly policy: PacingPolicy,
  ) {
    validateParameters(parameters);
    const { seed, settings } = parameters;
    this.settings = {
      mode: parameters.mode,
      powerLinesPerVolunteer: settings.powerLinesPerVolunteer,
      callsPerSecond: parameters.callsPerSecond,
      maxLinesPerVolunteer: settings.maxLinesPerVolunteer,
      abandonRateLimit: settings.abandonRateLimit,
      abandonRateTarget: settings.abandonRateTarget,
    };
    this.tuning = { ...DEFAULT_CONTROLLER_TUNING, abandonRateTarget: settings.abandonRateTarget };
    const firstZoneOffsetHours = parameters.leads.zones[0]?.utcOffsetHours ?? 0;
    this.leads = new LeadBook(parameters, new RandomStream(seed, RandomStreamName.Leads), (parameters.shiftStartLocalHour - firstZoneOffsetHours) * HOUR_MS);
    this.carrierStream = new RandomStream(seed, RandomStreamName.Carrier);
    this.clickerStream = new RandomStream(seed, RandomStreamName.Clickers);
    this.scheduleStream = new RandomStream(seed, RandomStreamName.Schedule);
    this.volunteers = Array.from({ length: parameters.volunteers }, (_, index) => ({
      index,
      id: `volunteer-${index + 1}`,
      stream: new RandomStream(seed, RandomStreamName.FirstVolunteer + index),
      state: 'logged-out' as TrueVolunteerState,
      since: 0,
      view: null,
      pendingBreakMs: 0,
      pendingLogout: false,
      busyFrom: -1,
      availableFrom: -1,
    }));
    this.talk = new LogNormalDistribution(parameters.talk.mean, parameters.talk.sd);
    this.wrapUp = new LogNormalDistribution(parameters.wrapUp.mean, parameters.wrapUp.sd);
    const webhook = parameters.webhook;
    this.webhookDelay = webhook ? LogNormalDistribution.fromMedianAndPercentile99(webhook.medianSeconds, webhook.p99Seconds) : null;
    this.carrierSlotMs = SECOND_MS / parameters.callsPerSecond;
    this.ringTimeoutMs = parameters.ringTimeoutSeconds * SECOND_MS;
    this.bridgeMs = parameters.bridgeSeconds * SECOND_MS;
  }

  run(): SimulationResult {
    for (let shift = 0; shift < this.parameters.shifts; shift += 1) this.runShift(shift);
    const bound = oracleBound(this.parameters).bound;
    const volunteerHours = this.availableMs / HOUR_MS;
    const conversationsPerVolunteerHour = volunteerHours > 0 ? this.conversations / volunteerHours : 0;
    const sortedWaits = Float64Array.from(this.waits).sort();
    const observed = this.abandonment30Days;
    return {
      conversationsPerVolunteerHour,
      utilization: this.availableMs > 0 ? this.busyMs / this.availableMs : 0,
      abandonRate: ratio(this.abandoned, this.liveAnswers),
      observedAbandonRate: ratio(observed.abandoned, observed.liveAnswers),
      dials: this.measuredDials,
      conversations: this.conversations,
      liveAnswers: this.liveAnswers,
      abandoned: this.abandoned,
      humansHungUpAsMachines: this.humansHungUpAsMachines,
      observedLiveAnswers: observed.liveAnswers,
      observedAbandoned: observed.abandoned,
      wrongWindowDials: this.wrongWindowDials,
      shortRings: this.shortRings,
      automaticMobileDials: this.automaticMobileDials,
      dialsPerConversation: this.conversations > 0 ? this.measuredDials / this.conversations : Infinity,
      meanWaitBetweenCallsSeconds: sortedWaits.length > 0 ? sortedWaits.reduce((sum, wait) => sum + wait, 0) / sortedWaits.length : 0,
      p90WaitBetweenCallsSeconds: sortedWaits.length > 0 ? sortedWaits[Math.ceil(0.9 * sortedWaits.length) - 1] : 0,
      maxLinesInFlight: this.maxLinesInFlight,
      oracleBound: bound,
      ratioToOracle: bound > 0 ? conversationsPerVolunteerHour / bound : 0,
      volunteerHours,
      outcomes: { ...this.outcomeCounts },
      totalDials: this.totalDials,
      decisions: this.decisions,
      events: this.events,
      shifts: this.shiftResults,
    };
  }

  // ── the kernel ────────────────────────────────────────────────────────────────────────────────

  private runShift(shift: number): void {
    this.shiftIndex = shift;
    this.shiftStart = shift * DAY_MS;
    this.measuredFrom = this.shiftStart + this.parameters.warmUpMinutes * 60_000;
    this.shiftEnd = this.measuredFrom + this.parameters.hours * HOUR_MS;
    this.shiftTally = newShiftTally();
    this.nextCarrierSlot = this.shiftStart;
    this.lastDecisionAt = -Infinity;
    this.decisionWanted = false;
    this.decisionScheduled = false;
    this.scheduleVolunteers();
    this.schedule(this.shiftStart, EventKind.Tick, null, null);
    if (this.parameters.clickers) this.schedule(this.shiftStart + this.nextClickGapMs(), EventKind.Click, null, null);

    const heap = this.heap;
    for (let event = heap.peek(); event !== undefined && event.time < this.shiftEnd; event = heap.peek()) {
      heap.pop();
      this.events += 1;
      this.handle(event);
      // Events at one instant settle together before the pacer looks, as production would batch them.
      if (this.decisionWanted) {
        const next = heap.peek();
        if (next === undefined || next.time > event.time) this.decideWhenAllowed(event.time);
      }
    }
    this.closeShift();
  }

  private handle(event: SimulationEvent): void {
    const now = event.time;
    const line = event.line as Line;
    const volunteer = event.volunteer as Volunteer;
    switch (event.kind) {
      case EventKind.LineStarted:
        return this.onLineStarted(line, now);
      case EventKind.LineAnswered:
        return this.onLineAnswered(line, now);
      case EventKind.LineVerdict:
        return this.onLineVerdict(line, now);
      case EventKind.LineUnanswered:
        return this.onLineUnanswered(line, now);
      case EventKind.HoldDeadline:
        return this.onHoldDeadline(line, now);
      case EventKind.DialerSees:
        return this.dialerSees(line, now, event.view, event.outcome);
      case EventKind.TalkEnded:
        return this.onTalkEnded(line, volunteer, now);
      case EventKind.WrapUpEnded:
        return this.onWrapUpEnded(volunteer, now);
      case EventKind.MisroutedMachineEnded:
        return this.becomeAvailable(volunteer, now);
      case EventKind.Tick:
        this.decisionWanted = true;
        this.schedule(now + this.parameters.tickMs, EventKind.Tick, null, null);
        return;
      case EventKind.Decision:
        this.decisionScheduled = false;
        this.decisionWanted = true;
        return;
      case EventKind.Click:
        return this.onClick(now);
      case EventKind.Login:
        return this.onLogin(volunteer, now);
      case EventKind.BreakStarts:
        return this.onBreakStarts(volunteer, now, event.detail);
      case EventKind.BreakEnds:
        if (volunteer.state === 'paused') this.makeReady(volunteer, now, true);
        return;
      case EventKind.Logout:
        return this.onLogout(volunteer, now);
    }
  }

  private schedule(
    time: number,
    kind: EventKind,
    line: Line | null,
    volunteer: Volunteer | null,
    detail = 0,
    view: LineState | null = null,
    outcome: LineOutcome | null = null,
  ): void {
    this.heap.push({ time, sequence: this.sequence++, kind, line, volunteer, detail, view, outcome });
  }

  // ── decisions ─────────────────────────────────────────────────────────────────────────────────

  /** A line resolved or a volunteer's availability changed: the pacer should look again (unless it only runs on ticks). */
  private pictureChanged(): void {
    if (this.parameters.decideOnEvents) this.decisionWanted = true;
  }

  /** At most one decision per debounce interval: a request inside it waits for the interval's end. */
  private decideWhenAllowed(now: number): void {
    this.decisionWanted = false;
    const allowedAt = this.lastDecisionAt + this.parameters.decisionDebounceMs;
    if (now >= allowedAt) {
      this.decide(now);
    } else if (!this.decisionScheduled) {
      this.decisionScheduled = true;
      this.schedule(allowedAt, EventKind.Decision, null, null);
    }
  }

  private decide(now: number): void {
    this.lastDecisionAt = now;
    this.decisions += 1;
    const leads = this.leads.offered(Math.max(now, this.nextCarrierSlot));
    const volunteers: VolunteerView[] = [];
    for (const volunteer of this.volunteers) if (volunteer.view) volunteers.push(volunteer.view);
    const snapshot: PacingSnapshot = {
      settings: this.settings,
      volunteers,
      lines: Array.from(this.lineViews.values()),
      leads,
      statistics: this.statistics,
      abandonment30Days: this.abandonment30Days,
    };
    const decision = this.policy(snapshot, now);
    const { automatic, approved, volunteerInitiated } = decision;
    for (const [name, count] of [
      ['automatic', automatic],
      ['approved', approved],
      ['volunteerInitiated', volunteerInitiated],
    ] as const) {
      if (!Number.isInteger(count) || count < 0)
        throw new PolicyContractError(`the policy asked for ${String(count)} ${name} dials at ${now} ms: not a whole number ≥ 0`);
    }
    if (automatic > leads.automatic || approved > leads.approved || automatic + volunteerInitiated > leads.automatic + leads.manualOnly) {
      throw new PolicyContractError(
        `the policy asked for ${automatic} automatic, ${approved} approved, ${volunteerInitiated} volunteer-initiated dials at ${now} ms; ` +
          `the snapshot offered ${leads.automatic} automatic, ${leads.approved} approved, ${leads.manualOnly} manual-only leads`,
      );
    }
    for (let dial = 0; dial < approved && this.place(now, 'approved'); dial += 1);
    for (let dial = 0; dial < automatic && this.place(now, 'automatic'); dial += 1);
    for (let dial = 0; dial < volunteerInitiated && this.place(now, 'volunteer-initiated'); dial += 1);
  }

  /** Hands one dial to the carrier's calls-per-second queue; false when no lead fits (a window closed during the burst). */
  private place(now: number, source: DialSource): boolean {
    const startAt = Math.max(now, this.nextCarrierSlot);
    const lead = this.leads.take(source, startAt);
    if (!lead) return false;
    this.nextCarrierSlot = startAt + this.carrierSlotMs;
    const line: Line = {
      serial: this.lineSerial,
      id: `line-${this.lineSerial}`,
      lead,
      source,
      placedAt: now,
      startedAt: startAt,
      phase: 'queued',
      outcome: 'no-answer',
      answeredAt: -1,
      greetingEndsAt: -1,
      verdict: null,
      verdictGiven: false,
      holdDeadline: -1,
      viewClosed: false,
      lastSeenAt: now,
      verdictSeen: false,
      volunteer: null,
      settled: null,
      liveAnswerObserved: false,
      groundTruthSettled: false,
    };
    this.lineSerial += 1;
    this.totalDials += 1;
    if (now >= this.measuredFrom) this.measuredDials += 1;
    // Checked on what was dialed, whatever the lead selection believed.
    if (source === 'automatic' && lead.lineType !== 'landline' && !lead.consented) this.automaticMobileDials += 1;
    this.unbridgedLines += 1;
    if (this.unbridgedLines > this.maxLinesInFlight) this.maxLinesInFlight = this.unbridgedLines;
    this.lineViews.set(line.serial, { id: line.id, state: 'queued', placedAt: now, startedAt: null });
    this.schedule(startAt, EventKind.LineStarted, line, null);
    return true;
  }

  // ── the carrier ───────────────────────────────────────────────────────────────────────────────

  private onLineStarted(line: Line, now: number): void {
    line.phase = 'ringing';
    if (!this.leads.isInsideWindow(line.lead, now)) this.wrongWindowDials += 1;
    const outcome = this.outcomeOf(line.lead.outcomeDraw, now);
    this.carrierUpdate(line, now, 'ringing', null);
    const lead = line.lead;
    if (outcome === 'human') {
      line.outcome = 'human';
      this.schedule(now + lead.humanRingMs, EventKind.LineAnswered, line, null);
    } else if (outcome === 'machine' && lead.machineRingMs < this.ringTimeoutMs) {
      line.outcome = 'machine';
      this.schedule(now + lead.machineRingMs, EventKind.LineAnswered, line, null);
    } else if (outcome === 'failed') {
      line.outcome = 'failed';
      this.schedule(now + lead.failMs, EventKind.LineUnanswered, line, null);
    } else {
      // A machine that would pick up after the timeout is, to everyone, a no-answer.
      line.outcome = 'no-answer';
      this.schedule(now + this.ringTimeoutMs, EventKind.LineUnanswered, line, null);
    }
    if (line.outcome === 'human') this.outcomeCounts.human += 1;
    else if (line.outcome === 'machine') this.outcomeCounts.machine += 1;
    else if (line.outcome === 'failed') this.outcomeCounts.failed += 1;
    else this.outcomeCounts.noAnswer += 1;
  }

  private onLineUnanswered(line: Line, now: number): void {
    line.phase = 'ended';
    this.unbridgedLines -= 1;
    // The sim never cancels a ringing call; only a ring timeout under 15 s could end one this early.
    if (line.outcome === 'no-answer' && now - line.startedAt < MINIMUM_RING_MS) this.shortRings += 1;
    this.carrierUpdate(line, now, DROP_FROM_VIEW, line.outcome === 'failed' ? 'failed' : 'no-answer');
  }

  private onLineAnswered(line: Line, now: number): void {
    const { amd } = this.parameters;
    line.phase = 'answered';
    line.answeredAt = now;
    line.greetingEndsAt = now + line.lead.greetingMs;
    const misclassified = line.lead.detectionErrorDraw < (line.outcome === 'human' ? amd.humanMisclassified : amd.machineMisclassified);
    line.verdict = (line.outcome === 'human') !== misclassified ? 'human' : 'machine';
    // The verdict comes on the clock of the class the detector outputs.
    const verdictAt = line.verdict === 'human' ? line.greetingEndsAt + amd.humanEndSeconds * SECOND_MS : now + amd.machineSeconds * SECOND_MS;
    this.schedule(verdictAt, EventKind.LineVerdict, line, null);
    line.holdDeadline = line.greetingEndsAt + CONNECT_WITHIN_MS - this.bridgeMs;
    this.carrierUpdate(line, now, 'answered', null);
    if (amd.mode === 'async') {
      const volunteer = this.longestIdleReady();
      if (volunteer) this.bridge(volunteer, line, now);
      else this.enterHold(line);
    }
  }

  private onLineVerdict(line: Line, now: number): void {
    const verdict = line.verdict as 'human' | 'machine';
    line.verdictGiven = true;
    if (line.phase === 'ended') {
      // Async: the safe-harbor message already played; the dialer still learns what the line was.
      this.carrierUpdate(line, now, DROP_FROM_VIEW, verdict);
      return;
    }
    if (verdict === 'machine') {
      const volunteer = line.phase === 'bridged' ? line.volunteer : null;
      if (line.phase === 'waiting') this.leaveHold(line);
      if (line.phase !== 'bridged') this.unbridgedLines -= 1;
      line.phase = 'ended';
      // A live human classed as a machine is hung up on: abandoned, though the dialer never knows.
      if (line.outcome === 'human') {
        this.humansHungUpAsMachines += 1;
        this.settleGroundTruth(line, true, now);
      }
      this.carrierUpdate(line, now, DROP_FROM_VIEW, 'machine');
      if (volunteer) this.becomeAvailable(volunteer, now);
      return;
    }
    if (line.phase === 'bridged') {
      // Async: bridged at answer. A machine that passed for a human keeps its volunteer a few seconds more.
      this.carrierUpdate(line, now, DROP_FROM_VIEW, 'human');
      const volunteer = line.volunteer;
      if (line.outcome !== 'human' && volunteer)
        this.schedule(now + this.parameters.misroutedMachineSeconds * SECOND_MS, EventKind.MisroutedMachineEnded, null, volunteer);
      return;
    }
    this.carrierUpdate(line, now, 'human-waiting', 'human');
    if (line.phase === 'answered') {
      const volunteer = this.longestIdleReady();
      if (volunteer) this.bridge(volunteer, line, now);
      else this.enterHold(line);
    }
  }

  private enterHold(line: Line): void {
    line.phase = 'waiting';
    this.holdQueue.push(line);
    this.schedule(line.holdDeadline, EventKind.HoldDeadline, line, null);
  }

  private leaveHold(line: Line): void {
    const position = this.holdQueue.indexOf(line);
    if (position >= 0) this.holdQueue.splice(position, 1);
  }

  /** Nobody took it within 2 s of the greeting: the safe-harbor message plays (about 8 s of line, no volunteer). */
  private onHoldDeadline(line: Line, now: number): void {
    if (line.phase !== 'waiting') return;
    this.leaveHold(line);
    this.unbridgedLines -= 1;
    line.phase = 'ended';
    this.closeLineView(line);
    if (line.outcome === 'human') this.settleGroundTruth(line, true, now);
    line.settled = 'abandoned';
    this.observeLiveAnswerIfKnown(line);
    this.pictureChanged();
  }

  private bridge(volunteer: Volunteer, line: Line, now: number): void {
    if (line.phase === 'waiting') this.leaveHold(line);
    this.unbridgedLines -= 1;
    line.phase = 'bridged';
    this.closeLineView(line);
    const connectedAt = now + this.bridgeMs;
    if (now >= this.measuredFrom) this.waits.push((connectedAt - volunteer.since) / SECOND_MS);
    this.setVolunteerState(volunteer, 'talking', now);
    line.volunteer = volunteer;
    if (line.outcome === 'human' && line.verdict === 'human') {
      this.settleGroundTruth(line, false, connectedAt);
      volunteer.busyFrom = connectedAt;
      this.schedule(connectedAt + volunteer.stream.logNormal(this.talk) * SECOND_MS, EventKind.TalkEnded, line, volunteer);
    } else if (line.outcome !== 'human' && line.verdictGiven) {
      // A machine that passed for a human: the volunteer hears it, hangs up and is ready again.
      this.schedule(connectedAt + this.parameters.misroutedMachineSeconds * SECOND_MS, EventKind.MisroutedMachineEnded, line, volunteer);
    }
    // Otherwise (async, before the verdict) the verdict decides when the volunteer is free again.
    line.settled = 'bridged';
    this.observeLiveAnswerIfKnown(line);
  }

  private outcomeOf(draw: number, now: number): TrueOutcome {
    const { outcomes } = this.parameters;
    const human = this.humanRate(now);
    if (draw < human) return 'human';
    if (draw < human + outcomes.machine) return 'machine';
    if (draw < human + outcomes.machine + outcomes.failed) return 'failed';
    return 'no-answer';
  }

  private humanRate(now: number): number {
    const { outcomes, drift, hotShift } = this.parameters;
    let multiplier = 1;
    if (drift) {
      const progress = (now - this.shiftStart) / (this.shiftEnd - this.shiftStart);
      multiplier = drift.shape === 'ramp' ? drift.from + (drift.to - drift.from) * progress : progress < 0.5 ? drift.from : drift.to;
    }
    if (hotShift && hotShift.shiftIndex === this.shiftIndex) multiplier *= hotShift.humanRateMultiplier;
    return Math.min(Math.max(0, outcomes.human * multiplier), 1 - outcomes.machine - outcomes.failed);
  }

  // ── what the dialer sees ──────────────────────────────────────────────────────────────────────

  /** A status callback from the carrier: immediate, or late (and now and then lost and retried) under webhook latency. */
  private carrierUpdate(line: Line, now: number, state: LineState | null, outcome: LineOutcome | null): void {
    const webhook = this.parameters.webhook;
    if (!webhook || !this.webhookDelay) {
      this.dialerSees(line, now, state, outcome);
      return;
    }
    let delayMs = this.carrierStream.logNormal(this.webhookDelay) * SECOND_MS;
    if (this.carrierStream.fraction() < webhook.lostCallbackRate) delayMs += webhook.retrySeconds * SECOND_MS;
    const seenAt = Math.max(line.lastSeenAt, now + delayMs);
    line.lastSeenAt = seenAt;
    this.schedule(seenAt, EventKind.DialerSees, line, null, 0, state, outcome);
  }

  private dialerSees(line: Line, now: number, state: LineState | null, outcome: LineOutcome | null): void {
    if (!line.viewClosed) {
      if (state === DROP_FROM_VIEW) this.closeLineView(line);
      else this.lineViews.set(line.serial, { id: line.id, state, placedAt: line.placedAt, startedAt: line.startedAt });
    }
    if (outcome === null) return;
    this.observe({ kind: 'line-ended', outcome, resolvedAfterMs: now - line.startedAt });
    this.pictureChanged();
    if (outcome === 'human') {
      line.verdictSeen = true;
      this.observeLiveAnswerIfKnown(line);
    }
  }

  /** The dialer counts a live answer once it knows both that detection said human and whether a volunteer took it. */
  private observeLiveAnswerIfKnown(line: Line): void {
    if (!line.verdictSeen || line.settled === null || line.liveAnswerObserved) return;
    line.liveAnswerObserved = true;
    const abandoned = line.settled === 'abandoned';
    this.observe({ kind: 'live-answer', abandoned });
    this.abandonment30Days = {
      liveAnswers: this.abandonment30Days.liveAnswers + 1,
      abandoned: this.abandonment30Days.abandoned + (abandoned ? 1 : 0),
    };
    this.shiftTally.observedLiveAnswers += 1;
    if (abandoned) this.shiftTally.observedAbandoned += 1;
  }

  private closeLineView(line: Line): void {
    line.viewClosed = true;
    this.lineViews.delete(line.serial);
  }

  private observe(observation: PacingObservation): void {
    this.statistics = observePacing(this.statistics, observation, this.tuning);
  }

  private settleGroundTruth(line: Line, abandoned: boolean, at: number): void {
    if (line.groundTruthSettled) return;
    line.groundTruthSettled = true;
    this.liveAnswers += 1;
    this.shiftTally.liveAnswers += 1;
    if (abandoned) {
      this.abandoned += 1;
      this.shiftTally.abandoned += 1;
    } else if (at >= this.measuredFrom && at < this.shiftEnd) {
      this.conversations += 1;
      this.shiftTally.conversations += 1;
    }
  }

  // ── volunteers ────────────────────────────────────────────────────────────────────────────────

  private onTalkEnded(line: Line, volunteer: Volunteer, now: number): void {
    line.phase = 'ended';
    this.observe({ kind: 'talk-ended', durationMs: now - volunteer.since });
    this.setVolunteerState(volunteer, 'wrap-up', now);
    this.schedule(now + volunteer.stream.logNormal(this.wrapUp) * SECOND_MS, EventKind.WrapUpEnded, null, volunteer);
    this.pictureChanged();
  }

  private onWrapUpEnded(volunteer: Volunteer, now: number): void {
    this.observe({ kind: 'wrap-up-ended', durationMs: now - volunteer.since });
    this.addBusy(volunteer.busyFrom, now);
    volunteer.busyFrom = -1;
    this.becomeAvailable(volunteer, now);
  }

  /** Done with a call (or a machine): a pending break or logout happens now, else ready. */
  private becomeAvailable(volunteer: Volunteer, now: number): void {
    if (volunteer.state === 'logged-out') return;
    if (volunteer.pendingLogout) return this.logout(volunteer, now);
    if (volunteer.pendingBreakMs > 0) {
      const length = volunteer.pendingBreakMs;
      volunteer.pendingBreakMs = 0;
      return this.startBreak(volunteer, now, length);
    }
    this.makeReady(volunteer, now, false);
  }

  private makeReady(volunteer: Volunteer, now: number, returning: boolean): void {
    if (returning) volunteer.availableFrom = now;
    this.setVolunteerState(volunteer, 'ready', now);
    this.pictureChanged();
    const waiting = this.earliestDeadlineWaiting();
    if (waiting) this.bridge(volunteer, waiting, now);
  }

  private earliestDeadlineWaiting(): Line | null {
    let best: Line | null = null;
    for (const line of this.holdQueue) if (!best || line.holdDeadline < best.holdDeadline) best = line;
    return best;
  }

  /** The ready volunteer who has waited longest (ties: the first logged in). */
  private longestIdleReady(): Volunteer | null {
    let best: Volunteer | null = null;
    for (const volunteer of this.volunteers) if (volunteer.state === 'ready' && (!best || volunteer.since < best.since)) best = volunteer;
    return best;
  }

  private setVolunteerState(volunteer: Volunteer, state: TrueVolunteerState, now: number): void {
    volunteer.state = state;
    volunteer.since = now;
    volunteer.view = state === 'logged-out' ? null : { id: volunteer.id, state, since: now };
  }

  private onLogin(volunteer: Volunteer, now: number): void {
    if (volunteer.state !== 'logged-out') return;
    this.makeReady(volunteer, now, true);
  }

  private onBreakStarts(volunteer: Volunteer, now: number, lengthMs: number): void {
    if (volunteer.state === 'ready') this.startBreak(volunteer, now, lengthMs);
    else if (volunteer.state === 'talking' || volunteer.state === 'wrap-up') volunteer.pendingBreakMs = lengthMs;
  }

  private startBreak(volunteer: Volunteer, now: number, lengthMs: number): void {
    this.closeAvailability(volunteer, now);
    this.setVolunteerState(volunteer, 'paused', now);
    this.schedule(now + lengthMs, EventKind.BreakEnds, null, volunteer);
    this.pictureChanged();
  }

  /** Leaving takes effect once the current call and wrap-up end; the lines dialed for them stay in flight. */
  private onLogout(volunteer: Volunteer, now: number): void {
    if (volunteer.state === 'ready' || volunteer.state === 'paused') this.logout(volunteer, now);
    else if (volunteer.state !== 'logged-out') volunteer.pendingLogout = true;
  }

  private logout(volunteer: Volunteer, now: number): void {
    this.closeAvailability(volunteer, now);
    volunteer.pendingLogout = false;
    volunteer.pendingBreakMs = 0;
    this.setVolunteerState(volunteer, 'logged-out', now);
    this.pictureChanged();
  }

  private closeAvailability(volunteer: Volunteer, now: number): void {
    if (volunteer.availableFrom < 0) return;
    this.availableMs += this.measuredOverlap(volunteer.availableFrom, now);
    volunteer.availableFrom = -1;
  }

  private addBusy(from: number, to: number): void {
    if (from >= 0) this.busyMs += this.measuredOverlap(from, to);
  }

  private measuredOverlap(from: number, to: number): number {
    return Math.max(0, Math.min(to, this.shiftEnd) - Math.max(from, this.measuredFrom));
  }

  private scheduleVolunteers(): void {
    const churn = this.parameters.churn;
    if (!churn) {
      // Everyone is there when the shift opens, before the first decision.
      for (const volunteer of this.volunteers) {
        volunteer.availableFrom = this.shiftStart;
        this.setVolunteerState(volunteer, 'ready', this.shiftStart);
      }
      return;
    }
    const length = this.shiftEnd - this.shiftStart;
    const stream = this.scheduleStream;
    for (const volunteer of this.volunteers) {
      // A fixed number of draws per volunteer, used or not, keeps the schedule the same for every policy.
      const loginAt = this.shiftStart + stream.uniform(0, churn.loginSpreadMinutes * 60_000);
      const breakAt = this.shiftStart + stream.uniform(churn.breakWindow[0], churn.breakWindow[1]) * length;
      const breakMs = stream.uniform(churn.breakMinutes.min, churn.breakMinutes.max) * 60_000;
      const leaves = stream.fraction() < churn.earlyLogoutShare;
      const logoutAt = this.shiftStart + stream.uniform(churn.logoutWindow[0], churn.logoutWindow[1]) * length;
      this.schedule(loginAt, EventKind.Login, null, volunteer);
      this.schedule(Math.max(breakAt, loginAt), EventKind.BreakStarts, null, volunteer, breakMs);
      if (leaves) this.schedule(Math.max(logoutAt, loginAt), EventKind.Logout, null, volunteer);
    }
  }

  private onClick(now: number): void {
    const clickers = this.parameters.clickers;
    if (!clickers) return;
    let loggedIn = 0;
    for (const volunteer of this.volunteers) if (volunteer.state !== 'logged-out') loggedIn += 1;
    if (this.leads.approvedWaiting < clickers.approvedPerVolunteer * loggedIn) this.leads.approveNext(now);
    this.schedule(now + this.nextClickGapMs(), EventKind.Click, null, null);
  }

  /** Clicks arrive as a Poisson process: several people clicking independently. */
  private nextClickGapMs(): number {
    const clickers = this.parameters.clickers;
    return clickers ? this.clickerStream.exponential(SECOND_MS / clickers.clicksPerSecond) : Infinity;
  }

  /** The shift ends: everyone logs out and calls still in flight are dropped from the count (none of them is measured). */
  private closeShift(): void {
    const end = this.shiftEnd;
    for (const volunteer of this.volunteers) {
      this.closeAvailability(volunteer, end);
      this.addBusy(volunteer.busyFrom, end);
      volunteer.busyFrom = -1;
      volunteer.pendingBreakMs = 0;
      volunteer.pendingLogout = false;
      this.setVolunteerState(volunteer, 'logged-out', end);
    }
    this.heap.clear();
    this.lineViews.clear();
    this.holdQueue.length = 0;
    this.unbridgedLines = 0;
    const tally = this.shiftTally;
    this.shiftResults.push({ ...tally, abandonRate: ratio(tally.abandoned, tally.liveAnswers) });
  }
}

function newShiftTally(): ShiftTally {
  return { liveAnswers: 0, abandoned: 0, observedLiveAnswers: 0, observedAbandoned: 0, conversations: 0 };
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

function validateParameters(parameters: SimulationParameters): void {
  const { outcomes, amd } = parameters;
  const problems: string[] = [];
  const probability = (name: string, value: number) => {
    if (!(value >= 0 && value <= 1)) problems.push(`${name} must be in [0, 1], got ${value}`);
  };
  const positive = (name: string, value: number) => {
    if (!(value > 0) || !Number.isFinite(value)) problems.push(`${name} must be a positive number, got ${value}`);
  };
  probability('outcomes.human', outcomes.human);
  probability('outcomes.machine', outcomes.machine);
  probability('outcomes.failed', outcomes.failed);
  if (outcomes.human + outcomes.machine + outcomes.failed > 1 + 1e-12) problems.push('outcomes must sum to at most 1');
  probability('amd.humanMisclassified', amd.humanMisclassified);
  probability('amd.machineMisclassified', amd.machineMisclassified);
  if (!Number.isInteger(parameters.volunteers) || parameters.volunteers < 1)
    problems.push(`volunteers must be a whole number ≥ 1, got ${parameters.volunteers}`);
  if (!Number.isInteger(parameters.shifts) || parameters.shifts < 1) problems.push(`shifts must be a whole number ≥ 1, got ${parameters.shifts}`);
  if (!Number.isInteger(parameters.seed)) problems.push(`seed must be a whole number, got ${parameters.seed}`);
  positive('callsPerSecond', parameters.callsPerSecond);
  positive('hours', parameters.hours);
  positive('tickMs', parameters.tickMs);
  positive('talk.mean', parameters.talk.mean);
  positive('wrapUp.mean', parameters.wrapUp.mean);
  positive('ringTimeoutSeconds', parameters.ringTimeoutSeconds);
  if (!(parameters.warmUpMinutes >= 0)) problems.push(`warmUpMinutes must be ≥ 0, got ${parameters.warmUpMinutes}`);
  if (!(parameters.decisionDebounceMs >= 0)) problems.push(`decisionDebounceMs must be ≥ 0, got ${parameters.decisionDebounceMs}`);
  if (parameters.leads.zones.length === 0) problems.push('leads.zones must name at least one time zone');
  if (parameters.warmUpMinutes * 60_000 + parameters.hours * HOUR_MS >= DAY_MS) problems.push('a shift must be shorter than a day');
  if (problems.length > 0) throw new RangeError(`invalid simulation parameters: ${problems.join('; ')}`);
}
