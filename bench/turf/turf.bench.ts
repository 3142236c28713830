import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { childProcessEnvironment, loadAppConfig } from '@app/config';
import { buildDataSourceOptions, type DataAccess, DatabaseRole, type RowAccessScope, RowScopeRunner } from '@app/database';
import { RecordingLogDestination } from '@app/observability';
import { prepareProcess } from '@app/runtime';
import { parseVoterFilter, VoterSearchRepository } from '@app/voter-file';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { ApiSession, createBenchUser, type Credentials } from '../shared/api-session';
import { generateNcvoterFile, importWithCli, withMigratedBenchDatabase } from '../shared/bench-files.util';

/**
 * bench/turf: on a generated alliance of a million voters, an anchor lead cutting turf through
 * the real HTTP api (the live count of its county, create + materialize, a split into 27 parts by
 * precinct and into 27 equal parts, and one assignment to a member), then the cost of row-level
 * security: the api's own voter search SQL with the row policies on (connected as crossroads_api,
 * the scope entered) and off (the owner, who bypasses them), interleaved in one run, for the whole
 * alliance (a data lead), an anchor (its region and its members' turf) and a member (one 27th of
 * the county). Prints one JSON line; progress goes to stderr.
 */
const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    'count-runs': { type: 'string', default: '30' },
    'search-runs': { type: 'string', default: '40' },
    // EXPLAIN (ANALYZE, BUFFERS) of every statement of every compared search, on and off, to stderr.
    explain: { type: 'boolean', default: false },
    // Leaves the bench database in place (its name goes to stderr), to look into it afterwards.
    'keep-database': { type: 'boolean', default: false },
  },
});
const QUICK = options.quick === true;
const ROWS = QUICK ? 20_000 : Number(options.rows);
// Each round materializes two fresh county turfs (one split by precinct, one into equal parts, whose first part is assigned).
const ROUNDS = QUICK ? 1 : Number(options.rounds);
const COUNT_RUNS = QUICK ? 5 : Number(options['count-runs']);
const SEARCH_RUNS = QUICK ? 5 : Number(options['search-runs']);
const WARM_UPS = QUICK ? 1 : 3;
const PARTS = 27;
const ALLIANCE = 'bench-turf';

type NamedSearch = readonly [name: string, query: string];

/** The searches bench/voter-import times, as a data lead asks them of the whole alliance. */
const ALLIANCE_SEARCHES = (zip: string): readonly NamedSearch[] => [
  ['county', 'county=WAKE'],
  ['county+precinct', 'county=MECKLENBURG&precinct=07-03'],
  ['zip', `zip=${zip}`],
  ['party+age', 'party=democratic&ageMin=18&ageMax=35'],
  ['county+propensity+phone', 'county=DURHAM&propensity=occasional&hasPhone=true'],
];

/** The same shapes inside the anchor's county, plus no filter at all: the first thing a member lead sees. */
const ORGANIZATION_SEARCHES = (county: string, precinct: string, zip: string): readonly NamedSearch[] => [
  ['all', ''],
  ['county', `county=${encodeURIComponent(county)}`],
  ['county+precinct', `county=${encodeURIComponent(county)}&precinct=${encodeURIComponent(precinct)}`],
  ['zip', `zip=${zip}`],
  ['party+age', 'party=democratic&ageMin=18&ageMax=35'],
  ['county+propensity+phone', `county=${encodeURIComponent(county)}&propensity=occasional&hasPhone=true`],
];

async function main(): Promise<void> {
  const { config, services } = await prepareProcess();
  const work = mkdtempSync(join(tmpdir(), 'crossroads-bench-turf-'));
  try {
    await withMigratedBenchDatabase(services.endpoints.databaseUrl, { keep: options['keep-database'] === true, log: progress }, async (benchUrl) => {
      const owner = new Client({ connectionString: benchUrl });
      await owner.connect();
      try {
        const [{ id: allianceId }] = (await owner.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ($1, $1) RETURNING id`, [ALLIANCE])).rows;
        progress(`generating ${ROWS} voters`);
        const file = generateNcvoterFile(join(work, 'ncvoter.txt'), ROWS, 11);
        progress('importing them with voters import');
        const imported = await importWithCli(
          file,
          ALLIANCE,
          childProcessEnvironment({ databaseUrl: benchUrl, redisUrl: services.endpoints.redisUrl }, { LOG_LEVEL: 'warn' }),
        );
        // Timed in steady state, as leads meet them: not while autovacuum works through the rows just loaded.
        await owner.query('VACUUM (ANALYZE) voter');
        await owner.query('CHECKPOINT');

        const place = await largestCounty(owner, allianceId);
        const setup = await createOrganizationsAndUsers(owner, allianceId, place.county);
        progress(`anchor region ${place.county} (${place.voters} active voters); starting the api`);

        const apiConfig = loadAppConfig({
          DATABASE_URL: benchUrl,
          REDIS_URL: services.endpoints.redisUrl,
          QUEUE_PREFIX: config.queue.prefix,
          LOG_LEVEL: 'warn',
          API_PORT: '0',
        });
        const api = await createApiApplication({
          config: apiConfig,
          endpoints: { databaseUrl: benchUrl, redisUrl: services.endpoints.redisUrl },
          logDestination: new RecordingLogDestination(),
        });
        await api.listen(0, '127.0.0.1');
        let turf: TurfFigures;
        let dataLeadHttp: Map<string, { p50Ms: number; total: number }>;
        const zip = await firstZip(owner, allianceId, 'WAKE');
        try {
          const origin = `http://127.0.0.1:${(api.getHttpServer().address() as { port: number }).port}`;
          const anchorLead = await ApiSession.signIn(origin, setup.anchorLead);
          const dataLead = await ApiSession.signIn(origin, setup.dataLead);
          turf = await timeTurf(anchorLead, place.county, setup);
          dataLeadHttp = await timeHttpSearches(dataLead, ALLIANCE_SEARCHES(zip));
        } finally {
          await api.close();
        }

        // The member keeps one assignment (one 27th of the county, in one campaign); the other rounds' go.
        await owner.query(`DELETE FROM turf_assignment WHERE organization_id = $1 AND id <> $2`, [setup.memberIds[0], turf.keptAssignmentId]);
        await owner.query('VACUUM (ANALYZE) turf, turf_voter, turf_assignment, turf_assignment_voter');
        await owner.query('CHECKPOINT');

        progress('row-level security: on against off');
        const anchorScope: RowAccessScope = {
          kind: 'organizations',
          allianceId,
          organizationIds: [setup.anchorId, ...setup.memberIds],
          regionCounties: [place.county],
        };
        const memberScope: RowAccessScope = { kind: 'organizations', allianceId, organizationIds: [setup.memberIds[0]], regionCounties: [] };
        const precinct = await firstPrecinct(owner, allianceId, place.county);
        const countyZip = await firstZip(owner, allianceId, place.county);
        const rowSecurity = await withRowSecurityComparison(benchUrl, async (compare) => ({
          alliance: await compare('alliance', { kind: 'alliance', allianceId }, ALLIANCE_SEARCHES(zip), dataLeadHttp),
          anchor: await compare('anchor', anchorScope, ORGANIZATION_SEARCHES(place.county, precinct, countyZip)),
          member: await compare('member', memberScope, ORGANIZATION_SEARCHES(place.county, precinct, countyZip)),
        }));

        const figures = {
          benchmark: 'turf',
          quick: QUICK,
          voters: ROWS,
          importSeconds: imported.seconds,
          postgres: (await owner.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
          county: place.county,
          countyVoters: place.voters,
          rounds: ROUNDS,
          parts: PARTS,
          count: turf.count,
          createMs: turf.createMs,
          materializeMs: turf.materializeMs,
          createAndMaterializeMs: turf.createAndMaterializeMs,
          splitByPrecinctMs: turf.splitByPrecinctMs,
          splitEqualMs: turf.splitEqualMs,
          assignMs: turf.assignMs,
          precinctPartVoters: turf.precinctPartVoters,
          equalPartVoters: turf.equalPartVoters,
          perRound: turf.perRound,
          // The headline: the data lead's (alliance-wide) search, RLS on ÷ off, geometric mean over the searches.
          rlsRatio: rowSecurity.alliance.ratio,
          rowSecurity: { runsPerSearch: SEARCH_RUNS, ...rowSecurity },
        };
        process.stdout.write(`${JSON.stringify(figures)}\n`);
      } finally {
        await owner.end();
      }
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
    await services.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Set-up: the voter file, the organizations, the users

async function largestCounty(owner: Client, allianceId: string): Promise<{ county: string; voters: number }> {
  const { rows } = await owner.query<{ county: string; voters: number }>(
    `SELECT county, count(*)::int AS voters FROM voter WHERE alliance_id = $1 AND active AND county IS NOT NULL
      GROUP BY county ORDER BY count(*) DESC, county LIMIT 1`,
    [allianceId],
  );
  return rows[0];
}

async function firstPrecinct(owner: Client, allianceId: string, county: string): Promise<string> {
  const { rows } = await owner.query<{ precinct: string }>(
    `SELECT min(precinct) AS precinct FROM voter WHERE alliance_id = $1 AND county = $2 AND active AND precinct IS NOT NULL`,
    [allianceId, county],
  );
  return rows[0].precinct;
}

/** A ZIP the file really has in that county (the lowest, so one seed always gives the same). */
async function firstZip(owner: Client, allianceId: string, county: string): Promise<string> {
  const { rows } = await owner.query<{ zip5: string }>(`SELECT min(zip5) AS zip5 FROM voter WHERE alliance_id = $1 AND county = $2 AND active`, [
    allianceId,
    county,
  ]);
  return rows[0].zip5;
}

interface Setup {
  readonly anchorId: string;
  readonly memberIds: readonly string[];
  readonly memberSlugs: readonly string[];
  readonly campaignSlugs: readonly string[];
  readonly anchorLead: Credentials;
  readonly dataLead: Credentials;
}

/**
 * An anchor whose region is the county, two member organizations, one campaign per round (each
 * round assigns the same voters), a data lead and the anchor's lead: written as the owner, as an
 * operator would, since the api could not write them.
 */
async function createOrganizationsAndUsers(owner: Client, allianceId: string, county: string): Promise<Setup> {
  const [{ id: anchorId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO organization (alliance_id, kind, slug, name, region_counties) VALUES ($1, 'anchor', 'bench-anchor', 'Bench Anchor', ARRAY[$2]) RETURNING id`,
      [allianceId, county],
    )
  ).rows;
  const memberSlugs = ['bench-member-1', 'bench-member-2'];
  const memberIds: string[] = [];
  for (const slug of memberSlugs) {
    const { rows } = await owner.query<{ id: string }>(
      `INSERT INTO organization (alliance_id, kind, parent_anchor_id, slug, name) VALUES ($1, 'member', $2, $3, $3) RETURNING id`,
      [allianceId, anchorId, slug],
    );
    memberIds.push(rows[0].id);
  }
  const campaignSlugs = Array.from({ length: ROUNDS }, (_, index) => `bench-round-${index + 1}`);
  for (const slug of campaignSlugs) await owner.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, $2, $2)`, [allianceId, slug]);
  return {
    anchorId,
    memberIds,
    memberSlugs,
    campaignSlugs,
    anchorLead: await createBenchUser(owner, { allianceId, organizationId: anchorId, role: 'anchor_lead' }),
    dataLead: await createBenchUser(owner, { allianceId, organizationId: null, role: 'data_lead' }),
  };
}

// ---------------------------------------------------------------------------------------------
// Turf through the HTTP api, as the anchor lead

interface TurfBody {
  readonly id: string;
  readonly voterCount: number | null;
}

interface TurfFigures {
  readonly count: { p50Ms: number; p95Ms: number; runs: number };
  readonly createMs: number;
  readonly materializeMs: number;
  readonly createAndMaterializeMs: number;
  readonly splitByPrecinctMs: number;
  readonly splitEqualMs: number;
  readonly assignMs: number;
  readonly precinctPartVoters: { min: number; max: number };
  readonly equalPartVoters: { min: number; max: number };
  readonly perRound: ReadonlyArray<Record<string, number>>;
  readonly keptAssignmentId: string;
}

async function timeTurf(anchorLead: ApiSession, county: string, setup: Setup): Promise<TurfFigures> {
  const filter = { county: [county] };
  const countTimings: number[] = [];
  for (let run = -WARM_UPS; run < COUNT_RUNS; run += 1) {
    const [milliseconds, { total }] = await timedMs(() => anchorLead.post<{ total: number }>('/api/turfs/count', { alliance: ALLIANCE, filter }, 200));
    if (total <= 0) throw new Error(`the count of ${county} answered ${total}`);
    if (run >= 0) countTimings.push(milliseconds);
  }
  progress(`count of ${county}: p50 ${round(percentile(countTimings, 0.5), 1)} ms`);

  const materialized = async (name: string): Promise<{ turf: TurfBody; createMs: number; materializeMs: number }> => {
    const [createMs, draft] = await timedMs(() => anchorLead.post<TurfBody>('/api/turfs', { alliance: ALLIANCE, name, filter }, 201));
    const [materializeMs, turf] = await timedMs(() => anchorLead.post<TurfBody>(`/api/turfs/${draft.id}/materialize`, {}, 200));
    return { turf, createMs, materializeMs };
  };
  const creates: number[] = [];
  const materializes: number[] = [];
  const perRound: Array<Record<string, number>> = [];
  const precinctSizes: number[] = [];
  const equalSizes: number[] = [];
  let keptAssignmentId = '';
  for (let index = 0; index < ROUNDS; index += 1) {
    const first = await materialized(`${county} by precinct, round ${index + 1}`);
    const second = await materialized(`${county} in equal parts, round ${index + 1}`);
    for (const each of [first, second]) {
      creates.push(each.createMs);
      materializes.push(each.materializeMs);
    }
    const splitByPrecinct = () =>
      timedMs(() => anchorLead.post<{ parts: TurfBody[] }>(`/api/turfs/${first.turf.id}/split`, { parts: PARTS, method: 'precinct' }, 201));
    const splitEqual = () =>
      timedMs(() => anchorLead.post<{ parts: TurfBody[] }>(`/api/turfs/${second.turf.id}/split`, { parts: PARTS, method: 'equal' }, 201));
    // Whichever split runs first also pays for writing back the two materializations just made:
    // the order alternates, so that cost falls on both alike.
    let precinctResult: Awaited<ReturnType<typeof splitByPrecinct>>;
    let equalResult: Awaited<ReturnType<typeof splitEqual>>;
    if (index % 2 === 0) {
      precinctResult = await splitByPrecinct();
      equalResult = await splitEqual();
    } else {
      equalResult = await splitEqual();
      precinctResult = await splitByPrecinct();
    }
    const [splitByPrecinctMs, byPrecinct] = precinctResult;
    const [splitEqualMs, equal] = equalResult;
    precinctSizes.push(...byPrecinct.parts.map((part) => part.voterCount ?? 0));
    equalSizes.push(...equal.parts.map((part) => part.voterCount ?? 0));
    const [assignMs, assignment] = await timedMs(() =>
      anchorLead.post<{ id: string; voterCount: number }>(
        `/api/turfs/${equal.parts[0].id}/assignments`,
        { campaign: setup.campaignSlugs[index], organization: setup.memberSlugs[0] },
        201,
      ),
    );
    if (assignment.voterCount !== equal.parts[0].voterCount)
      throw new Error(`the assignment took ${assignment.voterCount} of ${equal.parts[0].voterCount} voters`);
    if (index === 0) keptAssignmentId = assignment.id;
    perRound.push({
      createMs: round(first.createMs + second.createMs, 1),
      materializeMs: round((first.materializeMs + second.materializeMs) / 2, 1),
      splitByPrecinctMs: round(splitByPrecinctMs, 1),
      splitEqualMs: round(splitEqualMs, 1),
      assignMs: round(assignMs, 1),
      voters: first.turf.voterCount ?? 0,
    });
    progress(`round ${index + 1}: ${JSON.stringify(perRound[perRound.length - 1])}`);
  }
  return {
    count: { p50Ms: round(percentile(countTimings, 0.5), 1), p95Ms: round(percentile(countTimings, 0.95), 1), runs: COUNT_RUNS },
    createMs: round(median(creates), 1),
    materializeMs: round(median(materializes), 1),
    createAndMaterializeMs: round(median(creates.map((create, index) => create + materializes[index])), 1),
    splitByPrecinctMs: round(median(perRound.map((each) => each.splitByPrecinctMs)), 1),
    splitEqualMs: round(median(perRound.map((each) => each.splitEqualMs)), 1),
    assignMs: round(median(perRound.map((each) => each.assignMs)), 1),
    precinctPartVoters: { min: Math.min(...precinctSizes), max: Math.max(...precinctSizes) },
    equalPartVoters: { min: Math.min(...equalSizes), max: Math.max(...equalSizes) },
    perRound,
    keptAssignmentId,
  };
}

/** The alliance searches through GET /api/voters as the data lead: for context next to the SQL alone, and to check the totals agree. */
async function timeHttpSearches(dataLead: ApiSession, searches: readonly NamedSearch[]): Promise<Map<string, { p50Ms: number; total: number }>> {
  const results = new Map<string, { p50Ms: number; total: number }>();
  for (const [name, query] of searches) {
    const timings: number[] = [];
    let total = 0;
    for (let run = -WARM_UPS; run < SEARCH_RUNS; run += 1) {
      const [milliseconds, body] = await timedMs(() => dataLead.get<{ total: number }>(`/api/voters?alliance=${ALLIANCE}&limit=50&${query}`));
      if (run >= 0) timings.push(milliseconds);
      total = body.total;
    }
    results.set(name, { p50Ms: round(percentile(timings, 0.5), 1), total });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Row-level security: the api's search SQL, on and off

/**
 * `off`: the repository's work in one plain transaction, connected as the owner, so no row policy
 * applies. `on` is the api's own RowScopeRunner on a crossroads_api connection (BEGIN and the scope
 * in one round trip, then the same statements). Either way the repository writes the same SQL with
 * the same explicit conditions.
 */
class OwnerTransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(_scope: RowAccessScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

type ScopeRunner = Pick<RowScopeRunner, 'run'>;

type Compare = (
  label: string,
  scope: RowAccessScope,
  searches: readonly NamedSearch[],
  http?: Map<string, { p50Ms: number; total: number }>,
) => Promise<ScopeComparison>;

interface ScopeComparison {
  /** Geometric mean of the searches' on ÷ off ratios. */
  readonly ratio: number;
  readonly searches: Record<string, Record<string, number>>;
}

async function withRowSecurityComparison<T>(databaseUrl: string, work: (compare: Compare) => Promise<T>): Promise<T> {
  // One connection each, so every run of a side meets the same backend and its caches.
  const on = await new DataSource(buildDataSourceOptions(databaseUrl, 1, 'bench-turf-rls-on', DatabaseRole.Api)).initialize();
  const off = await new DataSource(buildDataSourceOptions(databaseUrl, 1, 'bench-turf-rls-off')).initialize();
  try {
    const onRunner = new RowScopeRunner(on);
    const offRunner = new OwnerTransactionRunner(off);
    const onSearch = new VoterSearchRepository(onRunner as unknown as RowScopeRunner);
    const offSearch = new VoterSearchRepository(offRunner as unknown as RowScopeRunner);
    const [{ role }] = (await on.query(`SELECT current_user AS role`)) as Array<{ role: string }>;
    if (role !== (DatabaseRole.Api as string)) throw new Error(`the RLS-on connection runs as ${role}, not ${DatabaseRole.Api}`);
    return await work(async (label, scope, searches, http) => {
      const access: DataAccess = { rowScope: scope, visibility: scope };
      const perSearch: Record<string, Record<string, number>> = {};
      const ratios: number[] = [];
      for (const [name, query] of searches) {
        const filter = parseVoterFilter(scope.allianceId, Object.fromEntries(new URLSearchParams(query)));
        const onTimings: number[] = [];
        const offTimings: number[] = [];
        let totals: [number, number] = [0, 0];
        for (let run = -WARM_UPS; run < SEARCH_RUNS; run += 1) {
          // Interleaved, and which side goes first alternates, so drift and warm caches fall on both alike.
          const sides = run % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
          for (const side of sides) {
            const [milliseconds, result] = await timedMs(() => (side === 'on' ? onSearch : offSearch).searchWithTotal(filter, { limit: 50 }, access));
            if (run < 0) continue;
            if (side === 'on') {
              onTimings.push(milliseconds);
              totals = [result.total, totals[1]];
            } else {
              offTimings.push(milliseconds);
              totals = [totals[0], result.total];
            }
          }
        }
        if (totals[0] !== totals[1]) throw new Error(`${label} ${name}: RLS on found ${totals[0]}, off ${totals[1]}`);
        const expected = http?.get(name);
        if (expected !== undefined && expected.total !== totals[0]) throw new Error(`${label} ${name}: the api found ${expected.total}, the SQL ${totals[0]}`);
        const onP50 = percentile(onTimings, 0.5);
        const offP50 = percentile(offTimings, 0.5);
        ratios.push(onP50 / offP50);
        perSearch[name] = {
          total: totals[0],
          onP50Ms: round(onP50),
          offP50Ms: round(offP50),
          ratio: round(onP50 / offP50),
          ...(expected === undefined ? {} : { httpP50Ms: expected.p50Ms }),
        };
        if (options.explain) await explain(label, name, scope, filter, access, onRunner, offRunner);
      }
      const ratio = round(Math.exp(ratios.reduce((sum, each) => sum + Math.log(each), 0) / ratios.length));
      progress(`${label}: RLS on ÷ off ${ratio} ${JSON.stringify(perSearch)}`);
      return { ratio, searches: perSearch };
    });
  } finally {
    await on.destroy();
    await off.destroy();
  }
}

/** Prints EXPLAIN (ANALYZE, BUFFERS) of the search's statements, as the repository writes them, on and off. */
async function explain(
  label: string,
  name: string,
  scope: RowAccessScope,
  filter: ReturnType<typeof parseVoterFilter>,
  access: DataAccess,
  onRunner: ScopeRunner,
  offRunner: ScopeRunner,
): Promise<void> {
  const statements: Array<{ sql: string; parameters: unknown[] }> = [];
  const recording = {
    run: <T>(runScope: RowAccessScope, work: (manager: EntityManager) => Promise<T>) =>
      offRunner.run(runScope, (manager) =>
        work({
          query: (sql: string, parameters: unknown[]) => {
            statements.push({ sql, parameters });
            return manager.query(sql, parameters);
          },
        } as unknown as EntityManager),
      ),
  };
  await new VoterSearchRepository(recording as unknown as RowScopeRunner).searchWithTotal(filter, { limit: 50 }, access);
  for (const { sql, parameters } of statements) {
    for (const [side, runner] of [
      ['on', onRunner],
      ['off', offRunner],
    ] as const) {
      const plan = (await runner.run(scope, (manager) => manager.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters))) as Array<{ 'QUERY PLAN': string }>;
      process.stderr.write(
        `\n=== ${label} ${name} RLS ${side}: ${sql.replace(/\s+/g, ' ').slice(0, 120)}…\n${plan.map((line) => line['QUERY PLAN']).join('\n')}\n`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function timedMs<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values: readonly number[], share: number): number {
  if (share === 0.5) return median(values);
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

function progress(message: string): void {
  process.stderr.write(`bench/turf: ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/turf failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
