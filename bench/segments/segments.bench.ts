import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Client, escapeLiteral } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { type AppConfig, childProcessEnvironment, loadAppConfig } from '@app/config';
import { allianceWideAccess } from '@app/database';
import { prepareProcess } from '@app/runtime';
import { SegmentApplicationService, type SegmentActor, SegmentModelService, SegmentModelTrainingService } from '@app/segments';
import { VoterAttributesRepository } from '@app/segments/features/voter-attributes.repository';
import { bayesOptimalAccuracy, expectedAccuracy, holdoutIndexes, loadVoterTruth, pollCsv, samplePoll, type VoterTruth } from '@app/segments/synthetic-poll';
import { CliModule } from '../../apps/cli/src/cli.module';
import { generateNcvoterFile, importWithCli, withMigratedBenchDatabase } from '../shared/bench-files.util';

/**
 * bench/segments: on a generated alliance of a million voters, (1) how close models trained on
 * synthetic values polls of 1,000, 5,000 and 20,000 respondents come to the Bayes-optimal
 * classifier, judged on voters outside the poll from the segments the real apply wrote, and what
 * training costs; (2) applying the 5,000-respondent model to every voter against the I/O floor
 * (the same feature columns read with COPY, one row per voter written with COPY into a table
 * shaped like a segment_assignment partition and its primary key built), alternating in rounds.
 * Prints one JSON line; progress goes to stderr.
 */
const { values: options } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    quick: { type: 'boolean', default: false },
    // Polls drawn per size; every size uses seeds 1..seeds.
    seeds: { type: 'string', default: '3' },
    // Voters outside the poll each model is scored on (all of them when fewer are left).
    holdout: { type: 'string', default: '100000' },
    'poll-sizes': { type: 'string', default: '1000,5000,20000' },
    rounds: { type: 'string', default: '3' },
    // EXPLAIN (ANALYZE, BUFFERS) of the statement apply streams the voters' attributes with, to stderr.
    explain: { type: 'boolean', default: false },
    // Writes a V8 CPU profile (.cpuprofile, for Chrome DevTools or speedscope) of one more apply of the 5k model, in its own process.
    'cpu-profile': { type: 'string' },
    // Leaves the bench database in place (its name goes to stderr), to look into it afterwards.
    'keep-database': { type: 'boolean', default: false },
    // Internal: this file run as the process that applies one model (see applyInOwnProcess).
    'apply-model': { type: 'string' },
  },
});
const QUICK = options.quick === true;
const ROWS = QUICK ? 20_000 : Number(options.rows);
const POLL_SIZES = QUICK ? [1000, 5000] : options['poll-sizes'].split(',').map(Number);
const SEEDS = QUICK ? 1 : Number(options.seeds);
const HOLDOUT = QUICK ? 5000 : Number(options.holdout);
// This shared 2-core machine varies 10–20% from minute to minute: each round times the apply and
// the floor back to back, and the figures are the medians over rounds.
const ROUNDS = QUICK ? 1 : Number(options.rounds);
/** The poll size the targets are judged at: the accuracy ratio, and the model the apply is timed with. */
const TARGET_RESPONDENTS = 5000;
const ALLIANCE = 'bench-segments';
/** Seeds of the holdouts, apart from the polls' so a holdout is never the poll's own shuffle. */
const HOLDOUT_SEED_OFFSET = 7919;

interface ScoredModel {
  readonly respondents: number;
  readonly seed: number;
  readonly modelId: string;
  readonly trainSeconds: number;
  readonly serviceTrainingSeconds: number;
  readonly applySeconds: number;
  readonly cvAccuracy: number;
  readonly baselineAccuracy: number;
  readonly holdoutVoters: number;
  readonly bayesOptimal: number;
  readonly expected: number;
  readonly ratio: number;
}

interface ApplyRound {
  readonly order: 'apply-first' | 'floor-first';
  readonly applySeconds: number;
  readonly applicationSeconds: number;
  readonly floorSeconds: number;
  readonly floorCopySeconds: number;
  readonly floorKeySeconds: number;
  readonly ratio: number;
}

async function main(): Promise<void> {
  const { config, services } = await prepareProcess();
  // The machine is shared: the one-minute load average at the start and at the end goes with the figures.
  const loadAtStart = loadavg()[0];
  const work = mkdtempSync(join(tmpdir(), 'crossroads-bench-segments-'));
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
        // Timed in steady state: not while autovacuum works through the rows just loaded.
        await owner.query('VACUUM (ANALYZE) voter');
        await owner.query('CHECKPOINT');

        const benchConfig = loadAppConfig({
          DATABASE_URL: benchUrl,
          REDIS_URL: services.endpoints.redisUrl,
          QUEUE_PREFIX: config.queue.prefix,
          LOG_LEVEL: 'warn',
        });
        await withSegmentsApplication(benchConfig, benchUrl, services.endpoints.redisUrl, async (app) => {
          const actor: SegmentActor = { allianceId, userId: null, ...allianceWideAccess(allianceId) };
          const segments = new SegmentsDriver(app, actor, owner);

          // ---- Accuracy against the Bayes-optimal classifier, on voters outside each poll.
          const { truthSeconds, voterCount, scored, targetModelId } = await measureAccuracy(owner, allianceId, segments);

          if (options.explain) await explainAttributes(owner, allianceId);

          // ---- Apply against the I/O floor, alternating which goes first. Each apply runs in a
          // process of its own, as `segments apply` does: in this one, after the truth and the
          // training above, the same apply took about a quarter longer (see bench/README.md).
          const applyEnvironment = childProcessEnvironment({ databaseUrl: benchUrl, redisUrl: services.endpoints.redisUrl }, { LOG_LEVEL: 'warn' });
          await owner.query('VACUUM (ANALYZE) segment_assignment');
          await owner.query('CHECKPOINT');
          const rounds: ApplyRound[] = [];
          for (let index = 0; index < ROUNDS; index += 1) {
            const order = index % 2 === 0 ? 'apply-first' : 'floor-first';
            let apply: { seconds: number; applicationSeconds: number } | null = null;
            let floor: FloorTiming | null = null;
            for (const side of order === 'apply-first' ? (['apply', 'floor'] as const) : (['floor', 'apply'] as const)) {
              if (side === 'apply') {
                apply = await applyInOwnProcess(targetModelId, voterCount, applyEnvironment);
                // The fresh partition's million rows would otherwise draw autovacuum into the next timing.
                await owner.query('VACUUM segment_assignment');
              } else {
                floor = await timeFloor(benchUrl, allianceId);
              }
              await owner.query('CHECKPOINT');
            }
            if (apply === null || floor === null) throw new Error('a round timed only one side');
            rounds.push({
              order,
              applySeconds: round(apply.seconds),
              applicationSeconds: round(apply.applicationSeconds),
              floorSeconds: round(floor.seconds),
              floorCopySeconds: round(floor.copySeconds),
              floorKeySeconds: round(floor.keySeconds),
              ratio: round(apply.seconds / floor.seconds),
            });
            progress(`round ${index + 1}: ${JSON.stringify(rounds[rounds.length - 1])}`);
          }
          if (options['cpu-profile'] !== undefined) {
            const { seconds } = await applyInOwnProcess(targetModelId, voterCount, applyEnvironment, options['cpu-profile']);
            progress(`profiled apply (${round(seconds)} s) written to ${options['cpu-profile']}`);
          }

          const applySeconds = median(rounds.map((each) => each.applySeconds));
          const floorSeconds = median(rounds.map((each) => each.floorSeconds));
          const accuracy = Object.fromEntries(
            POLL_SIZES.map((respondents) => [String(respondents), summarize(scored.filter((each) => each.respondents === respondents))]),
          );
          const target = accuracy[String(TARGET_RESPONDENTS)];
          const figures = {
            benchmark: 'segments',
            quick: QUICK,
            voters: voterCount,
            importSeconds: imported.seconds,
            truthSeconds: round(truthSeconds),
            postgres: (await owner.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
            seeds: SEEDS,
            // Voters each model was scored on (the smallest holdout, when fewer were left outside the largest poll).
            holdout: Math.min(...scored.map((each) => each.holdoutVoters)),
            // The headline: the 5k models' expected accuracy on the holdout ÷ the Bayes-optimal (target ≥ 0.95).
            ratioAt5000: { mean: target.ratioMean, min: target.ratioMin },
            accuracy,
            trainingSeconds: Object.fromEntries(
              POLL_SIZES.filter((respondents) => respondents >= TARGET_RESPONDENTS).map((respondents) => [
                String(respondents),
                accuracy[String(respondents)].trainSeconds,
              ]),
            ),
            rounds: ROUNDS,
            applySeconds: round(applySeconds),
            floorSeconds: round(floorSeconds),
            // Target ≤ 2: the median of each round's own apply ÷ floor.
            applyOverFloor: round(median(rounds.map((each) => each.ratio))),
            votersPerSecond: Math.round(voterCount / applySeconds),
            floorVotersPerSecond: Math.round(voterCount / floorSeconds),
            perRound: rounds,
            loadAverage: { start: round(loadAtStart), end: round(loadavg()[0]) },
          };
          process.stdout.write(`${JSON.stringify(figures)}\n`);
        });
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
// Set-up: the voter file, the Nest context

/** The cli's application context (the same modules `segments train` and `segments apply` run in), on the bench database. */
async function withSegmentsApplication<T>(
  config: AppConfig,
  databaseUrl: string,
  redisUrl: string,
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot({ config, endpoints: { databaseUrl, redisUrl } }), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Accuracy

/**
 * Loads the truth, then for every poll size and seed trains, applies and scores a model. The
 * truth (a million source ids and probabilities) is dropped on return, so the apply timed
 * afterwards meets a heap the size the cli's would be.
 */
async function measureAccuracy(
  owner: Client,
  allianceId: string,
  segments: SegmentsDriver,
): Promise<{ truthSeconds: number; voterCount: number; scored: ScoredModel[]; targetModelId: string }> {
  const [truthSeconds, truth] = await timed(() => loadVoterTruth(owner, allianceId));
  progress(`truth of ${truth.voterIds.length} active voters loaded in ${round(truthSeconds)} s`);
  const scored: ScoredModel[] = [];
  let targetModelId: string | null = null;
  for (const respondents of POLL_SIZES) {
    for (let seed = 1; seed <= SEEDS; seed += 1) {
      const result = await segments.trainAndScore(truth, respondents, seed);
      scored.push(result);
      progress(
        `${respondents} respondents, seed ${seed}: ratio ${round(result.ratio, 4)} (expected ${round(result.expected, 4)} / Bayes ${round(result.bayesOptimal, 4)}), ` +
          `cv ${round(result.cvAccuracy, 4)}, baseline ${round(result.baselineAccuracy, 4)}, trained in ${result.trainSeconds} s, applied in ${result.applySeconds} s`,
      );
      // The first 5k model is the one the apply is timed with; the others' partitions go at once.
      if (respondents === TARGET_RESPONDENTS && targetModelId === null) targetModelId = result.modelId;
      else await dropPartitionOf(owner, result.modelId);
    }
  }
  if (targetModelId === null) throw new Error(`no poll of ${TARGET_RESPONDENTS} respondents among --poll-sizes ${POLL_SIZES.join(',')}`);
  return { truthSeconds, voterCount: truth.voterIds.length, scored, targetModelId };
}

// ---------------------------------------------------------------------------------------------
// Training, applying and scoring through the services the cli and the workers use

class SegmentsDriver {
  private readonly models: SegmentModelService;
  private readonly training: SegmentModelTrainingService;
  private readonly applications: SegmentApplicationService;

  constructor(
    app: INestApplicationContext,
    private readonly actor: SegmentActor,
    private readonly owner: Client,
  ) {
    this.models = app.get(SegmentModelService);
    this.training = app.get(SegmentModelTrainingService);
    this.applications = app.get(SegmentApplicationService);
  }

  /**
   * Draws a poll, trains on it as `segments train` does (the upload, then k-fold CV and the final
   * fit), applies the model to every voter as `segments apply` does, and scores the segments it
   * wrote for voters outside the poll by their true probabilities.
   */
  async trainAndScore(truth: VoterTruth, respondents: number, seed: number): Promise<ScoredModel> {
    const poll = samplePoll(truth, respondents, seed);
    const [trainSeconds, trained] = await timed(async () => {
      const queued = await this.models.createTrained(this.actor, { fileName: `poll-${respondents}-${seed}.csv`, content: pollCsv(poll.rows) });
      return this.training.train(queued.id);
    });
    if (trained?.status !== 'ready' || trained.evaluation === null)
      throw new Error(`training on ${respondents} respondents: ${trained?.errorMessage ?? 'did not finish'}`);
    const applied = await this.apply(trained.id, truth.voterIds.length);

    const holdout = holdoutIndexes(truth, poll.respondentIndexes, HOLDOUT, seed + HOLDOUT_SEED_OFFSET);
    const predicted = await this.assignedSegments(trained.id, truth, holdout);
    const bayesOptimal = bayesOptimalAccuracy(truth, holdout);
    const expected = expectedAccuracy(truth, holdout, (index) => {
      const segment = predicted.get(index);
      if (segment === undefined) throw new Error(`the apply wrote no segment for voter ${truth.voterIds[index]}`);
      return segment;
    });
    return {
      respondents,
      seed,
      modelId: trained.id,
      trainSeconds: round(trainSeconds),
      serviceTrainingSeconds: round(trained.trainingSeconds ?? Number.NaN),
      applySeconds: round(applied.seconds),
      cvAccuracy: trained.evaluation.model.accuracy,
      baselineAccuracy: trained.evaluation.baseline.accuracy,
      holdoutVoters: holdout.length,
      bayesOptimal,
      expected,
      ratio: expected / bayesOptimal,
    };
  }

  /** One run of `segments apply` in this process (the accuracy part's; not the timed one). */
  apply(modelId: string, voters: number): Promise<{ seconds: number; applicationSeconds: number }> {
    return applyModel(this.applications, this.actor, modelId, voters);
  }

  /** The segment the apply wrote for each holdout voter, read back from segment_assignment. */
  private async assignedSegments(modelId: string, truth: VoterTruth, holdout: Int32Array): Promise<Map<number, string>> {
    const indexOf = new Map<string, number>();
    for (const index of holdout) indexOf.set(String(truth.voterIds[index]), index);
    const { rows } = await this.owner.query<{ voter_id: string; segment_key: string }>(
      `SELECT voter_id::text AS voter_id, segment_key FROM segment_assignment WHERE model_id = $1 AND voter_id = ANY($2::bigint[])`,
      [modelId, [...indexOf.keys()]],
    );
    const predicted = new Map<number, string>();
    for (const row of rows) predicted.set(indexOf.get(row.voter_id) as number, row.segment_key);
    return predicted;
  }
}

/** Scored models of one poll size: mean and minimum of the ratio over seeds, means of the rest. */
function summarize(models: readonly ScoredModel[]): {
  ratioMean: number;
  ratioMin: number;
  expectedAccuracy: number;
  bayesOptimal: number;
  cvAccuracy: number;
  baselineAccuracy: number;
  trainSeconds: number;
  perSeed: Array<Record<string, number>>;
} {
  const mean = (pick: (model: ScoredModel) => number): number => models.reduce((sum, model) => sum + pick(model), 0) / models.length;
  const share = (value: number): number => round(value, 4);
  return {
    ratioMean: share(mean((model) => model.ratio)),
    ratioMin: share(Math.min(...models.map((model) => model.ratio))),
    expectedAccuracy: share(mean((model) => model.expected)),
    bayesOptimal: share(mean((model) => model.bayesOptimal)),
    cvAccuracy: share(mean((model) => model.cvAccuracy)),
    baselineAccuracy: share(mean((model) => model.baselineAccuracy)),
    trainSeconds: round(mean((model) => model.trainSeconds)),
    perSeed: models.map((model) => ({
      seed: model.seed,
      ratio: round(model.ratio, 4),
      cvAccuracy: round(model.cvAccuracy, 4),
      trainSeconds: model.trainSeconds,
      serviceTrainingSeconds: model.serviceTrainingSeconds,
      applySeconds: model.applySeconds,
    })),
  };
}

/** A scored model's assignments are not needed again: its partition goes, so autovacuum never works through it during a timing. */
async function dropPartitionOf(owner: Client, modelId: string): Promise<void> {
  const { rows } = await owner.query<{ partition: string }>(
    `SELECT c.oid::regclass::text AS partition FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'segment_assignment'::regclass AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)`,
    [modelId],
  );
  for (const { partition } of rows) await owner.query(`DROP TABLE ${partition}`);
}

// ---------------------------------------------------------------------------------------------
// The I/O floor

interface FloorTiming {
  readonly seconds: number;
  /** From the first statement to both COPYs done (read and write overlap, as they do in apply). */
  readonly copySeconds: number;
  readonly keySeconds: number;
}

/**
 * What any apply must do at the least, with classifying free: the feature columns of every active
 * voter read with COPY TO and split into fields in Node, together with the vote-history count the
 * product's statement reads; one row per voter (its id, a segment key, a probability, four
 * probabilities and an evidence count, at the lengths apply writes them) streamed with COPY FROM,
 * as the voters arrive, into a fresh table shaped like a segment_assignment partition, created in
 * the same transaction; then its primary key and the commit. Two connections opened beforehand.
 * Not included: the precinct and county aggregates, the classification, ATTACH, ANALYZE.
 */
async function timeFloor(databaseUrl: string, allianceId: string): Promise<FloorTiming> {
  const reader = new Client({ connectionString: databaseUrl });
  const writer = new Client({ connectionString: databaseUrl });
  await reader.connect();
  await writer.connect();
  const alliance = escapeLiteral(allianceId);
  try {
    const started = performance.now();
    await writer.query('BEGIN');
    await writer.query(`CREATE TABLE bench_floor_assignment (LIKE segment_assignment INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await writer.query(`ALTER TABLE bench_floor_assignment ALTER model_id SET DEFAULT gen_random_uuid(), ALTER alliance_id SET DEFAULT ${alliance}`);
    const sink = writer.query(copyFrom(`COPY bench_floor_assignment (voter_id, segment_key, probability, model_probabilities, evidence_count) FROM STDIN`));
    const sinkDone = new Promise<void>((resolve, reject) => {
      sink.once('finish', resolve);
      sink.once('error', reject);
    });
    const source = reader.query(
      copyTo(`COPY (
        SELECT v.id, v.birth_year, v.party, v.race_ethnicity, v.gender_code, v.propensity, v.county, v.precinct, v.registration_date,
               COALESCE(h.generals, 0), COALESCE(h.primaries, 0)
        FROM voter v
        LEFT JOIN (
          SELECT voter_id, count(*) FILTER (WHERE election_type = 'general') AS generals, count(*) FILTER (WHERE election_type = 'primary') AS primaries
          FROM vote_history WHERE alliance_id = ${alliance} AND election_date > current_date - interval '8 years'
          GROUP BY voter_id
        ) h ON h.voter_id = v.id
        WHERE v.alliance_id = ${alliance} AND v.active
      ) TO STDOUT`),
    );
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let rows = 0;
    let fieldCount = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const text = pending + decoder.write(chunk);
      let start = 0;
      let out = '';
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        const fields = text.slice(start, end).split('\t');
        fieldCount += fields.length;
        // Six decimals, as apply rounds them: rows of the same length.
        out += `${fields[0]}\tbalanced_suburbans\t0.412345\t{0.123456,0.234567,0.412345,0.229632}\t0\n`;
        rows += 1;
        start = end + 1;
      }
      pending = text.slice(start);
      if (out !== '' && !sink.write(out)) await new Promise<void>((resolve) => sink.once('drain', resolve));
    }
    if (pending + decoder.end() !== '') throw new Error('the floor COPY ended in the middle of a row');
    if (fieldCount !== rows * 11) throw new Error(`the floor read ${fieldCount} fields for ${rows} voters`);
    sink.end();
    await sinkDone;
    const copied = performance.now();
    await writer.query(`ALTER TABLE bench_floor_assignment ADD CONSTRAINT bench_floor_assignment_pkey PRIMARY KEY (model_id, voter_id)`);
    const keyed = performance.now();
    await writer.query('COMMIT');
    const finished = performance.now();
    return { seconds: (finished - started) / 1000, copySeconds: (copied - started) / 1000, keySeconds: (keyed - copied) / 1000 };
  } catch (error) {
    await writer.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await writer.query('DROP TABLE IF EXISTS bench_floor_assignment').catch(() => undefined);
    await reader.end();
    await writer.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Where the time goes

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements apply reads the voters' attributes with, as the
 * repository writes them (captured from a repository whose data source only records), in one
 * transaction with the settings it makes.
 */
async function explainAttributes(owner: Client, allianceId: string): Promise<void> {
  const statements: Array<{ sql: string; parameters: unknown[] }> = [];
  const record = async (sql: string, parameters: unknown[] = []): Promise<never[]> => {
    statements.push({ sql, parameters });
    return [];
  };
  const manager = { query: record };
  const recorder = {
    manager,
    query: record,
    transaction: <T>(work: (recording: typeof manager) => Promise<T>): Promise<T> => work(manager),
    createQueryRunner: () => ({
      connect: async () => ({
        query: (query: string | { text: string }) => {
          const text = typeof query === 'string' ? query : query.text;
          statements.push({ sql: /^COPY \(([\s\S]*)\) TO STDOUT$/.exec(text)?.[1] ?? text, parameters: [] });
          return { rows: [], destroy: () => undefined, [Symbol.asyncIterator]: async function* () {} };
        },
        escapeLiteral,
      }),
      release: async () => undefined,
    }),
  };
  await new VoterAttributesRepository(recorder as unknown as DataSource).stream(allianceId, { kind: 'all' }, new Date());
  await owner.query('BEGIN');
  try {
    for (const { sql, parameters } of statements) {
      if (/^\s*SET\b/i.test(sql)) await owner.query(sql.replace(/^\s*SET\s+(?!LOCAL\b)/i, 'SET LOCAL '));
      if (!/^\s*(SELECT|WITH)\b/i.test(sql)) continue;
      const { rows } = await owner.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
      process.stderr.write(
        `\n=== apply's attributes statement: ${sql.replace(/\s+/g, ' ').trim().slice(0, 100)}…\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n`,
      );
    }
  } finally {
    await owner.query('ROLLBACK');
  }
}

// ---------------------------------------------------------------------------------------------
// The timed apply, in a process of its own

/** One run of `segments apply`: request, then `run`; the wall time of `run`. */
async function applyModel(
  applications: SegmentApplicationService,
  actor: SegmentActor,
  modelId: string,
  voters: number,
): Promise<{ seconds: number; applicationSeconds: number }> {
  const requested = await applications.request(actor, modelId, null);
  const [seconds, finished] = await timed(() => applications.run(requested.id));
  if (finished?.status !== 'succeeded') throw new Error(`applying ${modelId}: ${finished?.errorMessage ?? 'the run did not finish'}`);
  if (finished.votersDone !== voters) throw new Error(`applying ${modelId} classified ${finished.votersDone} voters, not ${voters}`);
  return { seconds, applicationSeconds: finished.seconds ?? Number.NaN };
}

/**
 * Applies the model in a fresh process, as `segments apply` would (this file again, with
 * --apply-model), and returns the wall time of `run` measured inside it: the process's start-up
 * and context are not counted. With a path, the run is profiled there.
 */
async function applyInOwnProcess(
  modelId: string,
  voters: number,
  environment: NodeJS.ProcessEnv,
  cpuProfile?: string,
): Promise<{ seconds: number; applicationSeconds: number }> {
  const child = spawn(
    process.execPath,
    [__filename, '--apply-model', modelId, '--rows', String(voters), ...(cpuProfile === undefined ? [] : ['--cpu-profile', cpuProfile])],
    {
      env: environment,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the apply process exited ${String(code)}: ${stdout}`);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { seconds: number; applicationSeconds: number };
}

/** The child: the cli's context on the database its environment names, one apply, one JSON line. */
async function applyChild(modelId: string, voters: number, cpuProfile: string | undefined): Promise<void> {
  const { config, services } = await prepareProcess();
  try {
    await withSegmentsApplication(config, services.endpoints.databaseUrl, services.endpoints.redisUrl, async (app) => {
      const allianceId = await app.get(SegmentModelService).allianceOf(modelId);
      if (allianceId === null) throw new Error(`no model ${modelId}`);
      const actor: SegmentActor = { allianceId, userId: null, ...allianceWideAccess(allianceId) };
      const apply = (): Promise<{ seconds: number; applicationSeconds: number }> => applyModel(app.get(SegmentApplicationService), actor, modelId, voters);
      const result = cpuProfile === undefined ? await apply() : await profiled(cpuProfile, apply);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
  } finally {
    await services.stop();
  }
}

/** Runs the work under V8's sampling profiler and writes the profile (.cpuprofile: Chrome DevTools, speedscope). */
async function profiled<T>(path: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    return result;
  } finally {
    session.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [(performance.now() - started) / 1000, result];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

function progress(message: string): void {
  process.stderr.write(`bench/segments: ${message}\n`);
}

const entry = options['apply-model'] === undefined ? main() : applyChild(options['apply-model'], Number(options.rows), options['cpu-profile']);
entry.catch((error: unknown) => {
  process.stderr.write(`bench/segments failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
