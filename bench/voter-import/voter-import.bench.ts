import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { childProcessEnvironment, loadAppConfig } from '@app/config';
import { RecordingLogDestination } from '@app/observability';
import { prepareProcess } from '@app/runtime';
import { NCVOTER_COLUMNS } from '@app/voter-file';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { ApiSession, createBenchUser, type Credentials } from '../shared/api-session';
import { BUILT_CLI, generateNcvoterFile, withMigratedBenchDatabase } from '../shared/bench-files.util';

/**
 * bench/voter-import: in one run, on the same generated ncvoter file, (a) a raw COPY into a
 * plain unindexed table, (b) our full import into an empty alliance and (c) a re-import of the
 * same file; then the peak RSS of the import process at two file sizes and the p95 of five
 * typical GET /api/voters searches. Prints one JSON line.
 */
const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'small-rows': { type: 'string', default: '250000' },
    quick: { type: 'boolean', default: false },
    'search-runs': { type: 'string', default: '40' },
    rounds: { type: 'string', default: '3' },
  },
});
const QUICK = options.quick === true;
const ROWS = QUICK ? 20_000 : Number(options.rows);
const SMALL_ROWS = QUICK ? 5_000 : Number(options['small-rows']);
const SEARCH_RUNS = QUICK ? 5 : Number(options['search-runs']);
// This shared 2-core machine varies 10–20% from minute to minute: each round times a, b and c
// back to back, and the figures are the medians over rounds.
const ROUNDS = QUICK ? 1 : Number(options.rounds);

/** What a data lead or an anchor cutting turf typically asks for; the ZIP is one the file really has. */
const searches = (zip: string): ReadonlyArray<readonly [string, string]> => [
  ['county', 'county=WAKE'],
  ['county+precinct', 'county=MECKLENBURG&precinct=07-03'],
  ['zip', `zip=${zip}`],
  ['party+age', 'party=democratic&ageMin=18&ageMax=35'],
  ['county+propensity+phone', 'county=DURHAM&propensity=occasional&hasPhone=true'],
];

async function main(): Promise<void> {
  const { config, services } = await prepareProcess();
  const work = mkdtempSync(join(tmpdir(), 'crossroads-bench-'));
  try {
    await withMigratedBenchDatabase(services.endpoints.databaseUrl, {}, async (benchUrl) => {
      const database = new Client({ connectionString: benchUrl });
      await database.connect();
      try {
        const largeAlliances = Array.from({ length: ROUNDS }, (_, round) => (round === 0 ? 'bench-large' : `bench-large-${round + 1}`));
        for (const slug of [...largeAlliances, 'bench-small']) await database.query(`INSERT INTO alliance (slug, name) VALUES ($1, $1)`, [slug]);
        const environment = childProcessEnvironment({ databaseUrl: benchUrl, redisUrl: services.endpoints.redisUrl }, { LOG_LEVEL: 'warn' });

        const large = generateNcvoterFile(join(work, 'large.txt'), ROWS, 11);
        const small = generateNcvoterFile(join(work, 'small.txt'), SMALL_ROWS, 12);

        const rounds: Round[] = [];
        for (const alliance of largeAlliances) {
          const copySeconds = await timed(() => rawCopy(database, large));
          // Dropped at once: autovacuum would otherwise vacuum and analyze the million copied rows
          // while b runs, on the same two cores.
          await database.query('DROP TABLE baseline_copy');
          const first = await importFile(large, alliance, environment);
          const again = await importFile(large, alliance, environment);
          rounds.push({ copySeconds, first, again, firstJobSeconds: await jobSeconds(database, first), againJobSeconds: await jobSeconds(database, again) });
        }
        const smallImport = await importFile(small, 'bench-small', environment);
        const [{ zip5: zip }] = (await database.query<{ zip5: string }>(`SELECT zip5 FROM voter WHERE county = 'WAKE' AND zip5 IS NOT NULL LIMIT 1`)).rows;
        // Searches are timed in steady state, as data leads meet them: not while autovacuum and the
        // checkpointer are still working through the million rows just loaded.
        await database.query('VACUUM (ANALYZE) voter');
        await database.query('CHECKPOINT');
        const [{ id: largeAllianceId }] = (await database.query<{ id: string }>(`SELECT id FROM alliance WHERE slug = 'bench-large'`)).rows;
        const dataLead = await createBenchUser(database, { allianceId: largeAllianceId, organizationId: null, role: 'data_lead' });
        const search = await timeSearches(benchUrl, services.endpoints.redisUrl, config.queue.prefix, searches(zip), dataLead);

        const [{ first, again }] = rounds;
        const copySeconds = median(rounds.map((round) => round.copySeconds));
        const importSeconds = median(rounds.map((round) => round.first.seconds));
        const reimportSeconds = median(rounds.map((round) => round.again.seconds));
        const figures = {
          benchmark: 'voter-import',
          quick: QUICK,
          rows: ROWS,
          fileMegabytes: round(statSync(large).size / 1e6, 1),
          postgres: (await database.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
          rounds: ROUNDS,
          copySeconds: round(copySeconds),
          importSeconds: round(importSeconds),
          reimportSeconds: round(reimportSeconds),
          copyRowsPerSecond: Math.round(ROWS / copySeconds),
          importRowsPerSecond: Math.round(ROWS / importSeconds),
          reimportRowsPerSecond: Math.round(ROWS / reimportSeconds),
          // Each round's ratio is taken within the round; these are their medians.
          importOverCopy: round(median(rounds.map((each) => each.first.seconds / each.copySeconds))),
          reimportOverCopy: round(median(rounds.map((each) => each.again.seconds / each.copySeconds))),
          // The same ratios over the import job alone (no process start-up, no ANALYZE after commit); for reference.
          jobOverCopy: {
            import: round(median(rounds.map((each) => each.firstJobSeconds / each.copySeconds))),
            reimport: round(median(rounds.map((each) => each.againJobSeconds / each.copySeconds))),
          },
          perRound: rounds.map((each) => ({ a: round(each.copySeconds), b: round(each.first.seconds), c: round(each.again.seconds) })),
          importCounts: { inserted: first.result.inserted, updated: first.result.updated, unchanged: first.result.unchanged, rejected: first.result.rejected },
          reimportCounts: { inserted: again.result.inserted, updated: again.result.updated, unchanged: again.result.unchanged },
          peakRssMegabytes: {
            [`rows${SMALL_ROWS}`]: smallImport.peakRssMegabytes,
            [`rows${ROWS}`]: Math.max(...rounds.map((each) => each.first.peakRssMegabytes)),
          },
          search,
        };
        process.stdout.write(`${JSON.stringify(figures)}\n`);
      } finally {
        await database.end();
      }
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
    await services.stop();
  }
}

/** The baseline: the file's lines, as they are, into a plain table with one text column per header column. */
async function rawCopy(database: Client, path: string): Promise<void> {
  await database.query(`CREATE TABLE baseline_copy (${NCVOTER_COLUMNS.map((column) => `${column} text`).join(', ')})`);
  await pipeline(createReadStream(path, { highWaterMark: 256 * 1024 }), new SkipFirstLine(), database.query(copyFrom('COPY baseline_copy FROM STDIN')));
}

interface Round {
  readonly copySeconds: number;
  readonly first: ImportRun;
  readonly again: ImportRun;
  readonly firstJobSeconds: number;
  readonly againJobSeconds: number;
}

interface ImportRun {
  readonly seconds: number;
  readonly peakRssMegabytes: number;
  readonly result: { importId: string; inserted: number; updated: number; unchanged: number; rejected: number; status: string };
}

/** The import's own span as its row records it (claimed → committed): what the console shows, without process start-up. */
async function jobSeconds(database: Client, run: ImportRun): Promise<number> {
  const { rows } = await database.query<{ seconds: number }>(
    'SELECT extract(epoch FROM finished_at - started_at)::float8 AS seconds FROM voter_import WHERE id = $1',
    [run.result.importId],
  );
  return rows[0].seconds;
}

/** `voters import` as a data lead runs it, in its own process, its peak RSS read from /proc as it runs. */
async function importFile(path: string, alliance: string, environment: NodeJS.ProcessEnv): Promise<ImportRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [BUILT_CLI, 'voters', 'import', path, '--alliance', alliance], {
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  let peakKilobytes = 0;
  const sampler = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKilobytes = Math.max(peakKilobytes, Number(match[1]));
    } catch {
      // The process has just exited.
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ImportRun['result'];
  if (code !== 0 || result.status !== 'succeeded') throw new Error(`voters import exited ${String(code)}: ${stdout}`);
  return { seconds, peakRssMegabytes: Math.round(peakKilobytes / 1024), result };
}

/** Five typical searches through the real HTTP API as a signed-in data lead, first page and total, each run SEARCH_RUNS times after a warm-up. */
async function timeSearches(
  databaseUrl: string,
  redisUrl: string,
  queuePrefix: string,
  queries: ReadonlyArray<readonly [string, string]>,
  credentials: Credentials,
): Promise<Record<string, unknown>> {
  const config = loadAppConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn', API_PORT: '0' });
  const api = await createApiApplication({ config, endpoints: { databaseUrl, redisUrl }, logDestination: new RecordingLogDestination() });
  await api.listen(0, '127.0.0.1');
  try {
    const address = api.getHttpServer().address() as { port: number };
    const origin = `http://127.0.0.1:${address.port}`;
    const headers = { cookie: (await ApiSession.signIn(origin, credentials)).cookie };
    const base = `${origin}/api/voters?alliance=bench-large&limit=50&`;
    const all: number[] = [];
    const perSearch: Record<string, { p95Ms: number; total: number }> = {};
    for (const [name, query] of queries) {
      const timings: number[] = [];
      let total = 0;
      for (let run = -2; run < SEARCH_RUNS; run += 1) {
        const started = performance.now();
        const response = await fetch(`${base}${query}`, { headers });
        const body = (await response.json()) as { total: number };
        if (!response.ok) throw new Error(`GET /api/voters?${query} answered ${response.status}: ${JSON.stringify(body)}`);
        if (run >= 0) timings.push(performance.now() - started);
        total = body.total;
      }
      perSearch[name] = { p95Ms: round(percentile(timings, 0.95), 1), total };
      all.push(...timings);
    }
    return { p95Ms: round(percentile(all, 0.95), 1), runsPerSearch: SEARCH_RUNS, searches: perSearch };
  } finally {
    await api.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

class SkipFirstLine extends Transform {
  private skipped = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.skipped) return callback(null, chunk);
    const newline = chunk.indexOf(0x0a);
    if (newline === -1) return callback();
    this.skipped = true;
    callback(null, chunk.subarray(newline + 1));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/voter-import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
