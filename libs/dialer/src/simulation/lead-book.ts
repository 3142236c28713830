import type { DialableLeads } from '../pacing/pacing-snapshot';
import { isInsideCallingWindow } from './calling-window.util';
import { LogNormalDistribution } from './log-normal-distribution';
import type { RandomStream } from './random-stream';
import type { LeadLineType, SimulationParameters } from './simulation-parameters';

/** What a snapshot reports for an unlimited list: large enough never to bind, small enough for any arithmetic. */
export const UNLIMITED_LEAD_COUNT = 1_000_000;

export type DialSource = 'automatic' | 'approved' | 'volunteer-initiated';

/**
 * One lead and its fate. Everything random about its next call is drawn when the lead is made, in a fixed
 * order, so the k-th lead of a seed behaves the same whichever policy dials it and whenever. The outcome
 * itself is read from `outcomeDraw` against the answer rates in force when the call starts (drift).
 */
export interface Lead {
  readonly index: number;
  readonly zone: number;
  readonly utcOffsetMs: number;
  readonly lineType: LeadLineType;
  readonly consented: boolean;
  readonly outcomeDraw: number;
  /** Conditioned below the ring timeout (redrawn), as §5.3 truncates it. */
  readonly humanRingMs: number;
  readonly machineRingMs: number;
  readonly greetingMs: number;
  readonly failMs: number;
  readonly detectionErrorDraw: number;
}

interface LeadQueue {
  items: Lead[];
  head: number;
}

const HOUR_MS = 3_600_000;

/** The campaign's call list: leads waiting per time zone, split by whether the pacer may start them by itself. */
export class LeadBook {
  private readonly automaticPools: LeadQueue[];
  private readonly manualPools: LeadQueue[];
  private readonly approved: Lead[] = [];
  private readonly zoneThresholds: number[];
  private readonly zoneOffsetsMs: number[];
  private readonly zoneCanHaveAutomatic: boolean[];
  private readonly zoneCanHaveManual: boolean[];
  private readonly landlineThreshold: number;
  private readonly mobileThreshold: number;
  private readonly humanRing: LogNormalDistribution;
  private readonly machineRing: LogNormalDistribution;
  private generated = 0;

  constructor(
    private readonly parameters: SimulationParameters,
    private readonly stream: RandomStream,
    /** UTC milliseconds since a midnight at virtual time 0. */
    private readonly utcAtZeroMs: number,
  ) {
    const { zones, lineTypes, consentedShare } = parameters.leads;
    const zoneTotal = zones.reduce((sum, zone) => sum + zone.share, 0);
    let cumulative = 0;
    this.zoneThresholds = zones.map((zone) => (cumulative += zone.share / zoneTotal));
    this.zoneOffsetsMs = zones.map((zone) => zone.utcOffsetHours * HOUR_MS);
    const typeTotal = lineTypes.landline + lineTypes.mobile + lineTypes.unknown;
    this.landlineThreshold = lineTypes.landline / typeTotal;
    this.mobileThreshold = (lineTypes.landline + lineTypes.mobile) / typeTotal;
    const manualShare = 1 - this.landlineThreshold;
    this.zoneCanHaveAutomatic = zones.map((zone) => zone.share > 0 && (this.landlineThreshold > 0 || (manualShare > 0 && consentedShare > 0)));
    this.zoneCanHaveManual = zones.map((zone) => zone.share > 0 && manualShare > 0 && consentedShare < 1);
    this.automaticPools = zones.map(() => ({ items: [], head: 0 }));
    this.manualPools = zones.map(() => ({ items: [], head: 0 }));
    this.humanRing = new LogNormalDistribution(parameters.humanRing.mean, parameters.humanRing.sd);
    this.machineRing = new LogNormalDistribution(parameters.machineRing.mean, parameters.machineRing.sd);
    if (parameters.leads.count !== null) while (this.generateOne());
  }

  get unlimited(): boolean {
    return this.parameters.leads.count === null;
  }

  /** The leads a snapshot offers for dials that would start at `startAt` (virtual ms). */
  offered(startAt: number): DialableLeads {
    let automatic = 0;
    let manualOnly = 0;
    for (let zone = 0; zone < this.zoneOffsetsMs.length; zone += 1) {
      if (!this.selectable(zone, startAt)) continue;
      automatic += this.unlimited ? (this.zoneCanHaveAutomatic[zone] ? UNLIMITED_LEAD_COUNT : 0) : size(this.automaticPools[zone]);
      manualOnly += this.unlimited ? (this.zoneCanHaveManual[zone] ? UNLIMITED_LEAD_COUNT : 0) : size(this.manualPools[zone]);
    }
    if (this.parameters.faults.ignoreLineType) automatic += manualOnly;
    let approved = 0;
    for (const lead of this.approved) if (this.selectable(lead.zone, startAt)) approved += 1;
    return { automatic: Math.min(automatic, UNLIMITED_LEAD_COUNT), approved, manualOnly: Math.min(manualOnly, UNLIMITED_LEAD_COUNT) };
  }

  /** The next lead a dial of `source` starting at `startAt` may take, removed from the book; null if none. */
  take(source: DialSource, startAt: number): Lead | null {
    if (source === 'approved') {
      const position = this.approved.findIndex((lead) => this.selectable(lead.zone, startAt));
      return position < 0 ? null : this.approved.splice(position, 1)[0];
    }
    const anyType = source === 'volunteer-initiated' || this.parameters.faults.ignoreLineType === true;
    return this.takeEarliest(startAt, true, anyType);
  }

  /** A clicker approves the next mobile or unknown-type lead inside its window; false if there is none. */
  approveNext(at: number): boolean {
    const lead = this.takeEarliest(at, false, true);
    if (!lead) return false;
    this.approved.push(lead);
    return true;
  }

  get approvedWaiting(): number {
    return this.approved.length;
  }

  isInsideWindow(lead: Lead, at: number): boolean {
    return isInsideCallingWindow(this.utcAtZeroMs + at, lead.utcOffsetMs);
  }

  private selectable(zone: number, at: number): boolean {
    return this.parameters.faults.ignoreCallingWindow === true || isInsideCallingWindow(this.utcAtZeroMs + at, this.zoneOffsetsMs[zone]);
  }

  /** The lowest-indexed lead, i.e. the next in list order, among the pools asked for in open zones. */
  private takeEarliest(at: number, automatic: boolean, manual: boolean): Lead | null {
    let best: LeadQueue | null = null;
    for (let zone = 0; zone < this.zoneOffsetsMs.length; zone += 1) {
      if (!this.selectable(zone, at)) continue;
      if (automatic && this.zoneCanHaveAutomatic[zone]) best = earlier(best, this.filled(this.automaticPools[zone]));
      if (manual && this.zoneCanHaveManual[zone]) best = earlier(best, this.filled(this.manualPools[zone]));
    }
    return best ? dequeue(best) : null;
  }

  /** The queue, topped up from an unlimited list so it has a head; null if it stays empty. */
  private filled(queue: LeadQueue): LeadQueue | null {
    while (size(queue) === 0 && this.unlimited) this.generateOne();
    return size(queue) > 0 ? queue : null;
  }

  private generateOne(): boolean {
    const { count, consentedShare } = this.parameters.leads;
    if (count !== null && this.generated >= count) return false;
    const stream = this.stream;
    const zoneDraw = stream.fraction();
    const typeDraw = stream.fraction();
    const consentDraw = stream.fraction();
    const outcomeDraw = stream.fraction();
    const timeoutSeconds = this.parameters.ringTimeoutSeconds;
    const humanRingMs = stream.logNormalBelow(this.humanRing, timeoutSeconds) * 1000;
    const machineRingMs = stream.logNormal(this.machineRing) * 1000;
    const greetingMs = stream.uniform(this.parameters.greetingSeconds.min, this.parameters.greetingSeconds.max) * 1000;
    const failMs = stream.uniform(this.parameters.failSeconds.min, this.parameters.failSeconds.max) * 1000;
    const detectionErrorDraw = stream.fraction();
    let zone = this.zoneThresholds.findIndex((threshold) => zoneDraw < threshold);
    if (zone < 0) zone = this.zoneThresholds.length - 1;
    const lineType: LeadLineType = typeDraw < this.landlineThreshold ? 'landline' : typeDraw < this.mobileThreshold ? 'mobile' : 'unknown';
    const consented = lineType !== 'landline' && consentDraw < consentedShare;
    const lead: Lead = {
      index: this.generated,
      zone,
      utcOffsetMs: this.zoneOffsetsMs[zone],
      lineType,
      consented,
      outcomeDraw,
      humanRingMs,
      machineRingMs,
      greetingMs,
      failMs,
      detectionErrorDraw,
    };
    this.generated += 1;
    (lineType === 'landline' || consented ? this.automaticPools : this.manualPools)[zone].items.push(lead);
    return true;
  }
}

function size(queue: LeadQueue): number {
  return queue.items.length - queue.head;
}

function earlier(best: LeadQueue | null, candidate: LeadQueue | null): LeadQueue | null {
  if (!candidate) return best;
  if (!best) return candidate;
  return candidate.items[candidate.head].index < best.items[best.head].index ? candidate : best;
}

function dequeue(queue: LeadQueue): Lead {
  const lead = queue.items[queue.head];
  queue.head += 1;
  // Drop the taken prefix now and then so an unlimited list does not keep every lead it ever made.
  if (queue.head >= 4096 && queue.head * 2 >= queue.items.length) {
    queue.items = queue.items.slice(queue.head);
    queue.head = 0;
  }
  return lead;
}
