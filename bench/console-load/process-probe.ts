import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { probeFileOf } from './load-plan';

/**
 * bench/console-load --diagnose: preloaded (`node --require`) into the api and the dialer worker,
 * never part of a measured run. It counts, per HTTP route (method and path with ids replaced):
 * requests, their time from arrival to the response's end, PostgreSQL queries and their time, and
 * the time spent waiting for a pooled connection; work outside any request (worker jobs, socket
 * messages) goes under "(outside a request)". The event loop's utilization is kept too, and its
 * stalls (garbage collections of 20 ms or more, ticks 50 ms or more late) with their times. On
 * SIGUSR2 it writes the cumulative figures to `probeFileOf(process.pid)`; the orchestrator takes
 * the difference between two writes. A `profile-start` / `profile-stop` command left next to that
 * file before the signal runs V8's sampling profiler in between (written to `<file>.cpuprofile`).
 */

interface RouteFigures {
  /** The statements of the route's latest request, in order (first 100 characters of each). */
  statements: string[];
  requests: number;
  serverMs: number;
  queries: number;
  queryMs: number;
  connects: number;
  poolWaitMs: number;
  /** Connections that were not handed over at once (waited more than 1 ms). */
  waitedConnects: number;
  maxPoolWaitMs: number;
}

const OUTSIDE = '(outside a request)';
const routes = new Map<string, RouteFigures>();
interface Step {
  readonly what: string;
  /** When it began, ms after the request arrived, and how long it took. */
  readonly atMs: number;
  ms: number;
}
const current = new AsyncLocalStorage<{ readonly figures: RouteFigures; readonly statements: string[]; readonly started: number; readonly steps: Step[] }>();
/** Requests that took 80 ms or more from arrival to the response's end, step by step: where a slow one waited. */
let slowRequests: Array<{ readonly route: string; readonly at: number; readonly ms: number; readonly steps: readonly Step[] }> = [];
const SLOW_REQUEST_MS = 80;
const SLOW_REQUESTS_KEPT = 300;

function stepOf(what: string): Step | null {
  const request = current.getStore();
  if (request === undefined) return null;
  const step = { what, atMs: performance.now() - request.started, ms: 0 };
  request.steps.push(step);
  return step;
}
let maxWaitingClients = 0;
/** Every statement's count and time, by its first 100 characters (the same statement with other parameters is the same text). */
const statements = new Map<string, { count: number; ms: number }>();
let dumps = 0;
/** Garbage collections of 20 ms or more and event-loop stalls of 50 ms or more, with when they began (ms since the epoch). */
let stalls: Array<{ readonly at: number; readonly ms: number; readonly kind: 'gc' | 'event loop' }> = [];
const STALLS_KEPT = 500;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration >= 20 && stalls.length < STALLS_KEPT) stalls.push({ at: performance.timeOrigin + entry.startTime, ms: entry.duration, kind: 'gc' });
  }
}).observe({ entryTypes: ['gc'] });
let tickDue = performance.now() + 10;
setInterval(() => {
  const now = performance.now();
  if (now - tickDue >= 50 && stalls.length < STALLS_KEPT) stalls.push({ at: performance.timeOrigin + tickDue, ms: now - tickDue, kind: 'event loop' });
  tickDue = now + 10;
}, 10).unref();

function figuresOf(route: string): RouteFigures {
  let figures = routes.get(route);
  if (figures === undefined) {
    figures = { statements: [], requests: 0, serverMs: 0, queries: 0, queryMs: 0, connects: 0, poolWaitMs: 0, waitedConnects: 0, maxPoolWaitMs: 0 };
    routes.set(route, figures);
  }
  return figures;
}

const routeOf = (request: IncomingMessage): string =>
  `${request.method ?? '?'} ${(request.url ?? '').split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')}`;

// Every request of every http.Server of the process runs inside its route's figures.
const emit = Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
Server.prototype.emit = function emitWithRoute(this: Server, event: string | symbol, ...args: unknown[]): boolean {
  if (event !== 'request') return emit.call(this, event, ...args);
  const [request, response] = args as [IncomingMessage, ServerResponse];
  const figures = figuresOf(routeOf(request));
  figures.requests += 1;
  const started = performance.now();
  const statements: string[] = [];
  const steps: Step[] = [];
  response.once('finish', () => {
    const ms = performance.now() - started;
    figures.serverMs += ms;
    figures.statements = statements;
    if (ms >= SLOW_REQUEST_MS && slowRequests.length < SLOW_REQUESTS_KEPT) {
      slowRequests.push({ route: routeOf(request), at: performance.timeOrigin + started, ms, steps });
    }
  });
  return current.run({ figures, statements, started, steps }, () => emit.call(this, event, ...args));
} as typeof Server.prototype.emit;

type Callback = (...values: unknown[]) => void;

// The same module objects the api loads: their prototypes are patched in place.
const clientPrototype = Client.prototype as unknown as Record<string, unknown>;
const poolPrototype = Pool.prototype as unknown as Record<string, unknown>;

const query = clientPrototype.query as (...args: unknown[]) => unknown;
clientPrototype.query = function queryCounted(this: unknown, ...args: unknown[]): unknown {
  const request = current.getStore();
  const figures = request?.figures ?? figuresOf(OUTSIDE);
  figures.queries += 1;
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | null)?.text;
  const key = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim().slice(0, 100) : '(not text)';
  request?.statements.push(key);
  let statement = statements.get(key);
  if (statement === undefined) statements.set(key, (statement = { count: 0, ms: 0 }));
  statement.count += 1;
  const started = performance.now();
  const step = stepOf(key.slice(0, 60));
  const done = (): void => {
    const ms = performance.now() - started;
    figures.queryMs += ms;
    statement.ms += ms;
    if (step !== null) step.ms = ms;
  };
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const callback = args[last] as Callback;
    args[last] = (...values: unknown[]) => {
      done();
      callback(...values);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (result instanceof Promise) result.then(done, done);
  return result;
};

const connect = poolPrototype.connect as (...args: unknown[]) => unknown;
poolPrototype.connect = function connectTimed(this: { waitingCount: number }, ...args: unknown[]): unknown {
  const figures = current.getStore()?.figures ?? figuresOf(OUTSIDE);
  figures.connects += 1;
  const started = performance.now();
  const step = stepOf('(pool connection)');
  const handedOver = (): void => {
    const waited = performance.now() - started;
    if (step !== null) step.ms = waited;
    figures.poolWaitMs += waited;
    figures.maxPoolWaitMs = Math.max(figures.maxPoolWaitMs, waited);
    if (waited > 1) figures.waitedConnects += 1;
  };
  let result: unknown;
  if (typeof args[0] === 'function') {
    const callback = args[0] as Callback;
    result = connect.call(this, (...values: unknown[]) => {
      handedOver();
      callback(...values);
    });
  } else {
    result = connect.apply(this, args);
    if (result instanceof Promise) result.then(handedOver, handedOver);
  }
  // A request the pool cannot serve at once is queued synchronously.
  maxWaitingClients = Math.max(maxWaitingClients, this.waitingCount);
  return result;
};

// The profiler, started and stopped by the orchestrator: it writes the command into the probe file's
// `.command` sibling before the signal.
let profiler: Session | null = null;

function profilerCommand(file: string, then: () => void): void {
  let command = '';
  try {
    command = readFileSync(`${file}.command`, 'utf8').trim();
    rmSync(`${file}.command`);
  } catch {
    // no command: only the figures
  }
  if (command === 'profile-start' && profiler === null) {
    const session = new Session();
    session.connect();
    profiler = session;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start', then)));
  } else if (command === 'profile-stop' && profiler !== null) {
    const session = profiler;
    profiler = null;
    session.post('Profiler.stop', (error, result) => {
      if (error === null) writeFileSync(`${file}.cpuprofile`, JSON.stringify(result.profile));
      session.disconnect();
      then();
    });
  } else then();
}

process.on('SIGUSR2', () => {
  const file = probeFileOf(process.pid);
  profilerCommand(file, () => {
    dumps += 1;
    const utilization = performance.eventLoopUtilization();
    // Written aside and renamed, so the orchestrator never reads half a file.
    writeFileSync(
      `${file}.partial`,
      JSON.stringify({
        dumps,
        at: performance.now(),
        eventLoop: { activeMs: utilization.active, idleMs: utilization.idle },
        cpu: process.cpuUsage(),
        maxWaitingClients,
        stalls,
        slowRequests,
        routes: Object.fromEntries(routes),
        statements: Object.fromEntries(statements),
      }),
    );
    renameSync(`${file}.partial`, file);
    maxWaitingClients = 0;
    // Lists, unlike the counters, start again at every write: each holds what happened since the last.
    stalls = [];
    slowRequests = [];
  });
});
