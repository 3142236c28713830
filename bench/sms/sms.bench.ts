import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { SingleBar } from 'cli-progress';
import Redis from 'ioredis';
import { Client } from 'pg';
import { localMinuteOfDay, openTimeZones, VOTER_TIME_ZONES } from '@app/campaigns';
import { type AppConfig, childProcessEnvironment } from '@app/config';
import { NEW_TEXT_PRIORITY, sendJobId } from '@app/messaging';
import { DEFAULT_JOB_OPTIONS, JobName, QueueName, readWorkerHeartbeat } from '@app/queue';
import { findFreePort, prepareProcess } from '@app/runtime';
import { type CarrierSimulator, createCarrierSimulator, type SimulatorLogEntry } from '../../apps/carrier-sim/src';
import { withMigratedBenchDatabase } from '../shared/bench-files.util';
import { BenchProcesses, type StartedProcess, waitFor } from '../shared/bench-processes';
import { removeRedisKeys } from '../shared/bench-setup.util';
import { type SeededCampaign, seedTextCampaign, sendingNumbers } from './sms-seed';
import { type StopSample, StopProbe } from './stop-probe';

/**
 * bench/sms: peer-to-peer texting's send path at volume. Texts written in bulk are sent by the real
 * sms worker (child processes from dist) through the twilio SDK to the carrier simulator (in this
 * process), which caps every sending number with a token bucket and sends signed status callbacks to
 * the real api (a child process). It measures the carrier-accepted rate against the sum of the
 * numbers' caps, the carrier's rate-limit refusals, duplicate texts at the carrier, and, for STOPs
 * injected mid-run to phones whose text is still queued, the time until the opt-out is visible and
 * whether any text reached the carrier after the STOP's webhook answered. One JSON line on stdout;
 * progress on stderr; the exit code is 1 when a target is missed.
 */
const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    messages: { type: 'string' },
    senders: { type: 'string' },
    // Texts per second per sending number: the worker's SMS_SENDER_MESSAGES_PER_SECOND and the simulator's per-sender cap.
    'cap-per-sender': { type: 'string' },
    // The account's cap in both (SMS_ACCOUNT_MESSAGES_PER_SECOND, maxPerSecondPerAccount); default: five times the sum of the senders' caps, so it does not bind.
    'account-cap': { type: 'string' },
    // sms-worker processes sharing the queue and the Redis pace.
    workers: { type: 'string' },
    // WORKER_CONCURRENCY of each worker process (the product's default is 8).
    concurrency: { type: 'string' },
    stops: { type: 'string' },
    'keep-database': { type: 'boolean', default: false },
  },
});
const QUICK = options.quick === true;
const MESSAGES = Number(options.messages ?? (QUICK ? 2_000 : 100_000));
const SENDERS = Number(options.senders ?? 20);
// The whole stack on one 2-core machine (api, workers, PostgreSQL, simulator) tops out near 65 texts a second
// (bench/RESULTS.md): both modes' default caps (20 × 2/s = 40/s) sit inside that, so the ratio measures the
// pacer, not the machine. On real hardware pass --cap-per-sender (a mid-score 10DLC campaign: 10 or more).
const CAP_PER_SENDER = Number(options['cap-per-sender'] ?? 2);
const SUM_OF_CAPS = SENDERS * CAP_PER_SENDER;
const ACCOUNT_CAP = Number(options['account-cap'] ?? SUM_OF_CAPS * 5);
const WORKERS = Number(options.workers ?? 2);
const CONCURRENCY = Number(options.concurrency ?? 8);
const STOPS = Number(options.stops ?? (QUICK ? 20 : 200));
const THROUGHPUT_TARGET = 0.95;
/** The campaign's window is 08:00–21:00 (the widest allowed); the voters' zone must be at least this far inside it at the start. */
const ZONE_MARGIN_MINUTES = 60;
const WINDOW = { startMinute: 8 * 60, endMinute: 21 * 60 };
const ENQUEUE_CHUNK = 1_000;
const BUILT = resolve(__dirname, '../..');
const REPOSITORY = resolve(BUILT, '..');
/** Statuses of a text not yet answered by the carrier. */
const UNSENT = ['created', 'held', 'requesting'];
/** Accepted by the carrier, final status not yet heard. */
const IN_FLIGHT = ['accepted', 'queued', 'sending', 'sent'];

for (const [name, value] of Object.entries({ MESSAGES, SENDERS, CAP_PER_SENDER, ACCOUNT_CAP, WORKERS, CONCURRENCY }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name.toLowerCase()} must be a whole number ≥ 1, got ${value}`);
if (!Number.isInteger(STOPS) || STOPS < 0) throw new Error(`--stops must be a whole number ≥ 0, got ${options.stops}`);

async function main(): Promise<void> {
  const wallStarted = performance.now();
  const zone = zoneOpenAllRun(new Date());
  if (zone === null) {
    progress('no time zone is between 09:00 and 20:00 now: no voter could be texted; nothing measured');
    process.stdout.write(`${JSON.stringify({ bench: 'sms', mode: QUICK ? 'quick' : 'full', skipped: 'outside every texting window' })}\n`);
    process.exit(QUICK ? 0 : 2);
  }
  const { config, services } = await prepareProcess();
  if (services.endpoints.redisUrl === '') throw new Error('bench/sms needs a single Redis (REDIS_URL), not a cluster');
  const work = mkdtempSync(join(tmpdir(), 'crossroads-bench-sms-'));
  const processes = new BenchProcesses(work, REPOSITORY, progress);
  const queuePrefix = `bench-sms-${randomBytes(4).toString('hex')}`;
  let figures: Figures | undefined;
  try {
    await withMigratedBenchDatabase(services.endpoints.databaseUrl, { keep: options['keep-database'] === true, log: progress }, async (benchUrl) => {
      const owner = new Client({ connectionString: benchUrl, application_name: 'bench-sms' });
      const poller = new Client({ connectionString: benchUrl, application_name: 'bench-sms-stop-probe' });
      await owner.connect();
      await poller.connect();
      try {
        figures = await benchmark({ config, owner, poller, benchUrl, redisUrl: services.endpoints.redisUrl, queuePrefix, zone, processes, wallStarted });
      } finally {
        await processes.stopAll();
        await owner.end();
        await poller.end();
      }
    });
  } finally {
    await processes.stopAll();
    await removeRedisKeys(services.endpoints.redisUrl, queuePrefix).catch((error: unknown) =>
      progress(`could not remove the ${queuePrefix}:* keys: ${String(error)}`),
    );
    rmSync(work, { recursive: true, force: true });
    await services.stop();
  }
  if (figures === undefined) throw new Error('the benchmark produced no figures');
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  if (!figures.targetsMet) {
    progress(`targets missed: ${JSON.stringify(figures.targets)}`);
    process.exitCode = 1;
  }
}

interface BenchmarkContext {
  readonly config: AppConfig;
  readonly owner: Client;
  readonly poller: Client;
  readonly benchUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly zone: { readonly name: string; readonly localTime: string };
  readonly processes: BenchProcesses;
  readonly wallStarted: number;
}

type Figures = Record<string, unknown> & { readonly targetsMet: boolean; readonly targets: Record<string, boolean> };

async function benchmark(context: BenchmarkContext): Promise<Figures> {
  const { config, owner, poller, processes } = context;
  const loadAverageAtStart = loadavg()[0];
  const senders = sendingNumbers(SENDERS);
  progress(
    `writing ${MESSAGES} conversations and their initial texts (${SENDERS} sending numbers, voters in ${context.zone.name}, ${context.zone.localTime} there)`,
  );
  const campaign = await seedTextCampaign(owner, { messages: MESSAGES, senders, timeZone: context.zone.name });

  // The carrier, in this process: every number capped at CAP_PER_SENDER a second, every text delivered, callbacks signed to the api.
  const apiPort = await findFreePort();
  const origin = `http://127.0.0.1:${apiPort}`;
  const simulatorLog = new SimulatorLogCounter();
  const simulator = createCarrierSimulator({
    accountSid: config.carrierSimulator.accountSid,
    authToken: config.carrierSimulator.authToken,
    callsPerSecond: 1,
    log: simulatorLog.log,
    // Every text of the run stays listed, for the duplicate and after-STOP checks.
    maxRetained: MESSAGES + STOPS * 4 + 10_000,
    scenario: {
      seed: 8,
      messages: {
        weights: { delivered: 1, undelivered: 0, failed: 0 },
        sentMs: { min: 50, max: 250 },
        deliveredMs: { min: 200, max: 1_500 },
        maxPerSecondPerSender: CAP_PER_SENDER,
        maxPerSecondPerAccount: ACCOUNT_CAP,
        autoReplies: true,
        inboundUrl: `${origin}/api/webhooks/twilio/messages/inbound`,
      },
    },
  });
  const { url: simulatorUrl } = await simulator.listen(0, '127.0.0.1');
  const redis = new Redis(context.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.Sms, { connection: redis, prefix: context.queuePrefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  try {
    const environment = childProcessEnvironment(
      { databaseUrl: context.benchUrl, redisUrl: context.redisUrl },
      {
        QUEUE_PREFIX: context.queuePrefix,
        API_HOST: '127.0.0.1',
        API_PORT: String(apiPort),
        PUBLIC_BASE_URL: origin,
        CARRIER_SIM_URL: simulatorUrl,
        SMS_SENDER_MESSAGES_PER_SECOND: String(CAP_PER_SENDER),
        SMS_ACCOUNT_MESSAGES_PER_SECOND: String(ACCOUNT_CAP),
        WORKER_CONCURRENCY: String(CONCURRENCY),
        LOG_LEVEL: 'warn',
      },
    );
    progress(`starting the api and ${WORKERS} sms worker${WORKERS === 1 ? '' : 's'} (concurrency ${CONCURRENCY} each)`);
    const api = processes.start('api', resolve(BUILT, 'apps/api/src/main.js'), environment);
    const workers = Array.from({ length: WORKERS }, (_, index) =>
      processes.start(`sms-worker-${index + 1}`, resolve(BUILT, 'apps/sms-worker/src/main.js'), environment),
    );
    await waitFor('the api', processes, async () => (await fetch(`${origin}/health`)).ok);
    await waitFor('the sms workers', processes, async () => {
      const heartbeat = await readWorkerHeartbeat(context.redisUrl, context.queuePrefix, 'sms-worker');
      return heartbeat?.state === 'running' && (await queue.getWorkersCount()) >= WORKERS;
    });

    const cpuAtStart = cpuOf(processes, api, workers);
    const runStarted = Date.now();
    const enqueueStarted = performance.now();
    for (let index = 0; index < campaign.messageIds.length; index += ENQUEUE_CHUNK) {
      await queue.addBulk(
        campaign.messageIds.slice(index, index + ENQUEUE_CHUNK).map((messageId) => ({
          name: JobName.SmsSend,
          data: { payload: { messageId }, correlationId: `bench-sms-${messageId}` },
          opts: { jobId: sendJobId(messageId), priority: NEW_TEXT_PRIORITY },
        })),
      );
    }
    const enqueueSeconds = round((performance.now() - enqueueStarted) / 1000, 2);
    progress(`${MESSAGES} send jobs enqueued in ${enqueueSeconds} s; at ${SUM_OF_CAPS} a second the carrier needs ${round(MESSAGES / SUM_OF_CAPS, 1)} s`);

    const probe = new StopProbe(simulator, poller, campaign);
    const run = await runUntilSent(context, campaign, simulator, probe, queue, runStarted);
    const cpuAtEnd = cpuOf(processes, api, workers);
    const settled = await settleCallbacks(owner, campaign.campaignId);

    return await measure({
      context,
      campaign,
      simulator,
      run,
      settled,
      enqueueSeconds,
      cpu: {
        seconds: (Date.now() - runStarted) / 1000,
        start: cpuAtStart,
        end: cpuAtEnd,
      },
      logs: {
        api: processes.logSummary(api),
        workers: workers.map((worker) => processes.logSummary(worker)),
        carrierSimulator: simulatorLog.summary(),
      },
      loadAverageAtStart,
    });
  } finally {
    await queue.close();
    redis.disconnect();
    await simulator.close();
  }
}

interface RunOutcome {
  readonly stops: StopSample[];
  readonly timedOut: boolean;
  /** About every tenth of the ideal duration: texts accepted, and the sms queue's jobs waiting, delayed and active. */
  readonly timeline: Array<{ second: number; accepted: number; waiting: number; delayed: number; active: number }>;
  /** The bench database's busy backends, sampled every second, by wait event (what PostgreSQL spent its time on). */
  readonly postgresWaits: Record<string, number>;
}

/**
 * Follows the run until no text is left unsent (or the deadline, three times the ideal duration plus
 * two minutes), injecting the STOPs evenly over the middle 85 % of the ideal duration.
 */
async function runUntilSent(
  context: BenchmarkContext,
  campaign: SeededCampaign,
  simulator: CarrierSimulator,
  probe: StopProbe,
  queue: Queue,
  runStarted: number,
): Promise<RunOutcome> {
  const idealMs = (MESSAGES / SUM_OF_CAPS) * 1000;
  const deadline = runStarted + idealMs * 3 + 120_000;
  const bar = new SingleBar({
    format: 'sms bench [{bar}] {value}/{total} texts accepted by the carrier, {rate}/s, {stops} STOPs, jobs waiting {waiting} delayed {delayed}, {duration}s',
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: QUICK ? 2_000 : 15_000,
  });
  bar.start(MESSAGES, 0, { rate: 0, stops: 0, waiting: 0, delayed: 0 });
  const timeline: RunOutcome['timeline'] = [];
  const postgresWaits = new Map<string, number>();
  const stops: StopSample[] = [];
  let finished = false;
  const stopping = (async () => {
    for (let index = 0; index < STOPS && !finished; index += 1) {
      const at = runStarted + idealMs * (0.05 + (0.85 * index) / Math.max(1, STOPS));
      if (at > Date.now()) await sleep(at - Date.now());
      if (finished) break;
      const target = await probe.pickQueuedPhone();
      if (target === null) break;
      stops.push(await probe.stop(target));
    }
  })();
  let timedOut = false;
  let lastAccepted = 0;
  let lastAt = performance.now();
  try {
    for (;;) {
      await sleep(1_000);
      const exited = context.processes.exited();
      if (exited !== undefined) throw new Error(`${exited.name} exited during the run:\n${context.processes.tail(exited)}`);
      const accepted = simulator.stats().messages.created;
      const now = performance.now();
      const jobs = await queue.getJobCounts('waiting', 'delayed', 'active');
      bar.update(accepted, {
        rate: Math.round(((accepted - lastAccepted) * 1000) / (now - lastAt)),
        stops: stops.length,
        waiting: jobs.waiting,
        delayed: jobs.delayed,
      });
      const second = Math.round((Date.now() - runStarted) / 1000);
      if (timeline.length === 0 || second - timeline[timeline.length - 1].second >= Math.max(1, Math.round(idealMs / 10_000)))
        timeline.push({ second, accepted, waiting: jobs.waiting, delayed: jobs.delayed, active: jobs.active });
      const busy = (
        await context.owner.query<{ what: string; count: number }>(
          `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS what, count(*)::int AS count FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1`,
        )
      ).rows;
      for (const { what, count } of busy) postgresWaits.set(what, (postgresWaits.get(what) ?? 0) + count);
      lastAccepted = accepted;
      lastAt = now;
      const [{ unsent }] = (
        await context.owner.query<{ unsent: number }>(
          `SELECT count(*)::int AS unsent FROM message WHERE campaign_id = $1 AND direction = 'outbound' AND status = ANY ($2::text[])`,
          [campaign.campaignId, UNSENT],
        )
      ).rows;
      if (unsent === 0) break;
      if (Date.now() > deadline) {
        timedOut = true;
        progress(`${unsent} texts still unsent at the deadline`);
        break;
      }
    }
  } finally {
    finished = true;
    bar.update(simulator.stats().messages.created);
    bar.stop();
  }
  await stopping;
  return { stops, timedOut, timeline, postgresWaits: Object.fromEntries([...postgresWaits.entries()].sort((left, right) => right[1] - left[1])) };
}

/** Waits (up to 30 s) until every accepted text has its final status from the carrier's callbacks; returns the count by status. */
async function settleCallbacks(owner: Client, campaignId: string): Promise<Record<string, number>> {
  const started = performance.now();
  for (;;) {
    const rows = (
      await owner.query<{ status: string; count: number }>(
        `SELECT status, count(*)::int AS count FROM message WHERE campaign_id = $1 AND direction = 'outbound' GROUP BY status ORDER BY status`,
        [campaignId],
      )
    ).rows;
    const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.count]));
    if (IN_FLIGHT.every((status) => (byStatus[status] ?? 0) === 0) || performance.now() - started > 30_000) return byStatus;
    await sleep(500);
  }
}

interface Measurement {
  readonly context: BenchmarkContext;
  readonly campaign: SeededCampaign;
  readonly simulator: CarrierSimulator;
  readonly run: RunOutcome;
  readonly settled: Record<string, number>;
  readonly enqueueSeconds: number;
  readonly cpu: { readonly seconds: number; readonly start: CpuReading; readonly end: CpuReading };
  readonly logs: Record<string, unknown>;
  readonly loadAverageAtStart: number;
}

async function measure(measurement: Measurement): Promise<Figures> {
  const { context, campaign, simulator, run } = measurement;
  const { owner } = context;
  const stats = simulator.stats().messages;
  const outbound = simulator.messages().filter((text) => text.direction === 'outbound-api');

  // Throughput: texts the carrier accepted, over the span from the first to the last acceptance. The
  // moment is the worker's claim (`requested_at`, ms), taken just before its request; each number's
  // first text opens its clock, so the rate is (accepted − numbers) ÷ span.
  const [span] = (
    await owner.query<{ accepted: number; first: number | null; last: number | null }>(
      `SELECT count(*)::int AS accepted, (extract(epoch FROM min(requested_at)) * 1000)::float8 AS first,
              (extract(epoch FROM max(requested_at)) * 1000)::float8 AS last
         FROM message WHERE campaign_id = $1 AND direction = 'outbound' AND provider_message_sid IS NOT NULL`,
      [campaign.campaignId],
    )
  ).rows;
  const spanSeconds = span.first === null || span.last === null ? 0 : (span.last - span.first) / 1000;
  const achievedPerSecond = spanSeconds > 0 ? (span.accepted - SENDERS) / spanSeconds : 0;
  const throughputRatio = achievedPerSecond / SUM_OF_CAPS;

  // Duplicates: the carrier's texts per (to, body); ours per provider sid (unique in the schema, checked anyway).
  const perRecipient = new Map<string, number>();
  for (const text of outbound)
    perRecipient.set(`${String(text.to)}\u0000${String(text.body)}`, (perRecipient.get(`${String(text.to)}\u0000${String(text.body)}`) ?? 0) + 1);
  const carrierDuplicates = [...perRecipient.values()].reduce((sum, count) => sum + count - 1, 0);
  const [{ duplicateSids, initialsPerPhone }] = (
    await owner.query<{ duplicateSids: number; initialsPerPhone: number }>(
      `SELECT (count(provider_message_sid) - count(DISTINCT provider_message_sid))::int AS "duplicateSids",
              (count(*) FILTER (WHERE kind = 'initial') - count(DISTINCT voter_phone) FILTER (WHERE kind = 'initial'))::int AS "initialsPerPhone"
         FROM message WHERE campaign_id = $1 AND direction = 'outbound'`,
      [campaign.campaignId],
    )
  ).rows;

  // After each STOP's webhook answered: no text to that phone asked of the carrier (our claims), none created at the carrier.
  const stopsByPhone = new Map(run.stops.map((stop) => [stop.phone, stop]));
  const stoppedTexts = (
    await owner.query<{ phone: string; kind: string; status: string; errorCode: string | null; requestedAt: number | null }>(
      `SELECT voter_phone AS phone, kind, status, error_code AS "errorCode", (extract(epoch FROM requested_at) * 1000)::float8 AS "requestedAt"
         FROM message WHERE campaign_id = $1 AND direction = 'outbound' AND voter_phone = ANY ($2::text[])`,
      [campaign.campaignId, [...stopsByPhone.keys()]],
    )
  ).rows;
  let askedAfterStop = 0;
  let inFlightAtStop = 0;
  let canceledByStop = 0;
  let refusedInFlight = 0;
  for (const text of stoppedTexts) {
    const stop = stopsByPhone.get(text.phone) as StopSample;
    if (text.kind === 'opt_out_reply' || text.kind === 'help_reply') continue;
    if (text.status === 'canceled' && text.errorCode === 'opted-out') canceledByStop += 1;
    if (text.requestedAt === null) continue;
    if (text.requestedAt > stop.answeredAt) askedAfterStop += 1;
    else if (text.requestedAt >= stop.injectedAt) {
      // Claimed under the phone's lock before the STOP took it: the webhook waited for this request. The carrier,
      // which blocks the pair as soon as the STOP arrives (as Twilio does), may refuse it (21610).
      inFlightAtStop += 1;
      if (text.status === 'failed' && text.errorCode === '21610') refusedInFlight += 1;
    }
  }
  let carrierAfterStop = 0;
  for (const stop of run.stops) {
    // date_created has whole seconds: a text counts only when its second began after the answer.
    for (const text of simulator.messages({ to: stop.phone }))
      if (text.direction === 'outbound-api' && Date.parse(String(text.date_created)) > stop.answeredAt) carrierAfterStop += 1;
  }
  const textsAfterStop = askedAfterStop + carrierAfterStop;
  // Who recorded each STOPped phone's opt-out: the keyword (the webhook), or the carrier's 21610 to a text in flight.
  const optOutSources = Object.fromEntries(
    (
      await owner.query<{ source: string; count: number }>(
        `SELECT source, count(*)::int AS count FROM opt_out WHERE alliance_id = $1 AND phone = ANY ($2::text[]) GROUP BY source ORDER BY source`,
        [campaign.allianceId, [...stopsByPhone.keys()]],
      )
    ).rows.map((row) => [row.source, row.count]),
  );

  const optOutMs = run.stops.map((stop) => stop.optOutVisibleMs);
  const webhookMs = run.stops.map((stop) => stop.webhookMs);
  const answeredMs = run.stops.map((stop) => stop.answeredMs);
  const senderFigures = Object.values(stats.senders);
  const rateLimitRejections = stats.rateLimited;
  const unsent = UNSENT.reduce((sum, status) => sum + (measurement.settled[status] ?? 0), 0);
  const failed = measurement.settled.failed ?? 0;
  const targets = {
    throughputRatio: throughputRatio >= THROUGHPUT_TARGET,
    noRateLimitRejections: rateLimitRejections === 0,
    noDuplicates: carrierDuplicates === 0 && duplicateSids === 0 && initialsPerPhone === 0,
    noTextAfterStop: textsAfterStop === 0 && run.stops.every((stop) => stop.webhookStatus === 200),
    everyTextSentOrStopped: !run.timedOut && unsent === 0 && failed === refusedInFlight && span.accepted + canceledByStop + refusedInFlight === MESSAGES,
  };
  const cpuSeconds = measurement.cpu.seconds;
  const cores = (start: number | null, end: number | null) => (start === null || end === null ? null : round((end - start) / cpuSeconds, 2));
  return {
    bench: 'sms',
    mode: QUICK ? 'quick' : 'full',
    messages: MESSAGES,
    senders: SENDERS,
    capPerSender: CAP_PER_SENDER,
    sumOfCaps: SUM_OF_CAPS,
    accountCap: ACCOUNT_CAP,
    workers: WORKERS,
    workerConcurrency: CONCURRENCY,
    achievedPerSecond: round(achievedPerSecond, 2),
    throughputRatio: round(throughputRatio, 4),
    rateLimitRejections,
    carrierDuplicates,
    textsAfterStop,
    stops: run.stops.length,
    stopP50Ms: round(percentile(optOutMs, 0.5), 1),
    stopP99Ms: round(percentile(optOutMs, 0.99), 1),
    stopMaxMs: round(Math.max(0, ...optOutMs), 1),
    webhookP50Ms: round(percentile(webhookMs, 0.5), 1),
    webhookP99Ms: round(percentile(webhookMs, 0.99), 1),
    answeredP99Ms: round(percentile(answeredMs, 0.99), 1),
    sendSeconds: round(spanSeconds, 2),
    wallSeconds: round((performance.now() - context.wallStarted) / 1000, 1),
    targets,
    targetsMet: Object.values(targets).every(Boolean),
    carrier: {
      accepted: stats.created,
      acceptedInDatabase: span.accepted,
      refusedAsUnsubscribed: stats.optedOut,
      serverErrors: stats.serverErrors,
      maxAcceptedPerSecondAccount: stats.maxAcceptedPerSecond,
      perSender: {
        acceptedMin: Math.min(...senderFigures.map((sender) => sender.accepted)),
        acceptedMax: Math.max(...senderFigures.map((sender) => sender.accepted)),
        maxAcceptedPerSecond: Math.max(...senderFigures.map((sender) => sender.maxAcceptedPerSecond)),
        rateLimited: senderFigures.reduce((sum, sender) => sum + sender.rateLimited, 0),
      },
      callbacks: simulator.stats().callbacks,
    },
    stopChecks: { askedAfterStop, carrierAfterStop, inFlightAtStop, refusedInFlight, canceledByStop, optOutSources },
    duplicates: { carrier: carrierDuplicates, providerSids: duplicateSids, initialsPerPhone },
    statuses: measurement.settled,
    timedOut: run.timedOut,
    timeline: run.timeline,
    postgresWaits: run.postgresWaits,
    enqueueSeconds: measurement.enqueueSeconds,
    timeZone: `${context.zone.name} (${context.zone.localTime} at the start)`,
    cpuCores: {
      api: cores(measurement.cpu.start.api, measurement.cpu.end.api),
      workers: measurement.cpu.start.workers.map((start, index) => cores(start, measurement.cpu.end.workers[index])),
      benchAndSimulator: round((measurement.cpu.end.self - measurement.cpu.start.self) / cpuSeconds, 2),
      // Every process on the machine (of its 2 cores here): PostgreSQL, Redis, and anything else running meanwhile.
      machine: cores(measurement.cpu.start.machine, measurement.cpu.end.machine),
    },
    loadAverage: { start: round(measurement.loadAverageAtStart, 2), end: round(loadavg()[0], 2) },
    logs: measurement.logs,
  };
}

interface CpuReading {
  readonly api: number | null;
  readonly workers: (number | null)[];
  readonly self: number;
  readonly machine: number | null;
}

function cpuOf(processes: BenchProcesses, api: StartedProcess, workers: readonly StartedProcess[]): CpuReading {
  const usage = process.cpuUsage();
  return {
    api: processes.cpuSeconds(api),
    workers: workers.map((worker) => processes.cpuSeconds(worker)),
    self: (usage.user + usage.system) / 1e6,
    machine: machineBusySeconds(),
  };
}

/** CPU seconds the whole machine has been busy (every process, PostgreSQL and whatever else runs here), from /proc/stat; null where unreadable. */
function machineBusySeconds(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + (steal ?? 0)) / 100;
  } catch {
    return null;
  }
}

/** The simulator's warnings and errors, counted by message. */
class SimulatorLogCounter {
  private readonly counts = new Map<string, number>();
  private warnings = 0;
  private errors = 0;

  readonly log = (entry: SimulatorLogEntry): void => {
    if (entry.level !== 'warn' && entry.level !== 'error') return;
    if (entry.level === 'error') this.errors += 1;
    else this.warnings += 1;
    const what = `${entry.message} ${typeof entry.reason === 'string' ? entry.reason : ''}`.trim().slice(0, 160);
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  };

  summary(): { errors: number; warnings: number; commonest: Record<string, number> } {
    const commonest = Object.fromEntries([...this.counts.entries()].sort((left, right) => right[1] - left[1]).slice(0, 5));
    return { errors: this.errors, warnings: this.warnings, commonest };
  }
}

/**
 * A zone whose local time is at least an hour inside 08:00–21:00 (New York first, then the other US
 * zones, then any zone the runtime knows), so the window stays open for the whole run.
 */
function zoneOpenAllRun(now: Date): { name: string; localTime: string } | null {
  const candidates = [...new Set(['America/New_York', ...VOTER_TIME_ZONES, ...Intl.supportedValuesOf('timeZone')])];
  for (const name of openTimeZones(candidates, now, WINDOW)) {
    const minute = localMinuteOfDay(name, now);
    if (minute >= WINDOW.startMinute + ZONE_MARGIN_MINUTES && minute < WINDOW.endMinute - ZONE_MARGIN_MINUTES) {
      return { name, localTime: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}` };
    }
  }
  return null;
}

/** Nearest rank; 0 for no samples. */
function percentile(values: readonly number[], quantile: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))];
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function progress(message: string): void {
  process.stderr.write(`bench/sms: ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/sms failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
