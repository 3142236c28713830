import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { probeFileOf } from './load-plan';

/**
 * bench/console-load --diagnose: preloaded (`node --require`) into the api and the dialer worker,
 * never part of a measured run. It counts, per HTTP route (method and path with ids replaced):
 * requests, their time from arrival to the response's end, PostgreSQL queries and their time, and
 * the time spent waiting for a pooled connection; work outside any request (worker jobs, socket
 * messages) goes under "(outside a request)". The event loop's utilization is kept too. On
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
const current = new AsyncLocalStorage<{ readonly figures: RouteFigures; readonly statements: string[] }>();
let maxWaitingClients = 0;
/** Every statement's count and time, by its first 100 characters (the same statement with other parameters is the same text). */
const statements = new Map<string, { count: number; ms: number }>();
let dumps = 0;

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
  response.once('finish', () => {
    figures.serverMs += performance.now() - started;
    figures.statements = statements;
  });
  return current.run({ figures, statements }, () => emit.call(this, event, ...args));
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
  const done = (): void => {
    const ms = performance.now() - started;
    figures.queryMs += ms;
    statement.ms += ms;
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
  const handedOver = (): void => {
    const waited = performance.now() - started;
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
        routes: Object.fromEntries(routes),
        statements: Object.fromEntries(statements),
      }),
    );
    renameSync(`${file}.partial`, file);
    maxWaitingClients = 0;
  });
});
