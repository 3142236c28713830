import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What the orchestrator (console-load.bench) and the load generator (volunteer-load, its own
 * process) say to each other over the fork's IPC channel, and where the --diagnose probe of a
 * process writes. Nothing of the product is loaded here: the load generator and the probe import it.
 */

/** Where process-probe, preloaded into process `pid`, writes its figures on SIGUSR2. */
export function probeFileOf(pid: number): string {
  return join(tmpdir(), `crossroads-console-load-probe-${pid}.json`);
}

export interface VolunteerCredentials {
  /** The `Cookie` header that carries the session. */
  readonly cookie: string;
  readonly csrfToken: string;
}

export interface LoadPlan {
  /** http://127.0.0.1:<port> of the api. */
  readonly origin: string;
  readonly campaignId: string;
  readonly volunteers: readonly VolunteerCredentials[];
  /** The survey answers every disposition carries (one per question of the campaign). */
  readonly answers: ReadonlyArray<{ readonly questionKey: string; readonly answer: string }>;
  readonly warmUpSeconds: number;
  /** Each of the two trivial-endpoint phases (before and after the saturated phase), measured part. */
  readonly trivialSeconds: number;
  /** next + save back to back, no call, no think time: what the two endpoints can serve (measured part). */
  readonly saturatedSeconds: number;
  /** How long a closed-loop phase runs before its measured window opens (the queue of requests fills). */
  readonly settleSeconds: { readonly trivial: number; readonly saturated: number };
  /** The volunteers' real loop: next, read the card, call, wait for the answer, talk, hang up, wrap up, save. */
  readonly workSeconds: number;
  readonly pace: VolunteerPace;
  /** The simulator's ring before a voter answers (the safety-net poll starts 3 s after the longest). */
  readonly ringMs: MillisecondRange;
  /** How long a volunteer waits for the voter to answer before counting an error. */
  readonly answerTimeoutMs: number;
}

export interface MillisecondRange {
  readonly min: number;
  readonly max: number;
}

/** How long a volunteer spends on each part of a call, drawn uniformly (the ring is the simulator's). */
export interface VolunteerPace {
  /** Reading the card before clicking call. */
  readonly previewMs: MillisecondRange;
  /** Talking once the voter has answered, before hanging up. */
  readonly talkMs: MillisecondRange;
  /** Answers and disposition after the hang-up, before saving. */
  readonly wrapUpMs: MillisecondRange;
  /** Volunteers start their first call spread over this long, as people arriving at a phone bank do. */
  readonly startSpreadMs: number;
}

export type PhaseName = 'setup' | 'warm-up' | 'trivial-1' | 'saturated' | 'trivial-2' | 'work' | 'drain';

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface ClosedLoopPhase {
  /** The measured window. */
  readonly seconds: number;
  /** Requests answered (as expected or not) per second in the measured window. */
  readonly requestsPerSecond: number;
  readonly latency: Readonly<Record<string, LatencySummary>>;
  readonly errors: number;
}

export interface HandOutCheck {
  /** Distinct voters handed out. */
  readonly voters: number;
  /** Voters handed out under two different leases at any time (everyone is disposed "contacted": each is an error). */
  readonly votersHandedOutTwice: number;
  /** Of those, voters whose two leases were live at the same time (the second handed out before the first was saved). */
  readonly doubleHandOuts: number;
  readonly examples: ReadonlyArray<{ readonly voterId: string; readonly leases: number }>;
}

export interface LoadResult {
  readonly volunteers: number;
  readonly setupSeconds: number;
  readonly trivial: readonly ClosedLoopPhase[];
  readonly saturated: ClosedLoopPhase & { readonly nextPlusSavePerSecond: number };
  readonly work: {
    readonly seconds: number;
    readonly nextVoter: LatencySummary;
    readonly saveDisposition: LatencySummary;
    readonly placeCall: LatencySummary;
    readonly hangUp: LatencySummary;
    /** From the call's POST returning to hearing `in-progress` (WebSocket, or a poll when the socket was late). */
    readonly answerWait: LatencySummary;
    readonly nextPlusSavePerSecond: number;
    readonly cycles: number;
    readonly callsPlaced: number;
    /** In-progress states learnt by reading GET …/calls/:id because the WebSocket had not said so within 3 s of the longest ring (then every 3 s). */
    readonly answersFromPolling: number;
    /** Volunteers who were told nobody is left to call (the list ran out: a set-up problem, not an error of the api). */
    readonly ranOut: number;
    /** The slowest next and save requests: when they started (seconds into the work phase) and how long they took, to tell a burst from a spread tail. */
    readonly slowest: Readonly<Record<'nextVoter' | 'saveDisposition', ReadonlyArray<{ readonly atSecond: number; readonly ms: number }>>>;
    /** How late the load generator's own event loop ran in the work phase (its lateness is in every latency it times). */
    readonly loadGeneratorDelayMs: { readonly p99: number; readonly max: number };
  };
  readonly errors: { readonly total: number; readonly byKind: Readonly<Record<string, number>>; readonly samples: readonly string[] };
  /** Requests sent again because the kept-alive connection they left on had just been closed by the server (not errors of the api). */
  readonly staleSocketRetries: number;
  /** Saves retried after an error answer that found the attempt stored by the failed request (answered repeated: true, as they should). */
  readonly repeatedAfterFailure: number;
  /** Call states heard over the volunteers' sockets, by status. */
  readonly socketStatuses: Readonly<Record<string, number>>;
  readonly handOuts: HandOutCheck;
  /** Lease ids saved by the load generator (the orchestrator checks them against contact_attempt). */
  readonly savedLeases: number;
}

export type ParentMessage = { readonly type: 'plan'; readonly plan: LoadPlan } | { readonly type: 'checkpoint-ack'; readonly phase: PhaseName };

export type ChildMessage =
  | { readonly type: 'checkpoint'; readonly phase: PhaseName; readonly edge: 'start' | 'end' }
  | { readonly type: 'result'; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly message: string };
