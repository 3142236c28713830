import 'reflect-metadata';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { loadAppConfig } from '@app/config';
import { ATTEMPT_DEFINITIONS, ContactsModule, PROGRESS_BATCH_SIZE, ProgressReconciliationService, ProgressRollupService } from '@app/contacts';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule, prepareProcess } from '@app/runtime';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { ApiSession, createBenchUser } from '../shared/api-session';
import { withMigratedBenchDatabase } from '../shared/bench-files.util';
import { progress, round, seconds, timedMs } from './bench-statistics';
import { benchScopes, dashboardCalls, ratioOf, timeDashboard, timeRaw } from './dashboard-calls';
import { measureInsertOverhead } from './insert-overhead';
import { seedAlliance } from './progress-seed';

/**
 * bench/progress (issue 9, progress to target). On one alliance of a million voters and ten
 * million contact attempts over 60 days: the dashboard's api calls as a data lead makes them
 * (summary and every breakdown, for the alliance, a region and an organization; p50/p95/max)
 * against the same figures counted from the raw attempts in the same run (p95 ratio, and the
 * figures compared), the time the rollups took to count the history and to reconcile it (drift
 * must be 0), and what keeping the rollups costs attempt inserts: single-row inserts on parallel
 * connections with the trigger off and no rollup, against the trigger on and the rollup running
 * every second, in alternating rounds. Prints one JSON line; progress goes to stderr.
 */
const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    voters: { type: 'string', default: '1000000' },
    attempts: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '60' },
    'sms-share': { type: 'string', default: '0.15' },
    // Dashboard rounds (every call once per round) after two warm-up rounds.
    rounds: { type: 'string', default: '30' },
    'raw-rounds': { type: 'string', default: '2' },
    'insert-attempts': { type: 'string', default: '200000' },
    'insert-rounds': { type: 'string', default: '3' },
    'insert-connections': { type: 'string', default: '4' },
    // Attempts per rollup transaction while counting the seeded history (the service's default unless given).
    'load-batch-size': { type: 'string', default: String(PROGRESS_BATCH_SIZE) },
    'no-segments': { type: 'boolean', default: false },
    // Leaves out the diagnostic rounds with the trigger on and no rollup running.
    'no-trigger-only-rounds': { type: 'boolean', default: false },
    'skip-raw': { type: 'boolean', default: false },
    'skip-inserts': { type: 'boolean', default: false },
    'keep-database': { type: 'boolean', default: false },
  },
});
const QUICK = options.quick === true;
const VOTERS = QUICK ? 20_000 : Number(options.voters);
const ATTEMPTS = QUICK ? 30_000 : Number(options.attempts);
const ROUNDS = QUICK ? 5 : Number(options.rounds);
const RAW_ROUNDS = QUICK ? 1 : Number(options['raw-rounds']);
const INSERT_ATTEMPTS = QUICK ? 2_000 : Number(options['insert-attempts']);
const INSERT_ROUNDS = QUICK ? 3 : Number(options['insert-rounds']);
const INSERT_CONNECTIONS = Number(options['insert-connections']);
const LOAD_BATCH_SIZE = Number(options['load-batch-size']);
const TARGETS = { dashboardP95Ms: 50, insertRatio: 1.3 };

async function main(): Promise<void> {
  const { config, services } = await prepareProcess();
  const loadAtStart = round(loadavg()[0]);
  try {
    await withMigratedBenchDatabase(services.endpoints.databaseUrl, { keep: options['keep-database'] === true, log: progress }, async (benchUrl) => {
      const owner = new Client({ connectionString: benchUrl, application_name: 'bench-progress-owner' });
      await owner.connect();
      let context: INestApplicationContext | undefined;
      try {
        const postgres = (await owner.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
        progress(`seeding ${VOTERS.toLocaleString('en-US')} voters and ${ATTEMPTS.toLocaleString('en-US')} attempts (PostgreSQL ${postgres})`);
        // The history is loaded with the trigger off and queued afterwards in one statement, oldest first, as the trigger would have queued it.
        await owner.query(`ALTER TABLE contact_attempt DISABLE TRIGGER contact_attempt_progress`);
        const [seedMs, seeded] = await timedMs(() =>
          seedAlliance(owner, {
            voters: VOTERS,
            attempts: ATTEMPTS,
            smsShare: Number(options['sms-share']),
            days: Number(options.days),
            chunkRows: 500_000,
            segments: options['no-segments'] !== true,
          }),
        );
        const [queueMs] = await timedMs(async () => {
          await owner.query(`INSERT INTO progress_pending (contact_attempt_id, queued_at) SELECT id, created_at FROM contact_attempt WHERE alliance_id = $1`, [
            seeded.allianceId,
          ]);
          // The STOPs, as the opt-out trigger queues them (when the seed's session skipped triggers it did not).
          await owner.query(
            `INSERT INTO progress_pending_opt_out (opt_out_event_id, queued_at)
             SELECT id, created_at FROM opt_out_event WHERE alliance_id = $1 AND action = 'opt_out' AND source IN ('keyword', 'carrier')
             ON CONFLICT DO NOTHING`,
            [seeded.allianceId],
          );
          await owner.query(`ALTER TABLE contact_attempt ENABLE TRIGGER contact_attempt_progress`);
          await owner.query(`ANALYZE progress_pending`);
        });

        const appConfig = loadAppConfig({
          DATABASE_URL: benchUrl,
          REDIS_URL: services.endpoints.redisUrl,
          QUEUE_PREFIX: config.queue.prefix,
          LOG_LEVEL: 'warn',
          API_PORT: '0',
        });
        context = await NestFactory.createApplicationContext(
          {
            module: class ProgressBenchModule {},
            imports: [
              CoreModule.forRoot({
                config: appConfig,
                endpoints: { databaseUrl: benchUrl, redisUrl: services.endpoints.redisUrl },
                serviceName: 'bench-progress',
                logDestination: new RecordingLogDestination(),
              }),
              ContactsModule,
            ],
          },
          { logger: false },
        );
        const rollups = context.get(ProgressRollupService);
        const reconciliations = context.get(ProgressReconciliationService);

        // The calling sessions' time, as their trigger would have added it up (it did not fire for the seed's session either).
        await reconciliations.rebuildVolunteerTime(seeded.allianceId);
        progress(`counting the history into the rollups (${LOAD_BATCH_SIZE.toLocaleString('en-US')} attempts a transaction)`);
        const [rollupMs, counted] = await timedMs(() => countHistory(rollups, seeded.phoneAttempts + seeded.smsAttempts));
        await owner.query('VACUUM (ANALYZE) progress_cell, progress_reach, progress_pending, progress_pending_opt_out');
        const [reconcileMs, reconciled] = await timedMs(() => reconciliations.reconcile(seeded.allianceId));
        progress(`reconciled in ${seconds(reconcileMs)} s: ${reconciled.cellsChecked} cells, ${reconciled.driftedCells} drifted`);
        if (reconciled.driftedCells > 0) progress(`drift: ${JSON.stringify(reconciled.drift.slice(0, 5))}`);
        const sizes = await tableSizes(owner);
        await owner.query('CHECKPOINT');

        const scopes = benchScopes(seeded.organizations);
        const calls = dashboardCalls(seeded.slug, scopes);
        progress(`starting the api; ${calls.length} dashboard calls × ${ROUNDS} rounds`);
        const apiLog = new RecordingLogDestination();
        const api = await createApiApplication({
          config: appConfig,
          endpoints: { databaseUrl: benchUrl, redisUrl: services.endpoints.redisUrl },
          logDestination: apiLog,
        });
        await api.listen(0, '127.0.0.1');
        let dashboard: Awaited<ReturnType<typeof timeDashboard>>;
        try {
          const origin = `http://127.0.0.1:${(api.getHttpServer().address() as { port: number }).port}`;
          const dataLead = await ApiSession.signIn(
            origin,
            await createBenchUser(owner, { allianceId: seeded.allianceId, organizationId: null, role: 'data_lead' }),
          );
          dashboard = await timeDashboard(dataLead, calls, ROUNDS, 2);
        } catch (error) {
          // What the api logged as errors says more than its 500.
          for (const entry of apiLog.entries().filter((each) => Number(each.level) >= 50)) progress(`api error: ${JSON.stringify(entry)}`);
          throw error;
        } finally {
          await api.close();
        }
        progress(`dashboard: overall p95 ${dashboard.overall.p95Ms} ms (slowest call ${dashboard.slowestCall})`);

        let raw: Awaited<ReturnType<typeof timeRaw>> | null = null;
        if (options['skip-raw'] !== true) {
          progress(`raw counts: ${calls.length} calls × ${RAW_ROUNDS} rounds`);
          const rawClient = new Client({ connectionString: benchUrl, application_name: 'bench-progress-raw' });
          await rawClient.connect();
          try {
            // Room to hash a million voters' groups in memory: the raw side is given every advantage (and no row policy).
            await rawClient.query(`SET work_mem = '64MB'`);
            raw = await timeRaw(
              rawClient,
              calls,
              { allianceId: seeded.allianceId, conversations: ATTEMPT_DEFINITIONS.conversations, optOuts: ATTEMPT_DEFINITIONS.optOuts },
              RAW_ROUNDS,
              dashboard.answers,
            );
          } finally {
            await rawClient.end();
          }
          progress(`raw: overall p95 ${raw.overall.p95Ms} ms; ${raw.mismatches} of ${raw.figuresCompared} figures differ from the dashboard's`);
          for (const example of raw.examples) progress(`  mismatch: ${example}`);
        }

        let inserts: Awaited<ReturnType<typeof measureInsertOverhead>> | null = null;
        let finalReconciliation: { seconds: number; cellsChecked: number; driftedCells: number } | null = null;
        if (options['skip-inserts'] !== true) {
          progress(
            `insert overhead: ${INSERT_ROUNDS} pairs of rounds of ${INSERT_ATTEMPTS.toLocaleString('en-US')} attempts on ${INSERT_CONNECTIONS} connections`,
          );
          inserts = await measureInsertOverhead(owner, benchUrl, rollups, {
            allianceId: seeded.allianceId,
            attemptsPerRound: INSERT_ATTEMPTS,
            rounds: INSERT_ROUNDS,
            connections: INSERT_CONNECTIONS,
            triggerOnlyRounds: options['no-trigger-only-rounds'] !== true,
          });
          const [finalMs, final] = await timedMs(() => reconciliations.reconcile(seeded.allianceId));
          finalReconciliation = { seconds: seconds(finalMs), cellsChecked: final.cellsChecked, driftedCells: final.driftedCells };
          progress(`reconciled after the inserts in ${seconds(finalMs)} s: ${final.driftedCells} drifted`);
        }

        const driftedCells = reconciled.driftedCells + (finalReconciliation?.driftedCells ?? 0);
        const targets = {
          dashboardP95: dashboard.overall.p95Ms < TARGETS.dashboardP95Ms,
          insertRatio: inserts === null ? null : inserts.ratio <= TARGETS.insertRatio,
          noDrift: driftedCells === 0,
          rawAgrees: raw === null ? null : raw.mismatches === 0,
        };
        const figures = {
          bench: 'progress',
          mode: QUICK ? 'quick' : 'full',
          postgres,
          voters: VOTERS,
          attempts: seeded.phoneAttempts + seeded.smsAttempts,
          phoneAttempts: seeded.phoneAttempts,
          smsAttempts: seeded.smsAttempts,
          organizations: seeded.organizations.length,
          counties: seeded.counties.length,
          precincts: seeded.precincts,
          campaigns: seeded.campaigns,
          phoneContacts: seeded.phoneContacts,
          smsContacts: seeded.smsContacts,
          surveyResponses: seeded.surveyResponses,
          inboundMessages: seeded.inboundMessages,
          optOutEvents: seeded.optOutEvents,
          callingSessions: seeded.callingSessions,
          segmentAssignments: seeded.segmentAssignments,
          days: Number(options.days),
          seedSeconds: seconds(seedMs),
          seedSteps: seeded.stepSeconds,
          seedSkippedTriggers: seeded.triggersSkipped,
          queueSeconds: seconds(queueMs),
          rollupSeconds: seconds(rollupMs),
          rollupAttemptsPerSecond: Math.round(counted / (rollupMs / 1000)),
          rollupBatchSize: LOAD_BATCH_SIZE,
          reconcileSeconds: seconds(reconcileMs),
          cellsChecked: reconciled.cellsChecked,
          driftedCells,
          tableMegabytes: sizes,
          dashboardP95Ms: dashboard.overall.p95Ms,
          dashboard: { rounds: ROUNDS, calls: calls.length, overall: dashboard.overall, slowestCall: dashboard.slowestCall, perCall: dashboard.perCall },
          rawP95Ms: raw?.overall.p95Ms ?? null,
          rawOverDashboardP95: raw === null ? null : ratioOf(raw, dashboard).overall,
          raw:
            raw === null
              ? null
              : {
                  rounds: RAW_ROUNDS,
                  overall: raw.overall,
                  ratio: ratioOf(raw, dashboard),
                  figuresCompared: raw.figuresCompared,
                  mismatches: raw.mismatches,
                  perCall: raw.perCall,
                },
          insertRatio: inserts?.ratio ?? null,
          inserts,
          finalReconciliation,
          targets,
          targetsMet: Object.values(targets).every((met) => met !== false),
          loadAverage: { start: loadAtStart, end: round(loadavg()[0]) },
        };
        process.stdout.write(`${JSON.stringify(figures)}\n`);
      } finally {
        await context?.close();
        await owner.end();
      }
    });
  } finally {
    await services.stop();
  }
}

/** Drains the queue the seed filled, reporting as it goes; the attempts counted. */
async function countHistory(rollups: ProgressRollupService, total: number): Promise<number> {
  let counted = 0;
  const started = performance.now();
  for (;;) {
    const outcome = await rollups.run({ batchSize: LOAD_BATCH_SIZE, maxBatches: 20 });
    if (outcome.busy) throw new Error('another rollup holds the lock');
    counted += outcome.counted;
    const elapsed = (performance.now() - started) / 1000;
    progress(`rollup: ${counted.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (${Math.round(counted / elapsed).toLocaleString('en-US')}/s)`);
    if (outcome.counted === 0 && outcome.optOuts === 0) return counted;
  }
}

async function tableSizes(owner: Client): Promise<Record<string, number>> {
  const { rows } = await owner.query<{ name: string; megabytes: number }>(
    `SELECT relname AS name, round(pg_total_relation_size(oid) / 1048576.0)::int AS megabytes FROM pg_class
      WHERE relname IN ('contact_attempt', 'progress_pending', 'progress_cell', 'progress_reach', 'survey_response', 'message', 'conversation',
                        'campaign_contact')
      ORDER BY relname`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.megabytes]));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/progress failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
