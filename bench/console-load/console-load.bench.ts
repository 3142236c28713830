import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import {
  DEFAULT_CALL_SCRIPT,
  DEFAULT_CALLING_WINDOW,
  DEFAULT_SURVEY_QUESTIONS,
  isWithinCallingWindow,
  localMinuteOfDay,
  openTimeZones,
  OpenZonesCache,
  VOTER_TIME_ZONES,
} from '@app/campaigns';
import { type AppConfig, childProcessEnvironment } from '@app/config';
import { CallListLeaseRepository, LEASE_SECONDS } from '@app/contacts';
import { buildDataSourceOptions, DatabaseRole, RowScopeRunner } from '@app/database';
import { ARGON2ID_PARAMETERS } from '@app/identity';
import { readWorkerHeartbeat } from '@app/queue';
import { findFreePort, prepareProcess } from '@app/runtime';
import { CallCardRepository } from '../../libs/contacts/src/calling/call-card.repository';
import { SegmentEvidenceRepository } from '../../libs/segments/src/evidence/segment-evidence.repository';
import { generateNcvoterFile, importWithCli, withMigratedBenchDatabase } from '../shared/bench-files.util';
import { BenchProcesses, type StartedProcess, waitFor } from '../shared/bench-processes';
import { type BenchOrganizations, createBenchOrganizations, removeRedisKeys } from '../shared/bench-setup.util';
import { type ChildMessage, type LoadPlan, type LoadResult, type ParentMessage, type PhaseName, probeFileOf, type VolunteerCredentials } from './load-plan';

/**
 * bench/console-load: volunteers working a phone campaign against the real processes: the api
 * (`dist/apps/api/src/main.js`), the dialer worker and the carrier simulator, each in its own
 * process, driven by a load generator in a process of its own (volunteer-load.ts: HTTP keep-alive
 * plus one WebSocket per volunteer, as the console). In one run, at the same concurrency:
 *
 * - the trivial authenticated endpoint (`GET /api/auth/sessions/current`) back to back, before and
 *   after
 * - "next voter" + "save disposition" back to back with no call and no think time (what the two
 *   endpoints can serve: `throughputRatio` is this ÷ the trivial rate)
 * - the real loop for `--seconds`: next, read the card, call, wait for `in-progress` on the socket,
 *   talk, hang up, wrap up, save (everyone "contacted" with the survey answered, so any voter handed
 *   out twice is an error), at real calls' pace times `--pace-factor`: p50/p99 of next and save,
 *   errors, and every hand-out checked, then against `contact_attempt`.
 *
 * The api decides who may be called now from the voter's time zone (calling window 09:00-20:30
 * local). The call list is moved into one zone where it is now 10:00-19:00 (New York first, then the
 * other US zones, then any zone Intl knows, so there always is one). Progress goes to stderr, one
 * JSON line to stdout.
 */
const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    volunteers: { type: 'string' },
    seconds: { type: 'string' },
    voters: { type: 'string' },
    'trivial-seconds': { type: 'string' },
    'saturated-seconds': { type: 'string' },
    // How many times faster than real calls the volunteers work (see CALL_PROFILE): 1 by default (real pace), 20 with --quick.
    'pace-factor': { type: 'string' },
    // Per-route query counts, query and pool-wait time, the slowest statements (a probe preloaded into the
    // api and the worker), PostgreSQL's wait events during the work, EXPLAIN ANALYZE of the call path's
    // call-list and voter statements before and after, and the api's and the worker's CPU profiles of the
    // work phase (where their time goes, by package and function). Not for the headline figures: the probe costs a little.
    diagnose: { type: 'boolean', default: false },
    // With --diagnose: copies the api's and the worker's V8 CPU profiles of the work phase (.cpuprofile: Chrome DevTools, speedscope) here.
    'cpu-profile-dir': { type: 'string' },
    // Leaves the bench database in place (its name goes to stderr), to look into it afterwards.
    'keep-database': { type: 'boolean', default: false },
  },
});
const QUICK = options.quick === true;
const DIAGNOSE = options.diagnose === true;
const VOLUNTEERS = Number(options.volunteers ?? (QUICK ? 30 : 300));
const WORK_SECONDS = Number(options.seconds ?? (QUICK ? 8 : 60));
const VOTERS = Number(options.voters ?? (QUICK ? 5_000 : 20_000));
const TRIVIAL_SECONDS = Number(options['trivial-seconds'] ?? (QUICK ? 2 : 10));
const SATURATED_SECONDS = Number(options['saturated-seconds'] ?? (QUICK ? 3 : 20));
/** Before a closed-loop phase's measured window: the queue of requests fills (at 300 volunteers, next + save took 15 s on this machine). */
const SETTLE_SECONDS = { trivial: QUICK ? 1 : 3, saturated: QUICK ? 1 : 10 };
const WARM_UP_SECONDS = QUICK ? 1 : 2;
/**
 * One preview-mode call as a volunteer works it, from the shortest-call profile of
 * ../shared/reference/dialer-pacing.md (L100, GOTV reminders: ring LogN(10 s, 5 s), talk LogN(45 s,
 * 30 s), wrap LogN(10 s, 5 s)) as uniform ranges around those means, plus a few seconds to read the
 * card. Real volunteers take 60–200 s a call; `--pace-factor` runs them that many times faster (the
 * full run's default is 1, real pace; 2 is a stress figure).
 */
const CALL_PROFILE = {
  previewMs: { min: 4_000, max: 8_000 },
  ringMs: { min: 6_000, max: 14_000 },
  talkMs: { min: 30_000, max: 60_000 },
  wrapUpMs: { min: 6_000, max: 14_000 },
} as const;
const PACE_FACTOR = Number(options['pace-factor'] ?? (QUICK ? 20 : 1));
const ALLIANCE = 'bench-console-load';
const CAMPAIGN_SLUG = 'bench-console-load';
/** The load generator's check: p99 of next and of save under this. */
const P99_TARGET_MS = 100;
/** A zone is used when its local time is at least an hour inside the 09:00-20:30 window at both ends. */
const ZONE_OPEN_FROM = 10 * 60;
const ZONE_OPEN_UNTIL = 19 * 60;
const BUILT = resolve(__dirname, '../..');
const REPOSITORY = resolve(BUILT, '..');
const CLOCK_TICKS_PER_SECOND = 100;
/** Tables the next + save loop writes: vacuumed between the saturated and the work phase. */
const CHURNED_TABLES = ['campaign_contact', 'contact_attempt', 'survey_response', 'segment_evidence', 'call', 'provider_event', 'user_session'];
const LIVE_CALL_STATUSES = ['created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress'];

async function main(): Promise<void> {
  const now = new Date();
  const zone = zoneOpenAllRun(now);
  if (zone === null) {
    // Only if this runtime's Intl knew no zones at all.
    progress(`no time zone is between 10:00 and 19:00 now (${now.toISOString()}): nobody could be called; nothing measured`);
    process.stdout.write(`${JSON.stringify({ bench: 'console-load', quick: QUICK, skipped: 'outside every calling window', at: now.toISOString() })}\n`);
    // Quick mode (CI) proves the benchmark works where it can; a full run without figures is not a success.
    process.exit(QUICK ? 0 : 2);
  }

  const { config, services } = await prepareProcess();
  const work = mkdtempSync(join(tmpdir(), 'crossroads-bench-console-load-'));
  const processes = new BenchProcesses(work, REPOSITORY, progress);
  // The api's, the worker's and the import's queues, sign-in counters and heartbeats: all under this, removed at the end.
  const queuePrefix = `bench-console-${randomBytes(4).toString('hex')}`;
  try {
    await withMigratedBenchDatabase(services.endpoints.databaseUrl, { keep: options['keep-database'] === true, log: progress }, async (benchUrl) => {
      const owner = new Client({ connectionString: benchUrl, application_name: 'bench-console-load' });
      await owner.connect();
      try {
        const figures = await benchmark(config, owner, benchUrl, services.endpoints.redisUrl, queuePrefix, zone, work, processes);
        process.stdout.write(`${JSON.stringify(figures)}\n`);
      } finally {
        await processes.stopAll();
        await owner.end();
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
}

/**
 * A zone whose local time is 10:00-19:00: New York first (the synthetic voters' own), then the other
 * US zones, then any zone the runtime knows (the voters are moved there, as voters abroad would be; the
 * window itself is never widened), so the benchmark measures at any hour.
 */
function zoneOpenAllRun(now: Date): { name: string; localTime: string } | null {
  const candidates = [...new Set(['America/New_York', ...VOTER_TIME_ZONES, ...Intl.supportedValuesOf('timeZone')])];
  const open = openTimeZones(candidates, now, DEFAULT_CALLING_WINDOW);
  for (const name of open) {
    const minute = localMinuteOfDay(name, now);
    if (minute >= ZONE_OPEN_FROM && minute < ZONE_OPEN_UNTIL) {
      return { name, localTime: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}` };
    }
  }
  return null;
}

async function benchmark(
  config: AppConfig,
  owner: Client,
  benchUrl: string,
  redisUrl: string,
  queuePrefix: string,
  zone: { name: string; localTime: string },
  work: string,
  processes: BenchProcesses,
): Promise<Record<string, unknown>> {
  const loadAverageAtStart = loadavg()[0];
  const [{ id: allianceId }] = (
    await owner.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ($1, 'Bench console load') RETURNING id`, [ALLIANCE])
  ).rows;
  progress(`generating ${VOTERS} voters and importing them with voters import`);
  const file = generateNcvoterFile(join(work, 'ncvoter.txt'), VOTERS, 23);
  await importWithCli(file, ALLIANCE, childProcessEnvironment({ databaseUrl: benchUrl, redisUrl }, { LOG_LEVEL: 'warn', QUEUE_PREFIX: queuePrefix }));
  await owner.query('VACUUM (ANALYZE) voter');

  const organizations = await createBenchOrganizations(owner, allianceId);
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hash(password, ARGON2ID_PARAMETERS);
  const lead = await createUsers(owner, allianceId, organizations.memberId, 'org_lead', 1, passwordHash);
  const volunteerEmails = await createUsers(owner, allianceId, organizations.memberId, 'volunteer', VOLUNTEERS, passwordHash);

  // The three processes, on free ports, with a queue prefix of their own.
  const [apiPort, simulatorPort] = [await findFreePort(), await findFreePort()];
  const origin = `http://127.0.0.1:${apiPort}`;
  const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
  const environment = childProcessEnvironment(
    { databaseUrl: benchUrl, redisUrl },
    {
      QUEUE_PREFIX: queuePrefix,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: origin,
      CARRIER_SIM_URL: simulatorUrl,
      CARRIER_SIM_PORT: String(simulatorPort),
      CARRIER_SIM_CALLS_PER_SECOND: '1000',
      LOG_LEVEL: 'warn',
    },
  );
  progress(`starting the carrier simulator, the api and the dialer worker${DIAGNOSE ? ' (with the query probe)' : ''}`);
  const simulator = processes.start('carrier-sim', resolve(BUILT, 'apps/carrier-sim/src/main.js'), environment);
  const api = startProbed(processes, 'api', resolve(BUILT, 'apps/api/src/main.js'), environment, DIAGNOSE);
  const worker = startProbed(processes, 'dialer-worker', resolve(BUILT, 'apps/dialer-worker/src/main.js'), environment, DIAGNOSE);
  const { accountSid, authToken } = config.carrierSimulator;
  const simulatorAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  await waitFor('the carrier simulator', processes, async () => (await fetch(`${simulatorUrl}/health`)).ok);
  await waitFor('the api', processes, async () => (await fetch(`${origin}/health`)).ok);
  await waitFor('the dialer worker', processes, async () => (await readWorkerHeartbeat(redisUrl, queuePrefix, 'dialer-worker'))?.state === 'running');
  // Every voter answers after the profile's ring and talks until the volunteer hangs up.
  const ringMs = faster(CALL_PROFILE.ringMs);
  const scenario = await fetch(`${simulatorUrl}/sim/scenario`, {
    method: 'PUT',
    headers: { authorization: simulatorAuth, 'content-type': 'application/json' },
    body: JSON.stringify({
      seed: 7,
      weights: { human: 1 },
      timings: {
        connectMs: { min: 5, max: 10 },
        ringMs: { human: ringMs },
        detectionMs: { min: 5, max: 10 },
        talkMs: { human: null, machine: null },
      },
    }),
  });
  if (!scenario.ok) throw new Error(`the simulator refused the scenario: ${scenario.status} ${await scenario.text()}`);

  // The campaign, as its organization's lead sets it up through the api; its turf written as the owner (as the e2e test does).
  const leadSession = await signIn(origin, lead[0], password, '10.250.0.1');
  const campaign = await apiRequest<{ id: string }>(origin, leadSession, 'POST', '/api/campaigns', 201, {
    slug: CAMPAIGN_SLUG,
    name: 'Bench console load',
    callerIds: ['+14155550123'],
    callingWindow: { start: '09:00', end: '20:30' },
  });
  await apiRequest(origin, leadSession, 'PUT', `/api/campaigns/${campaign.id}/script`, 200, {
    script: DEFAULT_CALL_SCRIPT,
    surveyQuestions: DEFAULT_SURVEY_QUESTIONS,
  });
  await assignEveryVoter(owner, allianceId, organizations, campaign.id);
  await apiRequest(origin, leadSession, 'POST', `/api/campaigns/${campaign.id}/status`, 200, { status: 'active' });
  // Everyone into one zone whose window is open for the whole run (see zoneOpenAllRun); nothing else about the list changes.
  const listed = await owner.query(`UPDATE campaign_contact SET time_zone = $2 WHERE campaign_id = $1`, [campaign.id, zone.name]);
  await owner.query('VACUUM (ANALYZE) campaign_contact');
  const callList = listed.rowCount ?? 0;
  progress(`campaign active with ${callList} phones on its call list, all in ${zone.name} (${zone.localTime} there)`);

  progress(`signing in ${VOLUNTEERS} volunteers`);
  const signInStarted = performance.now();
  const volunteers = await mapLimit(volunteerEmails, 8, (email, index) =>
    signIn(origin, email, password, `10.${((index + 1) >> 16) & 255}.${((index + 1) >> 8) & 255}.${(index + 1) & 255}`),
  );
  progress(`signed in in ${((performance.now() - signInStarted) / 1000).toFixed(1)} s`);

  const callPathPlansBefore = DIAGNOSE ? await explainCallPathStatements(owner, benchUrl, allianceId, organizations.memberId, campaign.id) : null;
  const answers = DEFAULT_SURVEY_QUESTIONS.map((question) => ({
    questionKey: question.key,
    answer: question.choices.length > 0 ? question.choices[0].value : 'Bench answer',
  }));
  const plan: LoadPlan = {
    origin,
    campaignId: campaign.id,
    volunteers,
    answers,
    warmUpSeconds: WARM_UP_SECONDS,
    trivialSeconds: TRIVIAL_SECONDS,
    saturatedSeconds: SATURATED_SECONDS,
    settleSeconds: SETTLE_SECONDS,
    workSeconds: WORK_SECONDS,
    pace: {
      previewMs: faster(CALL_PROFILE.previewMs),
      talkMs: faster(CALL_PROFILE.talkMs),
      wrapUpMs: faster(CALL_PROFILE.wrapUpMs),
      // One mean call: the first calls arrive at the rate of the rest.
      startSpreadMs: meanCallMs(),
    },
    ringMs,
    answerTimeoutMs: ringMs.max + 20_000,
  };
  const meters = new PhaseMeters(
    owner,
    { api: api.child, worker: worker.child, simulator: simulator.child },
    DIAGNOSE ? { api: api.probeFile!, worker: worker.probeFile! } : null,
  );
  const waits = DIAGNOSE ? new WaitEventSampler(benchUrl) : null;
  // The saturated phase leaves thousands of dead rows behind; vacuumed now, autovacuum does not
  // catch up with them in the middle of the work phase (a burst no real phone bank produces).
  const load = await runLoadGenerator(plan, processes, meters, waits, async () => {
    progress('vacuuming what the saturated phase churned before the work phase');
    await owner.query(`VACUUM (ANALYZE) ${CHURNED_TABLES.join(', ')}`);
  });

  // The carrier's last callbacks for the final hang-ups, then the database's view.
  const settled = await settleCalls(owner, campaign.id);
  const database = await databaseChecks(owner, campaign.id);
  const callPathPlansAfter = DIAGNOSE ? await explainCallPathStatements(owner, benchUrl, allianceId, organizations.memberId, campaign.id) : null;
  const tableStats = DIAGNOSE
    ? (
        await owner.query(
          `SELECT relname, n_live_tup::int AS live, n_dead_tup::int AS dead, autovacuum_count::int AS autovacuums, autoanalyze_count::int AS autoanalyzes
             FROM pg_stat_user_tables WHERE relname IN ('campaign_contact', 'call', 'contact_attempt', 'provider_event', 'survey_response', 'user_session')`,
        )
      ).rows
    : null;

  const serverLogs = { api: processes.logSummary(api), worker: processes.logSummary(worker), carrierSimulator: processes.logSummary(simulator) };
  for (const [name, summary] of Object.entries(serverLogs)) {
    if (summary.errors + summary.warnings > 0)
      progress(`${name} logged ${summary.errors} errors and ${summary.warnings} warnings: ${JSON.stringify(summary.commonest)}`);
  }
  const trivialRequestsPerSecond = round((load.trivial[0].requestsPerSecond + load.trivial[1].requestsPerSecond) / 2, 1);
  const errors = load.errors.total + database.unexplained;
  const doubleHandOuts = load.handOuts.votersHandedOutTwice;
  const figures = {
    bench: 'console-load',
    quick: QUICK,
    volunteers: load.volunteers,
    seconds: load.work.seconds,
    voters: VOTERS,
    callList,
    timeZone: `${zone.name} (${zone.localTime} at the start)`,
    paceFactor: PACE_FACTOR,
    meanCallSeconds: round(meanCallMs() / 1000, 1),
    nextVoter: pick(load.work.nextVoter),
    saveDisposition: pick(load.work.saveDisposition),
    callsPlaced: load.work.callsPlaced,
    errors,
    doubleHandOuts,
    // next + save, back to back at the same concurrency, ÷ the trivial endpoint (the mean of the runs before and after).
    throughputRatio: round(load.saturated.nextPlusSavePerSecond / trivialRequestsPerSecond, 3),
    trivialRequestsPerSecond,
    targets: {
      p99Under100Ms: load.work.nextVoter.p99Ms < P99_TARGET_MS && load.work.saveDisposition.p99Ms < P99_TARGET_MS,
      zeroErrors: errors === 0,
      zeroDoubleHandOuts: doubleHandOuts === 0 && database.votersWithTwoAttempts === 0,
    },
    nextPlusSavePerSecond: { saturated: load.saturated.nextPlusSavePerSecond, work: load.work.nextPlusSavePerSecond },
    // The work loop's next + save rate ÷ the trivial rate: set by the volunteers' pace as much as by the api.
    workThroughputRatio: round(load.work.nextPlusSavePerSecond / trivialRequestsPerSecond, 3),
    saturated: {
      seconds: load.saturated.seconds,
      nextVoter: pick(load.saturated.latency.nextVoter),
      saveDisposition: pick(load.saturated.latency.saveDisposition),
      errors: load.saturated.errors,
    },
    trivial: load.trivial.map((phase) => ({ requestsPerSecond: phase.requestsPerSecond, ...pick(phase.latency.trivial), errors: phase.errors })),
    work: {
      cycles: load.work.cycles,
      placeCall: pick(load.work.placeCall),
      hangUp: pick(load.work.hangUp),
      answerWait: pick(load.work.answerWait),
      answersFromPolling: load.work.answersFromPolling,
      socketStatuses: load.socketStatuses,
      ranOut: load.work.ranOut,
      slowest: load.work.slowest,
      loadGeneratorDelayMs: load.work.loadGeneratorDelayMs,
    },
    errorKinds: load.errors.byKind,
    staleSocketRetries: load.staleSocketRetries,
    savesRepeatedAfterFailure: load.repeatedAfterFailure,
    serverLogs,
    handOuts: { voters: load.handOuts.voters, votersHandedOutTwice: load.handOuts.votersHandedOutTwice, whileBothLive: load.handOuts.doubleHandOuts },
    database: { ...database, savedByVolunteers: load.savedLeases, callsByStatus: settled },
    cpuCores: meters.cpuByPhase(),
    postgresTransactionsPerSecond: meters.transactionsByPhase(),
    setupSeconds: load.setupSeconds,
    loadAverage: { start: round(loadAverageAtStart, 2), end: round(loadavg()[0], 2) },
    ...(DIAGNOSE
      ? {
          diagnose: {
            perRoute: meters.probeByPhase(),
            waitEvents: waits?.summary(),
            campaignContactStats: tableStats,
            // Execution and planning times; the plans themselves go to stderr.
            callListStatements: { before: explainTimes(callPathPlansBefore), after: explainTimes(callPathPlansAfter) },
            cpuProfile: {
              api: summarizeProfile(`${api.probeFile!}.cpuprofile`, 'api'),
              worker: summarizeProfile(`${worker.probeFile!}.cpuprofile`, 'dialer-worker'),
            },
          },
        }
      : {}),
  };
  if (load.errors.samples.length > 0) progress(`error samples:\n  ${load.errors.samples.join('\n  ')}`);
  for (const [when, plans] of [
    ['before the load', callPathPlansBefore],
    ['after the run', callPathPlansAfter],
  ] as const) {
    for (const [name, { plan }] of Object.entries(plans ?? {})) process.stderr.write(`\n=== ${name}, ${when}\n${plan}\n`);
  }
  progress(
    `next p50 ${figures.nextVoter.p50Ms} / p99 ${figures.nextVoter.p99Ms} ms, save p50 ${figures.saveDisposition.p50Ms} / p99 ${figures.saveDisposition.p99Ms} ms, ` +
      `${errors} errors, ${doubleHandOuts} voters handed out twice, throughput ratio ${figures.throughputRatio}`,
  );
  return figures;
}

// ---------------------------------------------------------------------------------------------
// Set-up in SQL, as an operator would (the api could not write these)

/** `count` users of one role in the member organization, all with the same password; returns their emails. */
async function createUsers(
  owner: Client,
  allianceId: string,
  organizationId: string,
  role: 'org_lead' | 'volunteer',
  count: number,
  passwordHash: string,
): Promise<string[]> {
  const suffix = randomBytes(3).toString('hex');
  const emails = Array.from({ length: count }, (_, index) => `${role.replace('_', '-')}-${index + 1}-${suffix}@bench.test`);
  await owner.query(
    `WITH users AS (
       INSERT INTO app_user (email, display_name, password_hash)
       SELECT email, 'Bench ' || $5 || ' ' || ordinality, $2 FROM unnest($1::text[]) WITH ORDINALITY AS e (email, ordinality) RETURNING id)
     INSERT INTO membership (user_id, alliance_id, organization_id, role) SELECT id, $3, $4, $5::membership_role FROM users`,
    [emails, passwordHash, allianceId, organizationId, role],
  );
  return emails;
}

/** A turf of every voter, owned by the anchor and assigned to the member for the campaign. */
async function assignEveryVoter(owner: Client, allianceId: string, organizations: BenchOrganizations, campaignId: string): Promise<void> {
  const [{ id: turfId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO turf (alliance_id, organization_id, name, filter, status, voter_count, materialized_at)
       SELECT $1, $2, 'Everyone', '{}', 'materialized', count(*), now() FROM voter WHERE alliance_id = $1 RETURNING id`,
      [allianceId, organizations.anchorId],
    )
  ).rows;
  const [{ id: assignmentId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count)
       SELECT $1, $2, $3, $4, count(*) FROM voter WHERE alliance_id = $1 RETURNING id`,
      [allianceId, campaignId, turfId, organizations.memberId],
    )
  ).rows;
  await owner.query(
    `INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id)
     SELECT $1, id, alliance_id, $2, $3 FROM voter WHERE alliance_id = $4`,
    [campaignId, organizations.memberId, assignmentId, allianceId],
  );
  await owner.query('ANALYZE turf_assignment_voter');
}

// ---------------------------------------------------------------------------------------------
// HTTP for the set-up (the load itself is the load generator's)

async function signIn(origin: string, email: string, password: string, address: string): Promise<VolunteerCredentials> {
  // A made-up address per sign-in (the api trusts X-Forwarded-For from loopback), so the per-address limit never trips.
  const response = await fetch(`${origin}/api/auth/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 201) throw new Error(`signing in ${email} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((each) => each.startsWith('crossroads_session='));
  if (cookie === undefined) throw new Error('signing in set no crossroads_session cookie');
  return { cookie: cookie.split(';')[0], csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken };
}

async function apiRequest<T>(origin: string, session: VolunteerCredentials, method: string, path: string, expected: number, body?: object): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------
// The processes

/** A child started with the query probe (`--diagnose`) when `probe`: its dump files are named after its pid. */
function startProbed(
  processes: BenchProcesses,
  name: string,
  script: string,
  environment: NodeJS.ProcessEnv,
  probe: boolean,
): StartedProcess & { readonly probeFile: string | null } {
  const started = processes.start(name, script, environment, probe ? ['--require', resolve(__dirname, 'process-probe.js')] : []);
  const probeFile = probe && started.child.pid !== undefined ? probeFileOf(started.child.pid) : null;
  if (probeFile !== null) processes.removeOnStop(['', '.partial', '.command', '.cpuprofile'].map((suffix) => `${probeFile}${suffix}`));
  return { ...started, probeFile };
}

/** Forks the load generator, answers its checkpoints (measuring each phase), and returns what it measured. */
function runLoadGenerator(
  plan: LoadPlan,
  processes: BenchProcesses,
  meters: PhaseMeters,
  waits: WaitEventSampler | null,
  beforeWork: () => Promise<void>,
): Promise<LoadResult> {
  const child = fork(resolve(__dirname, 'volunteer-load.js'), [], { cwd: REPOSITORY, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  processes.track({ name: 'load generator', child, logFile: '' }, true);
  meters.loadGenerator = child;
  return new Promise<LoadResult>((resolveResult, reject) => {
    let result: LoadResult | null = null;
    const watchdog = setInterval(() => {
      const exited = processes.exited();
      if (exited !== undefined && exited.child !== child) {
        clearInterval(watchdog);
        child.kill('SIGKILL');
        reject(new Error(`${exited.name} exited during the load:\n${processes.tail(exited)}`));
      }
    }, 500);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'checkpoint') {
        void (async () => {
          if (message.phase === 'work' && message.edge === 'start') await beforeWork();
          await meters.mark(message.phase, message.edge);
          if (message.phase === 'work') {
            if (message.edge === 'start') waits?.start();
            else await waits?.stop();
          }
          child.send({ type: 'checkpoint-ack', phase: message.phase } satisfies ParentMessage);
        })().catch((error: unknown) => {
          clearInterval(watchdog);
          child.kill('SIGKILL');
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      } else if (message.type === 'result') result = message.result;
      else reject(new Error(`the load generator failed: ${message.message}`));
    });
    child.on('exit', (code) => {
      clearInterval(watchdog);
      if (result !== null) resolveResult(result);
      else reject(new Error(`the load generator exited ${String(code)} without a result`));
    });
    child.send({ type: 'plan', plan } satisfies ParentMessage);
  });
}

// ---------------------------------------------------------------------------------------------
// What each phase cost: CPU of every process, PostgreSQL transactions, and (--diagnose) the probe

const MEASURED_PHASES: readonly PhaseName[] = ['trivial-1', 'saturated', 'trivial-2', 'work'];

interface Snapshot {
  readonly at: number;
  readonly epochMs: number;
  readonly cpu: Record<string, number>;
  readonly transactions: number;
  readonly probes: Record<string, ProbeDump> | null;
}

interface ProbeRoute {
  statements: string[];
  requests: number;
  serverMs: number;
  queries: number;
  queryMs: number;
  connects: number;
  poolWaitMs: number;
  waitedConnects: number;
  maxPoolWaitMs: number;
}

interface ProbeDump {
  readonly dumps: number;
  readonly eventLoop: { readonly activeMs: number; readonly idleMs: number };
  readonly maxWaitingClients: number;
  readonly stalls: ReadonlyArray<{ readonly at: number; readonly ms: number; readonly kind: string }>;
  readonly slowRequests: ReadonlyArray<{
    readonly route: string;
    readonly at: number;
    readonly ms: number;
    readonly steps: ReadonlyArray<{ readonly what: string; readonly atMs: number; readonly ms: number }>;
  }>;
  readonly routes: Record<string, ProbeRoute>;
  readonly statements: Record<string, { count: number; ms: number }>;
}

class PhaseMeters {
  loadGenerator: ChildProcess | null = null;
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly owner: Client,
    private readonly children: Record<string, ChildProcess>,
    private readonly probeFiles: Record<string, string> | null,
  ) {}

  async mark(phase: PhaseName, edge: 'start' | 'end'): Promise<void> {
    const cpu: Record<string, number> = {};
    for (const [name, child] of Object.entries({ ...this.children, loadGenerator: this.loadGenerator })) {
      if (child?.pid !== undefined) cpu[name] = cpuSecondsOf([child.pid]);
    }
    cpu.postgres = cpuSecondsOf(pidsNamed('postgres'), true);
    cpu.redis = cpuSecondsOf(pidsNamed('redis-server'));
    const [{ transactions }] = (
      await this.owner.query<{ transactions: string }>(
        `SELECT xact_commit + xact_rollback AS transactions FROM pg_stat_database WHERE datname = current_database()`,
      )
    ).rows;
    // The work phase also runs under V8's sampling profiler in the probed processes.
    const command = phase === 'work' ? (edge === 'start' ? 'profile-start' : 'profile-stop') : null;
    const probes = this.probeFiles === null ? null : await this.dumpProbes(command);
    this.snapshots.set(`${phase}:${edge}`, { at: performance.now(), epochMs: Date.now(), cpu, transactions: Number(transactions), probes });
  }

  private async dumpProbes(command: string | null): Promise<Record<string, ProbeDump>> {
    const dumps: Record<string, ProbeDump> = {};
    for (const [name, file] of Object.entries(this.probeFiles ?? {})) {
      const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProbeDump).dumps : 0;
      if (command !== null) writeFileSync(`${file}.command`, command);
      this.children[name].kill('SIGUSR2');
      const started = performance.now();
      for (;;) {
        const dump = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProbeDump) : null;
        if (dump !== null && dump.dumps > before) {
          dumps[name] = dump;
          break;
        }
        if (performance.now() - started > 30_000) throw new Error(`the ${name} probe did not answer`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
      }
    }
    return dumps;
  }

  private span(phase: PhaseName): [Snapshot, Snapshot] | null {
    const start = this.snapshots.get(`${phase}:start`);
    const end = this.snapshots.get(`${phase}:end`);
    return start === undefined || end === undefined ? null : [start, end];
  }

  /** Cores busy per process in each phase (1.0 = one core all the time; the machine has two). */
  cpuByPhase(): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    for (const phase of MEASURED_PHASES) {
      const span = this.span(phase);
      if (span === null) continue;
      const wall = (span[1].at - span[0].at) / 1000;
      result[phase] = Object.fromEntries(Object.keys(span[1].cpu).map((name) => [name, round((span[1].cpu[name] - (span[0].cpu[name] ?? 0)) / wall, 2)]));
    }
    return result;
  }

  transactionsByPhase(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const phase of MEASURED_PHASES) {
      const span = this.span(phase);
      if (span !== null) result[phase] = round((span[1].transactions - span[0].transactions) / ((span[1].at - span[0].at) / 1000), 1);
    }
    return result;
  }

  /** Per route and phase: requests, queries, query and pool-wait time per request, server time per request; the event loop's busy share. */
  probeByPhase(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const phase of MEASURED_PHASES) {
      const span = this.span(phase);
      if (span === null || span[0].probes === null || span[1].probes === null) continue;
      const perProcess: Record<string, unknown> = {};
      for (const name of Object.keys(span[1].probes)) {
        const before = span[0].probes[name];
        const after = span[1].probes[name];
        const routes: Record<string, Record<string, unknown>> = {};
        for (const [route, figures] of Object.entries(after.routes)) {
          const earlier = before.routes[route];
          const delta = (key: Exclude<keyof ProbeRoute, 'statements'>): number => figures[key] - (earlier?.[key] ?? 0);
          const requests = delta('requests');
          const queries = delta('queries');
          if (requests === 0 && queries === 0) continue;
          if (requests === 0) {
            // Work outside any request (worker jobs, socket messages): totals for the phase.
            routes[route] = { queries, queryMs: round(delta('queryMs'), 0), connects: delta('connects'), poolWaitMs: round(delta('poolWaitMs'), 0) };
            continue;
          }
          const per = requests;
          routes[route] = {
            requests,
            serverMsPerRequest: round(delta('serverMs') / per, 2),
            queriesPerRequest: round(queries / per, 2),
            queryMsPerRequest: round(delta('queryMs') / per, 2),
            poolWaitMsPerRequest: round(delta('poolWaitMs') / per, 2),
            connectsPerRequest: round(delta('connects') / per, 2),
            waitedConnects: delta('waitedConnects'),
            maxPoolWaitMs: round(figures.maxPoolWaitMs, 1),
            statementsOfOneRequest: figures.statements,
          };
        }
        // The statements that took the most time in the phase (time from sending to the answer being read: PostgreSQL, the wire, and the event loop's delay).
        const byTime = Object.entries(after.statements)
          .map(([text, { count, ms }]) => ({ text, count: count - (before.statements[text]?.count ?? 0), ms: ms - (before.statements[text]?.ms ?? 0) }))
          .filter((each) => each.count > 0)
          .sort((left, right) => right.ms - left.ms)
          .slice(0, 12)
          .map((each) => ({ statement: each.text, count: each.count, totalMs: round(each.ms, 0), meanMs: round(each.ms / each.count, 2) }));
        const active = after.eventLoop.activeMs - before.eventLoop.activeMs;
        const idle = after.eventLoop.idleMs - before.eventLoop.idleMs;
        perProcess[name] = {
          eventLoopUtilization: round(active / (active + idle), 3),
          // Seconds into the phase, as the load generator's `work.slowest` counts them (give or take the checkpoint's round trip).
          stalls: after.stalls
            .filter((stall) => stall.at >= span[0].epochMs && stall.at <= span[1].epochMs)
            .map((stall) => ({ atSecond: round((stall.at - span[0].epochMs) / 1000, 2), ms: round(stall.ms, 0), kind: stall.kind })),
          // The phase's requests of 80 ms or more (the first 12), each step: pooled-connection waits and statements, when they began and how long they took.
          slowRequests: after.slowRequests
            .filter((slow) => slow.at >= span[0].epochMs && slow.at <= span[1].epochMs)
            .slice(0, 12)
            .map((slow) => ({
              route: slow.route,
              atSecond: round((slow.at - span[0].epochMs) / 1000, 2),
              ms: round(slow.ms, 0),
              steps: slow.steps.map((step) => `${round(step.atMs, 0)}+${round(step.ms, 0)} ${step.what}`),
            })),
          maxWaitingForConnection: after.maxWaitingClients,
          routes,
          slowestStatements: byTime,
        };
      }
      result[phase] = perProcess;
    }
    return result;
  }
}

/**
 * CPU seconds of these processes. With `reapedChildren`, also of their children that have exited
 * (cutime and cstime): PostgreSQL's autovacuum workers and other short-lived backends end between
 * two marks, and the postmaster keeps their time.
 */
function cpuSecondsOf(pids: readonly number[], reapedChildren = false): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime: fields 14 and 15 of the line, 12th and 13th after the command name; cutime and cstime follow.
      ticks += Number(fields[11]) + Number(fields[12]) + (reapedChildren ? Number(fields[13]) + Number(fields[14]) : 0);
    } catch {
      // gone, or not ours to read
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

function pidsNamed(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** --diagnose: what the bench database's backends are doing, sampled every 100 ms during the work phase. */
class WaitEventSampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private startedAt = 0;
  /** The samples with the most active backends: when, and what they were doing. */
  private busiest: Array<{ atSecond: number; active: number; states: Record<string, number> }> = [];
  private timer: NodeJS.Timeout | null = null;
  private client: Client | null = null;
  private busy = false;

  constructor(private readonly url: string) {}

  start(): void {
    this.client = new Client({ connectionString: this.url, application_name: 'bench-console-load-sampler' });
    const client = this.client;
    this.startedAt = Date.now();
    void client.connect().then(() => {
      this.timer = setInterval(() => {
        if (this.busy) return;
        this.busy = true;
        void client
          .query<{ what: string; backends: number }>(
            `SELECT coalesce(state, '?') || coalesce(': ' || wait_event_type || '/' || wait_event, '') AS what, count(*)::int AS backends
               FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'crossroads' GROUP BY 1`,
          )
          .then(({ rows }) => {
            this.samples += 1;
            for (const row of rows) this.counts.set(row.what, (this.counts.get(row.what) ?? 0) + row.backends);
            const active = rows.filter((row) => row.what.startsWith('active')).reduce((sum, row) => sum + row.backends, 0);
            this.busiest.push({
              atSecond: round((Date.now() - this.startedAt) / 1000, 1),
              active,
              states: Object.fromEntries(rows.filter((row) => !row.what.startsWith('idle')).map((row) => [row.what, row.backends])),
            });
            this.busiest = this.busiest.sort((left, right) => right.active - left.active).slice(0, 8);
          })
          .finally(() => (this.busy = false));
      }, 100);
    });
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    while (this.busy) await new Promise((resolveWait) => setTimeout(resolveWait, 10));
    await this.client?.end();
  }

  /** Mean number of the api's and worker's backends in each state (and wait event) over the samples. */
  summary(): { samples: number; meanBackends: Record<string, number>; busiest: WaitEventSampler['busiest'] } {
    const mean = [...this.counts.entries()]
      .sort((left, right) => right[1] - left[1])
      .map(([what, total]) => [what, round(total / Math.max(this.samples, 1), 2)]);
    return { samples: this.samples, meanBackends: Object.fromEntries(mean), busiest: this.busiest };
  }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements of the call path that read the call list or a voter,
 * as the api sends them (as crossroads_api, in a calling session's scope), each rolled back. In each
 * transaction the session first holds one call-list row, as it would after `next`: the lease
 * statement renewing that lease, the same statement leasing the next row (for another session), the card's voter
 * (CallCardRepository.voterWithOrganization), the voter's values evidence (read for the card's
 * segment and before an answer is recorded) and the visibility check of the segment routes
 * (SegmentEvidenceRepository.visibleVoter).
 */
async function explainCallPathStatements(
  owner: Client,
  benchUrl: string,
  allianceId: string,
  organizationId: string,
  campaignId: string,
): Promise<Record<string, { ms: number; plan: string }>> {
  const statements: Array<{ sql: string; parameters: unknown[] }> = [];
  const recording = {
    query: (sql: string, parameters: unknown[]) => {
      statements.push({ sql, parameters });
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;
  const now = new Date();
  const { rows } = await owner.query<{ contact: string; voter: string }>(
    `SELECT id::text AS contact, voter_id::text AS voter FROM campaign_contact WHERE campaign_id = $1 ORDER BY id DESC LIMIT 1`,
    [campaignId],
  );
  const session = randomUUID();
  const leases = new CallListLeaseRepository();
  const leaseRequest = {
    campaignId,
    organizationId,
    openTimeZones: new OpenZonesCache().openAt(now, DEFAULT_CALLING_WINDOW),
    unknownZoneOpen: isWithinCallingWindow(null, now, DEFAULT_CALLING_WINDOW),
    leaseSeconds: LEASE_SECONDS,
    mayLeaseNew: true,
  };
  // The session holding a lease renews it; another session leases the next row.
  await leases.renewOrLeaseNext(recording, { ...leaseRequest, sessionId: session });
  await leases.renewOrLeaseNext(recording, { ...leaseRequest, sessionId: randomUUID() });
  await new CallCardRepository().voterWithOrganization(recording, allianceId, rows[0].voter, organizationId);
  await new SegmentEvidenceRepository().listForVoter(recording, allianceId, rows[0].voter);
  await new SegmentEvidenceRepository().visibleVoter(recording, allianceId, rows[0].voter);
  const names = ['renewCurrent', 'leaseNext', 'cardVoter', 'evidence', 'evidenceVisibleVoter'];
  const dataSource = await new DataSource(buildDataSourceOptions(benchUrl, 1, 'bench-console-load-explain', DatabaseRole.Api)).initialize();
  const plans: Record<string, { ms: number; plan: string }> = {};
  try {
    for (const [index, statement] of statements.entries()) {
      const rollBack = new Error('rolled back');
      await new RowScopeRunner(dataSource)
        .run({ kind: 'organizations', allianceId, organizationIds: [organizationId], regionCounties: [], callingSessionId: session }, async (manager) => {
          await manager.query(
            `UPDATE campaign_contact SET lease_id = gen_random_uuid(), leased_session_id = $2, leased_until = now() + interval '15 minutes' WHERE id = $1`,
            [rows[0].contact, session],
          );
          const lines = (await manager.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.parameters)) as Array<{ 'QUERY PLAN': string }>;
          const plan = lines.map((line) => line['QUERY PLAN']).join('\n');
          const execution = /Execution Time: ([\d.]+) ms/.exec(plan);
          plans[names[index]] = { ms: execution === null ? -1 : Number(execution[1]), plan };
          throw rollBack;
        })
        .catch((error: unknown) => {
          if (error !== rollBack) throw error;
        });
    }
  } finally {
    await dataSource.destroy();
  }
  return plans;
}

function faster(range: { readonly min: number; readonly max: number }): { min: number; max: number } {
  return { min: Math.round(range.min / PACE_FACTOR), max: Math.round(range.max / PACE_FACTOR) };
}

/** The mean length of one call at the chosen pace, from the card to the saved disposition (requests' own time aside). */
function meanCallMs(): number {
  return Object.values(CALL_PROFILE).reduce((sum, range) => sum + (range.min + range.max) / 2, 0) / PACE_FACTOR;
}

function explainTimes(plans: Record<string, { ms: number; plan: string }> | null): Record<string, { executionMs: number; planningMs: number }> {
  return Object.fromEntries(
    Object.entries(plans ?? {}).map(([name, { ms, plan }]) => [
      name,
      { executionMs: ms, planningMs: Number(/Planning Time: ([\d.]+) ms/.exec(plan)?.[1] ?? -1) },
    ]),
  );
}

/**
 * Where a process's CPU went in the work phase, from its V8 sampling profile: the share of samples
 * by package (node_modules/<package>, node's own code, ours by library, V8's garbage collector,
 * idle) and the functions with the most self time. The raw profile is copied to --cpu-profile-dir.
 */
function summarizeProfile(path: string, name: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null;
  const directory = options['cpu-profile-dir'];
  if (directory !== undefined) copyFileSync(path, join(directory, `console-load-${name}-${Date.now()}.cpuprofile`));
  const profile = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: Array<{ id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    startTime: number;
    endTime: number;
  };
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = packageOf(url, functionName);
    byPackage.set(place, (byPackage.get(place) ?? 0) + hits);
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/node_modules\//, '').replace(`file://${REPOSITORY}/`, '')}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const top = (map: Map<string, number>, count: number): Record<string, number> =>
    Object.fromEntries(
      [...map.entries()]
        .sort((left, right) => right[1] - left[1])
        .slice(0, count)
        .map(([key, hits]) => [key, round((100 * hits) / Math.max(total, 1), 1)]),
    );
  return { seconds: round((profile.endTime - profile.startTime) / 1e6, 1), percentByPackage: top(byPackage, 20), percentSelfByFunction: top(byFunction, 25) };
}

function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module !== null) return module[1];
  const ours = /\/dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  return ours !== null ? ours[1] : url;
}

// ---------------------------------------------------------------------------------------------
// After the load: the calls settle, then the database's view of what was saved

async function settleCalls(owner: Client, campaignId: string): Promise<Record<string, number>> {
  const started = performance.now();
  for (;;) {
    const { rows } = await owner.query<{ status: string; calls: number }>(
      `SELECT status, count(*)::int AS calls FROM call WHERE campaign_id = $1 GROUP BY status`,
      [campaignId],
    );
    const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.calls]));
    const live = LIVE_CALL_STATUSES.reduce((sum, status) => sum + (byStatus[status] ?? 0), 0);
    if (live === 0 || performance.now() - started > 30_000) {
      if (live > 0) progress(`${live} calls still live 30 s after the load`);
      return byStatus;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

async function databaseChecks(owner: Client, campaignId: string): Promise<{ attempts: number; votersWithTwoAttempts: number; unexplained: number }> {
  const [{ attempts, voters, twice, other }] = (
    await owner.query<{ attempts: number; voters: number; twice: number; other: number }>(
      `SELECT count(*)::int AS attempts, count(DISTINCT voter_id)::int AS voters,
              (SELECT count(*)::int FROM (SELECT voter_id FROM contact_attempt WHERE campaign_id = $1 GROUP BY voter_id HAVING count(*) > 1) d) AS twice,
              count(*) FILTER (WHERE disposition <> 'contacted')::int AS other
         FROM contact_attempt WHERE campaign_id = $1`,
      [campaignId],
    )
  ).rows;
  if (twice > 0) progress(`${twice} voters have two contact attempts in the campaign (${attempts} attempts, ${voters} voters)`);
  // Every save of the load generator is "contacted": another disposition would be nobody's.
  return { attempts, votersWithTwoAttempts: twice, unexplained: other };
}

// ---------------------------------------------------------------------------------------------

function pick(summary: { count: number; p50Ms: number; p99Ms: number; maxMs?: number } | undefined): {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
} {
  return { count: summary?.count ?? 0, p50Ms: summary?.p50Ms ?? 0, p99Ms: summary?.p99Ms ?? 0, maxMs: summary?.maxMs ?? 0 };
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

function progress(message: string): void {
  process.stderr.write(`bench/console-load: ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/console-load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
