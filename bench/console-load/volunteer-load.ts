import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type {
  ChildMessage,
  ClosedLoopPhase,
  HandOutCheck,
  LatencySummary,
  LoadPlan,
  LoadResult,
  MillisecondRange,
  ParentMessage,
  PhaseName,
  VolunteerCredentials,
} from './load-plan';

/**
 * bench/console-load's load generator: forked by the orchestrator (console-load.bench) so that
 * its own CPU is not the api's, it plays every volunteer of the plan at once over one keep-alive
 * HTTP agent plus one WebSocket each, as the console does, and sends back what it measured.
 * Nothing of the product is loaded here: plain HTTP and `ws`.
 */

const agent = new Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });
/** A request sent again after its kept-alive connection was closed under it goes on a connection of its own. */
const freshAgent = new Agent({ keepAlive: false });
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * After the longest ring and this long again without the socket saying `in-progress`, and as often
 * again, the volunteer also asks over HTTP (the console reads the call over HTTP when its socket
 * reconnects; this is the safety net, rare enough not to add load of its own).
 */
const POLL_EVERY_MS = 3_000;
/** Every call state heard over the sockets, by status. */
const socketStatuses = new Map<string, number>();
const TERMINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly start: number;
  readonly end: number;
}

class RequestError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface Sample {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Every answered request with its start and end, so a phase counts only what falls in its
 * measured window (after its settling time, before its deadline); errors are counted wherever
 * they happen.
 */
class Recorder {
  private samples: Sample[] = [];
  /** End times of every answer, expected or not: the rate. */
  private answered: number[] = [];
  readonly errorsByKind = new Map<string, number>();
  readonly errorSamples: string[] = [];
  private phaseErrors = 0;
  staleSocketRetries = 0;

  record(name: string, start: number, end: number): void {
    this.samples.push({ name, start, end });
  }

  answer(end: number): void {
    this.answered.push(end);
  }

  error(kind: string, message: string): void {
    this.errorsByKind.set(kind, (this.errorsByKind.get(kind) ?? 0) + 1);
    this.phaseErrors += 1;
    if (this.errorSamples.length < 20) this.errorSamples.push(`${kind}: ${message}`.slice(0, 400));
  }

  /** Starts a phase: samples, answers and errors counted from here. */
  reset(): void {
    this.samples = [];
    this.answered = [];
    this.phaseErrors = 0;
  }

  /** Latencies of the requests of `name` started from `from` on (a phase's last iterations, begun before its end, included). */
  summary(name: string, from: number): LatencySummary {
    return summarize(this.samples.filter((each) => each.name === name && each.start >= from).map((each) => each.end - each.start));
  }

  /** Requests of `name` (every answer when null) that ended inside [from, to]. */
  ended(name: string | null, from: number, to: number): number {
    if (name === null) return this.answered.filter((end) => end >= from && end <= to).length;
    return this.samples.filter((each) => each.name === name && each.end >= from && each.end <= to).length;
  }

  /** The `count` slowest requests of `name` started from `from` on, with their start in seconds after `from`. */
  slowest(name: string, from: number, count: number): Array<{ atSecond: number; ms: number }> {
    return this.samples
      .filter((each) => each.name === name && each.start >= from)
      .sort((left, right) => right.end - right.start - (left.end - left.start))
      .slice(0, count)
      .map((each) => ({ atSecond: round((each.start - from) / 1000), ms: round(each.end - each.start) }));
  }

  names(): string[] {
    return [...new Set(this.samples.map((each) => each.name))];
  }

  get errorsInPhase(): number {
    return this.phaseErrors;
  }

  get totalErrors(): number {
    let total = 0;
    for (const count of this.errorsByKind.values()) total += count;
    return total;
  }
}

function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const sorted = [...values].sort((left, right) => left - right);
  const at = (share: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
  const middle = Math.floor(sorted.length / 2);
  const p50 = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { count: sorted.length, p50Ms: round(p50), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1]) };
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
const drawn = (range: MillisecondRange): number => range.min + Math.random() * (range.max - range.min);

// ---------------------------------------------------------------------------------------------
// HTTP

function send(origin: URL, method: string, path: string, credentials: VolunteerCredentials, body?: object, recorder?: Recorder): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { cookie: credentials.cookie, accept: 'application/json' };
  if (method !== 'GET') {
    headers['x-csrf-token'] = credentials.csrfToken;
    headers['content-length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  }
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const attempt = (retried: boolean): Promise<Answer> =>
    new Promise((resolveAnswer, reject) => {
      const outgoing = request(
        { host: origin.hostname, port: origin.port, method, path, headers, agent: retried ? freshAgent : agent, timeout: REQUEST_TIMEOUT_MS },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(new RequestError('network', `${method} ${path}: ${error.message}`)));
          response.on('end', () => {
            const end = performance.now();
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text === '' ? null : JSON.parse(text);
            } catch {
              // not JSON: kept as text for the error message
            }
            resolveAnswer({ status: response.statusCode ?? 0, body: parsed, start: started, end });
          });
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as the request left (its keep-alive timeout): the
        // request never reached the api, so it is sent again once, on a fresh connection (every route
        // used here is safe to repeat: next renews the same lease, a call or a save per lease is once).
        if (!retried && outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up')) {
          if (recorder !== undefined) recorder.staleSocketRetries += 1;
          attempt(true).then(resolveAnswer, reject);
          return;
        }
        reject(new RequestError('network', `${method} ${path}: ${error.message}`));
      });
      outgoing.end(payload);
    });
  return attempt(false);
}

/** A request that must answer `expected`; its time goes to `name` when it does, anything else is an error of that kind. */
async function expectStatus<T>(
  recorder: Recorder,
  name: string,
  origin: URL,
  method: string,
  path: string,
  credentials: VolunteerCredentials,
  expected: number,
  body?: object,
): Promise<T> {
  const answer = await send(origin, method, path, credentials, body, recorder);
  recorder.answer(answer.end);
  if (answer.status !== expected)
    throw new RequestError(`${name} ${answer.status}`, `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  recorder.record(name, answer.start, answer.end);
  return answer.body as T;
}

// ---------------------------------------------------------------------------------------------
// One volunteer: a session, a socket, and what they have been told about their calls

interface CallCardBody {
  readonly kind: 'card' | 'none';
  readonly reason?: string;
  readonly message?: string;
  readonly card?: { readonly leaseId: string; readonly voter: { readonly id: string } };
}

interface HandOut {
  readonly volunteer: number;
  readonly leaseId: string;
  readonly handedAt: number;
  savedAt: number | null;
}

class Volunteer {
  sessionId = '';
  private socket: WebSocket | null = null;
  private readonly heard = new Map<string, Set<string>>();
  private readonly waiters = new Map<string, () => void>();
  /** The card in front of the volunteer, if any: disposed before anything else after an error. */
  current: { leaseId: string; voterId: string; saveFailed: boolean } | null = null;

  constructor(
    readonly index: number,
    readonly credentials: VolunteerCredentials,
  ) {}

  async connect(origin: URL, recorder: Recorder): Promise<void> {
    const socket = new WebSocket(`ws://${origin.host}/api/realtime`, { headers: { cookie: this.credentials.cookie } });
    this.socket = socket;
    await new Promise<void>((resolveWatching, reject) => {
      const timer = setTimeout(() => reject(new Error(`volunteer ${this.index}: the socket did not watch within 15 s`)), 15_000);
      socket.on('message', (data: Buffer) => {
        let message: { event?: string; callId?: string; status?: string; sessionId?: string; message?: string };
        try {
          message = JSON.parse(data.toString('utf8')) as typeof message;
        } catch {
          recorder.error('socket message', data.toString('utf8').slice(0, 200));
          return;
        }
        if (message.event === 'ready') socket.send(JSON.stringify({ event: 'watch', sessionId: this.sessionId }));
        else if (message.event === 'watching') {
          clearTimeout(timer);
          resolveWatching();
        } else if (message.event === 'call' && message.callId !== undefined && message.status !== undefined) {
          let statuses = this.heard.get(message.callId);
          if (statuses === undefined) this.heard.set(message.callId, (statuses = new Set()));
          statuses.add(message.status);
          socketStatuses.set(message.status, (socketStatuses.get(message.status) ?? 0) + 1);
          this.waiters.get(message.callId)?.();
        } else if (message.event === 'error') recorder.error('socket error event', message.message ?? '');
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        recorder.error('socket', error.message);
        reject(error);
      });
      socket.on('close', (code) => {
        if (!stopping) recorder.error('socket closed', `volunteer ${this.index}: code ${code}`);
      });
    });
  }

  /** Resolves when `in-progress` has been heard for the call (socket first; a poll once the longest ring is 3 s past); throws on a terminal status or timeout. */
  async waitUntilAnswered(origin: URL, recorder: Recorder, callId: string, timeoutMs: number, ringMs: number): Promise<'socket' | 'poll'> {
    const started = performance.now();
    const verdict = (): 'answered' | 'ended' | null => {
      const statuses = this.heard.get(callId);
      if (statuses === undefined) return null;
      if (statuses.has('in-progress')) return 'answered';
      for (const status of statuses) if (TERMINAL_CALL_STATUSES.has(status)) return 'ended';
      return null;
    };
    try {
      while (performance.now() - started < timeoutMs) {
        const now = verdict();
        if (now === 'answered') return 'socket';
        if (now === 'ended') throw new RequestError('call ended unanswered', `call ${callId}: ${[...(this.heard.get(callId) ?? [])].join(', ')}`);
        const waited = performance.now() - started;
        const overdue = waited - ringMs;
        if (overdue >= POLL_EVERY_MS) {
          const call = await send(origin, 'GET', `/api/calling-sessions/${this.sessionId}/calls/${callId}`, this.credentials, undefined, recorder);
          const status = (call.body as { status?: string } | null)?.status;
          // The socket may have said so while the read was under way.
          if (verdict() === 'answered') return 'socket';
          if (status === 'in-progress') return 'poll';
          if (status !== undefined && TERMINAL_CALL_STATUSES.has(status)) throw new RequestError('call ended unanswered', `call ${callId}: ${status}`);
        }
        await new Promise<void>((resolveHeard) => {
          const timer = setTimeout(resolveHeard, overdue < 0 ? POLL_EVERY_MS - overdue : POLL_EVERY_MS - (overdue % POLL_EVERY_MS));
          this.waiters.set(callId, () => {
            clearTimeout(timer);
            resolveHeard();
          });
        });
      }
      throw new RequestError(
        'answer timeout',
        `call ${callId}: not in progress after ${timeoutMs} ms (heard ${[...(this.heard.get(callId) ?? [])].join(', ') || 'nothing'})`,
      );
    } finally {
      this.waiters.delete(callId);
      recorder.record('answerWait', started, performance.now());
    }
  }

  forget(callId: string): void {
    this.heard.delete(callId);
  }

  close(): void {
    this.socket?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run

let stopping = false;

async function run(plan: LoadPlan, checkpoint: (phase: PhaseName, edge: 'start' | 'end') => Promise<void>): Promise<LoadResult> {
  const origin = new URL(plan.origin);
  const recorder = new Recorder();
  const volunteers = plan.volunteers.map((credentials, index) => new Volunteer(index, credentials));
  const handOuts = new Map<string, HandOut[]>();
  const savedLeases = new Set<string>();

  const progress = (message: string): void => void process.stderr.write(`bench/console-load (volunteers): ${message}\n`);

  // Set-up: every volunteer starts a session and watches it over their socket, all at once.
  await checkpoint('setup', 'start');
  const setupStarted = performance.now();
  await Promise.all(
    volunteers.map(async (volunteer) => {
      const session = await expectStatus<{ id: string }>(recorder, 'startSession', origin, 'POST', '/api/calling-sessions', volunteer.credentials, 201, {
        campaignId: plan.campaignId,
      });
      volunteer.sessionId = session.id;
      await volunteer.connect(origin, recorder);
    }),
  );
  const setupSeconds = round((performance.now() - setupStarted) / 1000, 2);
  await checkpoint('setup', 'end');
  progress(`${volunteers.length} sessions started and watched over their sockets in ${setupSeconds} s`);

  const handedOut = (volunteer: Volunteer, card: NonNullable<CallCardBody['card']>): void => {
    const list = handOuts.get(card.voter.id) ?? [];
    if (!list.some((each) => each.leaseId === card.leaseId))
      list.push({ volunteer: volunteer.index, leaseId: card.leaseId, handedAt: performance.now(), savedAt: null });
    handOuts.set(card.voter.id, list);
    if (volunteer.current?.leaseId !== card.leaseId) volunteer.current = { leaseId: card.leaseId, voterId: card.voter.id, saveFailed: false };
  };
  const saved = (volunteer: Volunteer, leaseId: string, voterId: string): void => {
    const entry = handOuts.get(voterId)?.find((each) => each.leaseId === leaseId);
    if (entry !== undefined && entry.savedAt === null) entry.savedAt = performance.now();
    savedLeases.add(leaseId);
    volunteer.current = null;
  };
  let ranOut = 0;

  const next = async (volunteer: Volunteer): Promise<CallCardBody['card'] | null> => {
    const body = await expectStatus<CallCardBody>(
      recorder,
      'nextVoter',
      origin,
      'POST',
      `/api/calling-sessions/${volunteer.sessionId}/next`,
      volunteer.credentials,
      200,
    );
    if (body.kind === 'card' && body.card !== undefined) {
      handedOut(volunteer, body.card);
      return body.card;
    }
    if (body.reason === 'no_voters_left') return null;
    throw new RequestError(`next: ${body.reason ?? 'none'}`, body.message ?? JSON.stringify(body));
  };
  let repeatedAfterFailure = 0;
  const save = async (volunteer: Volunteer, leaseId: string, voterId: string): Promise<void> => {
    let body: { repeated?: boolean };
    try {
      body = await expectStatus<{ repeated?: boolean }>(
        recorder,
        'saveDisposition',
        origin,
        'POST',
        `/api/calling-sessions/${volunteer.sessionId}/dispositions`,
        volunteer.credentials,
        200,
        { leaseId, disposition: 'contacted', answers: plan.answers },
      );
    } catch (error) {
      if (volunteer.current?.leaseId === leaseId) volunteer.current.saveFailed = true;
      throw error;
    }
    const retry = volunteer.current?.leaseId === leaseId && volunteer.current.saveFailed;
    saved(volunteer, leaseId, voterId);
    if (body.repeated === false) return;
    // After a failed save, "repeated" is the right answer when the failure came after the attempt was stored.
    if (retry) repeatedAfterFailure += 1;
    else throw new RequestError('save repeated', `lease ${leaseId}: the first save answered repeated=${String(body.repeated)}`);
  };

  /**
   * Runs `loop` for every volunteer, without a pause, for `settleSeconds` and then the measured
   * `seconds` (no new iteration after that; the ones under way finish). The measured window starts
   * once the queue of requests has filled, so its rate is the steady one.
   */
  const closedLoop = async (
    settleSeconds: number,
    seconds: number,
    loop: (volunteer: Volunteer) => Promise<'again' | 'stop'>,
    startSpreadMs = 0,
  ): Promise<{ from: number; to: number; seconds: number; errors: number }> => {
    recorder.reset();
    const from = performance.now() + settleSeconds * 1000;
    const to = from + seconds * 1000;
    await Promise.all(
      volunteers.map(async (volunteer) => {
        if (startSpreadMs > 0) await sleep(Math.random() * startSpreadMs);
        while (performance.now() < to) {
          try {
            if ((await loop(volunteer)) === 'stop') return;
          } catch (error) {
            recorder.error(error instanceof RequestError ? error.kind : 'crash', error instanceof Error ? error.message : String(error));
            await sleep(200);
          }
        }
      }),
    );
    return { from, to, seconds, errors: recorder.errorsInPhase };
  };

  /** Per second: answers that ended in the window; latencies: requests that started in it or after (the last iterations). */
  const phaseOf = (window: { from: number; to: number; seconds: number; errors: number }): ClosedLoopPhase => ({
    seconds: window.seconds,
    requestsPerSecond: round(recorder.ended(null, window.from, window.to) / window.seconds),
    latency: Object.fromEntries(recorder.names().map((name) => [name, recorder.summary(name, window.from)])),
    errors: window.errors,
  });
  const nextPlusSavePerSecond = (window: { from: number; to: number; seconds: number }): number =>
    round((recorder.ended('nextVoter', window.from, window.to) + recorder.ended('saveDisposition', window.from, window.to)) / window.seconds);

  /** A volunteer left holding a card (an error half-way) gives it its disposition first. */
  const settle = async (volunteer: Volunteer): Promise<void> => {
    if (volunteer.current === null) return;
    const { leaseId, voterId } = volunteer.current;
    await save(volunteer, leaseId, voterId);
  };

  const trivial = (volunteer: Volunteer): Promise<'again'> =>
    expectStatus(recorder, 'trivial', origin, 'GET', '/api/auth/sessions/current', volunteer.credentials, 200).then(() => 'again' as const);

  const nextAndSave = async (volunteer: Volunteer): Promise<'again' | 'stop'> => {
    await settle(volunteer);
    const card = await next(volunteer);
    if (card === null || card === undefined) {
      ranOut += 1;
      return 'stop';
    }
    await save(volunteer, card.leaseId, card.voter.id);
    return 'again';
  };

  let answersFromPolling = 0;
  let callsPlaced = 0;
  let cycles = 0;
  const work = async (volunteer: Volunteer): Promise<'again' | 'stop'> => {
    await settle(volunteer);
    const card = await next(volunteer);
    if (card === null || card === undefined) {
      ranOut += 1;
      return 'stop';
    }
    await sleep(drawn(plan.pace.previewMs));
    const call = await expectStatus<{ id: string }>(
      recorder,
      'placeCall',
      origin,
      'POST',
      `/api/calling-sessions/${volunteer.sessionId}/calls`,
      volunteer.credentials,
      201,
      { leaseId: card.leaseId },
    );
    callsPlaced += 1;
    try {
      if ((await volunteer.waitUntilAnswered(origin, recorder, call.id, plan.answerTimeoutMs, plan.ringMs.max)) === 'poll') answersFromPolling += 1;
      await sleep(drawn(plan.pace.talkMs));
    } finally {
      // Hung up whatever happened, so no call is left ringing for the next voter.
      await expectStatus(
        recorder,
        'hangUp',
        origin,
        'POST',
        `/api/calling-sessions/${volunteer.sessionId}/calls/${call.id}/hangup`,
        volunteer.credentials,
        200,
      );
      volunteer.forget(call.id);
    }
    await sleep(drawn(plan.pace.wrapUpMs));
    await save(volunteer, card.leaseId, card.voter.id);
    cycles += 1;
    return 'again';
  };

  await checkpoint('warm-up', 'start');
  await closedLoop(0, plan.warmUpSeconds, trivial);
  await closedLoop(0, plan.warmUpSeconds, nextAndSave);
  await checkpoint('warm-up', 'end');

  const trivialPhases: ClosedLoopPhase[] = [];
  await checkpoint('trivial-1', 'start');
  trivialPhases.push(phaseOf(await closedLoop(plan.settleSeconds.trivial, plan.trivialSeconds, trivial)));
  await checkpoint('trivial-1', 'end');
  progress(`trivial endpoint: ${trivialPhases[0].requestsPerSecond} requests/s`);

  await checkpoint('saturated', 'start');
  const saturatedWindow = await closedLoop(plan.settleSeconds.saturated, plan.saturatedSeconds, nextAndSave);
  const saturated = { ...phaseOf(saturatedWindow), nextPlusSavePerSecond: nextPlusSavePerSecond(saturatedWindow) };
  await checkpoint('saturated', 'end');
  progress(`next + save back to back: ${saturated.nextPlusSavePerSecond} requests/s`);

  await checkpoint('trivial-2', 'start');
  trivialPhases.push(phaseOf(await closedLoop(plan.settleSeconds.trivial, plan.trivialSeconds, trivial)));
  await checkpoint('trivial-2', 'end');
  progress(`trivial endpoint again: ${trivialPhases[1].requestsPerSecond} requests/s`);

  progress(`working the campaign for ${plan.workSeconds} s`);
  await checkpoint('work', 'start');
  const ticker = setInterval(() => progress(`… ${cycles} calls worked, ${recorder.totalErrors} errors so far`), 10_000);
  // A late load generator would add its own delay to every request it times.
  const ownDelay = monitorEventLoopDelay({ resolution: 10 });
  ownDelay.enable();
  const workWindow = await closedLoop(0, plan.workSeconds, work, plan.pace.startSpreadMs);
  ownDelay.disable();
  clearInterval(ticker);
  await checkpoint('work', 'end');

  // Cards still in hand after an error at the very end get their disposition, so the database check sees every lease saved.
  await checkpoint('drain', 'start');
  await Promise.all(volunteers.map((volunteer) => settle(volunteer).catch((error: unknown) => recorder.error('drain', String(error)))));
  await checkpoint('drain', 'end');
  stopping = true;
  for (const volunteer of volunteers) volunteer.close();

  const inWork = (name: string): LatencySummary => recorder.summary(name, workWindow.from);
  return {
    volunteers: volunteers.length,
    setupSeconds,
    trivial: trivialPhases,
    saturated,
    work: {
      seconds: plan.workSeconds,
      nextVoter: inWork('nextVoter'),
      saveDisposition: inWork('saveDisposition'),
      placeCall: inWork('placeCall'),
      hangUp: inWork('hangUp'),
      answerWait: inWork('answerWait'),
      nextPlusSavePerSecond: nextPlusSavePerSecond(workWindow),
      cycles,
      callsPlaced,
      answersFromPolling,
      ranOut,
      slowest: { nextVoter: recorder.slowest('nextVoter', workWindow.from, 8), saveDisposition: recorder.slowest('saveDisposition', workWindow.from, 8) },
      loadGeneratorDelayMs: { p99: round(ownDelay.percentile(99) / 1e6), max: round(ownDelay.max / 1e6) },
    },
    errors: { total: recorder.totalErrors, byKind: Object.fromEntries(recorder.errorsByKind), samples: recorder.errorSamples },
    staleSocketRetries: recorder.staleSocketRetries,
    repeatedAfterFailure,
    socketStatuses: Object.fromEntries(socketStatuses),
    handOuts: checkHandOuts(handOuts),
    savedLeases: savedLeases.size,
  };
}

/** Voters handed out under more than one lease; "double" when the second came while the first was still unsaved. */
function checkHandOuts(handOuts: ReadonlyMap<string, readonly HandOut[]>): HandOutCheck {
  let twice = 0;
  let overlapping = 0;
  const examples: Array<{ voterId: string; leases: number }> = [];
  for (const [voterId, list] of handOuts) {
    if (list.length < 2) continue;
    twice += 1;
    const ordered = [...list].sort((left, right) => left.handedAt - right.handedAt);
    if (ordered.some((each, index) => index > 0 && (ordered[index - 1].savedAt === null || ordered[index - 1].savedAt! > each.handedAt))) overlapping += 1;
    if (examples.length < 10) examples.push({ voterId, leases: list.length });
  }
  return { voters: handOuts.size, votersHandedOutTwice: twice, doubleHandOuts: overlapping, examples };
}

// ---------------------------------------------------------------------------------------------
// IPC with the orchestrator

function tell(message: ChildMessage): void {
  process.send?.(message);
}

const acks = new Map<PhaseName, () => void>();

function checkpoint(phase: PhaseName, edge: 'start' | 'end'): Promise<void> {
  return new Promise((resolveAck) => {
    acks.set(phase, resolveAck);
    tell({ type: 'checkpoint', phase, edge });
  });
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'checkpoint-ack') {
    const resolveAck = acks.get(message.phase);
    acks.delete(message.phase);
    resolveAck?.();
    return;
  }
  run(message.plan, checkpoint).then(
    (result) => {
      tell({ type: 'result', result });
      agent.destroy();
      process.disconnect?.();
    },
    (error: unknown) => {
      tell({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.disconnect?.();
    },
  );
});
