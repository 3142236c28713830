import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { isolatedProcessEnvironment } from '@app/config';
import { type PacingPool, requestPacingTick } from '@app/dialer';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, JobProducer, QueueName } from '@app/queue';
import { createOwnerApplication, IdentityFactory, RedisClusterFixture, type TestContext, waitUntil, type WorkerLogLine, WorkerProcess } from '@app/testing';
import type { CarrierSimulator } from '../../carrier-sim/src';
import { createApiApplication } from '../../api/src/api-application.factory';
import { startCarrierContext } from '../../../test/carrier-context.util';

const CONTACTS_PER_POOL = 40;
const READY_VOLUNTEERS_PER_POOL = 3;
const POWER_LINES_PER_VOLUNTEER = 2;
/** What power n:1 allows a pool at once: every ready volunteer's lines, and not one more. */
const LINES_ALLOWED = READY_VOLUNTEERS_PER_POOL * POWER_LINES_PER_VOLUNTEER;
const LIVE_CALL = ['created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress'];
const WORKER_SCRIPT = 'dist/apps/dialer-worker/src/main.js';
const SCHEDULER_PREFIX = 'scale-out-tick-';

interface CallRow {
  readonly id: string;
  readonly contactId: string;
  readonly sid: string | null;
  readonly status: string;
  readonly phone: string;
  readonly createdAt: Date;
}

/**
 * Nobody answers: every line rings a little and ends busy or unanswered, so no volunteer is taken
 * and each pool keeps its ready volunteers; the rings are long enough for a worker to be killed
 * while lines are up, short enough that forty numbers a pool are dialed in seconds.
 */
const NOBODY_HOME = {
  seed: 7,
  weights: { busy: 1, 'no-answer': 1 },
  timings: { connectMs: { min: 20, max: 60 }, ringMs: { busy: { min: 300, max: 700 }, 'no-answer': { min: 300, max: 700 } } },
};

/**
 * A zone where it is early afternoon now: the workers pace by the real clock, and a campaign's
 * window (09:00-20:30 by default) must be open in the voters' zone whatever the hour of the run.
 */
function zoneInEarlyAfternoon(now: Date): string {
  const preferred = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];
  const zone = [...preferred, ...Intl.supportedValuesOf('timeZone')].find((candidate) => {
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: candidate, hour: 'numeric', hourCycle: 'h23' }).format(now));
    return hour >= 11 && hour <= 16;
  });
  if (zone === undefined) throw new Error('no time zone is in its early afternoon now');
  return zone;
}

/** The pacer's own record of a tick that dialed: PacingTickService logs it at debug with the pool. */
const dialedFor =
  (campaignId: string) =>
  (line: WorkerLogLine): boolean =>
    line.message === 'paced' && line.campaignId === campaignId && typeof line.calls === 'number' && line.calls > 0;

/**
 * A tick of this test's per-pool schedulers that paced, by job id: those ids exist only on this run's
 * queue, so the process that ran it consumed the cluster's dialer queue (a worker on another prefix
 * would still pace these pools from its own sweep, reading the same database).
 */
const pacedScheduledTick = (line: WorkerLogLine): boolean =>
  line.message === 'job finished' &&
  line.job === JobName.PacingTick &&
  line.result === 'success' &&
  typeof line.jobId === 'string' &&
  line.jobId.startsWith(`repeat:${SCHEDULER_PREFIX}`);

/**
 * Past one machine: the dialer queue on a three-master Redis Cluster (hash-tagged prefix), two real
 * dialer-worker processes competing for its jobs, the api taking the carrier's signed callbacks,
 * and two power campaigns of two organizations paced at once. One pool is paced in one place (the
 * pool's advisory lock), so however the ticks collide no pool ever has more lines up than its
 * ready volunteers allow and no voter is dialed twice; a worker killed outright leaves the other
 * pacing both pools.
 */
describe('dialer scale-out: two worker processes on a Redis Cluster', () => {
  let cluster: RedisClusterFixture;
  let simulator: CarrierSimulator;
  let context: TestContext;
  let owner: INestApplicationContext;
  let api: INestApplication;
  let sql: DataSource;
  let queue: Queue;
  const workers: WorkerProcess[] = [];
  const pools: PacingPool[] = [];
  const schedulerIds: string[] = [];
  let sampling = false;
  let sampler: Promise<void> | undefined;
  /** The most lines each pool had up at once, as the database showed them to anyone reading. */
  const mostLinesUp = new Map<string, number>();

  const sampleLinesUp = async (): Promise<void> => {
    while (sampling) {
      const rows: Array<{ campaignId: string; lines: number }> = await sql.query(
        `SELECT campaign_id AS "campaignId", count(*)::int AS lines FROM call
          WHERE campaign_id = ANY ($1) AND calling_session_id IS NULL AND status = ANY ($2) GROUP BY campaign_id`,
        [pools.map((pool) => pool.campaignId), LIVE_CALL],
      );
      for (const { campaignId, lines } of rows) mostLinesUp.set(campaignId, Math.max(lines, mostLinesUp.get(campaignId) ?? 0));
      await new Promise((resolveLater) => setTimeout(resolveLater, 10));
    }
  };

  const callsOf = (pool: PacingPool): Promise<CallRow[]> =>
    sql.query(
      `SELECT id, campaign_contact_id::text AS "contactId", provider_call_sid AS sid, status, to_phone AS phone, created_at AS "createdAt" FROM call WHERE campaign_id = $1`,
      [pool.campaignId],
    );

  const placedCount = async (pool: PacingPool): Promise<number> => (await callsOf(pool)).filter((call) => call.sid !== null).length;

  const startWorker = (label: string): WorkerProcess => {
    const worker = WorkerProcess.start({
      label,
      script: WORKER_SCRIPT,
      environment: isolatedProcessEnvironment({
        NODE_ENV: 'production',
        // Debug: the pacer's "paced" line names the pool it dialed for.
        LOG_LEVEL: 'debug',
        DATABASE_URL: context.config.database.url,
        DATABASE_POOL_SIZE: '6',
        REDIS_CLUSTER_NODES: cluster.clusterNodesVariable,
        QUEUE_PREFIX: context.config.queue.prefix,
        CARRIER_SIM_URL: context.config.carrierSimulator.url,
        PUBLIC_BASE_URL: context.config.telephony.webhookBaseUrl,
        DATA_DIR: context.temporaryDirectory,
      }),
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    cluster = await RedisClusterFixture.start({ masters: 3 });
    let apiPort: number;
    ({ simulator, context, apiPort } = await startCarrierContext({
      simulator: { callsPerSecond: 100, scenario: NOBODY_HOME },
      environment: { REDIS_CLUSTER_NODES: cluster.clusterNodesVariable },
    }));
    // Seeding and checks run as the database's owner, outside the api's row policies.
    owner = await createOwnerApplication(context);
    sql = owner.get(DataSource);
    // The api takes the carrier's callbacks and enqueues their events on the cluster; the workers are separate processes.
    api = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
    await api.listen(apiPort, '127.0.0.1');
    queue = api.get<Queue>(getQueueToken(QueueName.Dialer), { strict: false });

    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    const anchor = await identity.anchor(alliance.id);
    const timeZone = zoneInEarlyAfternoon(new Date());
    let phones = 0;
    for (const slug of ['east', 'west']) {
      const organization = await identity.member(alliance.id, anchor.id);
      const [{ id: campaignId }] = await sql.query(
        `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, dial_mode, power_lines_per_volunteer, caller_ids)
         VALUES ($1, $2, $2, $3, 'active', 'power', $4, '{+14155550123}') RETURNING id`,
        [alliance.id, slug, organization.id, POWER_LINES_PER_VOLUNTEER],
      );
      const pool = { campaignId, organizationId: organization.id };
      pools.push(pool);
      // Landlines: the lines past each volunteer's first are automatic, and only a landline may be dialed automatically.
      for (let index = 0; index < CONTACTS_PER_POOL; index += 1) {
        phones += 1;
        await sql.query(
          `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, time_zone, voter_id, household_voter_ids)
           VALUES ($1, $2, $3, $4, 'landline', $5, $6, ARRAY[$6::bigint])`,
          [alliance.id, campaignId, organization.id, `+1415556${String(phones).padStart(4, '0')}`, timeZone, phones],
        );
      }
      for (let index = 0; index < READY_VOLUNTEERS_PER_POOL; index += 1) {
        const user = await identity.user();
        await sql.query(
          `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, dialer_state, dialer_state_since) VALUES ($1, $2, $3, $4, 'ready', now())`,
          [alliance.id, campaignId, organization.id, user.id],
        );
      }
    }
  }, 60_000);

  afterAll(async () => {
    // Each step on its own: one that fails must not leave a process, the cluster or the database behind.
    sampling = false;
    await sampler?.catch(() => undefined);
    for (const id of schedulerIds) await queue?.removeJobScheduler(id).catch(() => undefined);
    await Promise.all(workers.map((worker) => worker.stop(5000).catch(() => undefined)));
    await api?.close().catch(() => undefined);
    await owner?.close().catch(() => undefined);
    await simulator?.close().catch(() => undefined);
    await context?.dispose().catch(() => undefined);
    await cluster?.stop();
  }, 60_000);

  it('should pace two campaigns from two worker processes at once, each pool never past its lines and no voter dialed twice', async () => {
    const [first, second] = [startWorker('dialer-worker A'), startWorker('dialer-worker B')];
    await Promise.all([first, second].map((worker) => worker.waitForLog((line) => line.message === 'worker consuming', 'that it consumes', 30_000)));
    sampling = true;
    sampler = sampleLinesUp();

    const producer = api.get(JobProducer);
    for (const pool of pools) {
      // An event's tick, deduplicated as the call-event handler asks for it ...
      await requestPacingTick(producer, pool);
      // ... colliding with plain ticks (a periodic one, a stalled job re-run): several of one pool run at once on the two processes.
      for (let index = 0; index < 4; index += 1) await producer.enqueue(JobName.PacingTick, pool);
      // The periodic tick, as one job scheduler per pool (job schedulers per active pool are not built yet: the test stands in).
      const schedulerId = `${SCHEDULER_PREFIX}${pool.campaignId}`;
      const envelope: JobEnvelope<JobName.PacingTick> = { payload: pool, correlationId: schedulerId };
      await queue.upsertJobScheduler(schedulerId, { every: 300 }, { name: JobName.PacingTick, data: envelope });
      schedulerIds.push(schedulerId);
    }

    // Both processes dial, and each pool is well under way but not done: the kill in the next test lands mid-run.
    await waitUntil(
      async () => {
        const underWay = await Promise.all(pools.map(async (pool) => (await placedCount(pool)) >= 2 * LINES_ALLOWED));
        const bothDialed = [first, second].every(
          (worker) => worker.logs.some(pacedScheduledTick) && pools.some((pool) => worker.logs.some(dialedFor(pool.campaignId))),
        );
        return underWay.every(Boolean) && bothDialed ? true : undefined;
      },
      'both pools to be dialing and both worker processes to have dialed',
      30_000,
    );

    for (const pool of pools) {
      const calls = await callsOf(pool);
      // (a) Calls reached the carrier: their sid is stored, and the simulator was asked for that very call.
      const carrierSids = new Set(simulator.calls().map((call) => call.sid));
      const placed = calls.filter((call) => call.sid !== null);
      expect(placed.length).toBeGreaterThanOrEqual(LINES_ALLOWED);
      expect(placed.every((call) => carrierSids.has(call.sid))).toBe(true);
      // (c) One attempt per voter, and never more lines up than the pool's ready volunteers' share, while ticks collided.
      expect(new Set(calls.map((call) => call.contactId)).size).toBe(calls.length);
      expect(mostLinesUp.get(pool.campaignId)).toBeLessThanOrEqual(LINES_ALLOWED);
    }
    // (b) Each process took ticks from this queue and dialed for at least one pool.
    for (const worker of [first, second]) {
      expect(worker.logs.some(pacedScheduledTick)).toBe(true);
      expect(pools.filter((pool) => worker.logs.some(dialedFor(pool.campaignId))).length).toBeGreaterThan(0);
    }
    // (d) The dialer queue ran on the cluster: its keys (jobs, schedulers) sit under the hash-tagged prefix, on the one master owning the tag's slot.
    const tagMaster = await cluster.ownerOfSlot(await cluster.keySlot(context.config.queue.prefix));
    expect(await cluster.mastersHolding(`${context.config.queue.prefix}:${QueueName.Dialer}`)).toEqual([tagMaster.index]);
  }, 60_000);

  it('should keep pacing both pools on the surviving process after the other is killed with SIGKILL mid-run', async () => {
    const [victim, survivor] = workers;
    const before = await Promise.all(pools.map(async (pool) => (await callsOf(pool)).length));
    expect(before.every((count) => count < CONTACTS_PER_POOL)).toBe(true);

    const killedAt = new Date();
    expect(await victim.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const seenBeforeKill = survivor.logs.length;

    /**
     * A call the killed worker was still working on: one whose place-call job it held (active, and never taken by
     * the survivor, which logs each job as it starts it), or one a tick wrote before the kill and never enqueued
     * a job for (killed between its commit and its enqueues). BullMQ's stalled-job check gives such a job back only
     * after about 30 s, longer than this test; the pacing sweep may cancel such a call 5 s on, unplaced.
     */
    const diedWithVictim = async (call: CallRow): Promise<boolean> => {
      const jobId = `place-call-${call.id}`;
      const state = await queue.getJobState(jobId);
      if (state === 'unknown') return call.createdAt <= killedAt;
      return state === 'active' && !survivor.logs.some((line) => line.jobId === jobId);
    };

    // Every voter of both pools dialed and every call placed (but the victim's), the survivor dialing for each pool after the kill.
    let shortfall = '';
    await waitUntil(
      async () => {
        for (const [index, pool] of pools.entries()) {
          const calls = await callsOf(pool);
          const dialed = new Set(calls.map((call) => call.contactId)).size;
          shortfall = `pool ${index}: ${dialed} of ${CONTACTS_PER_POOL} voters dialed`;
          if (dialed < CONTACTS_PER_POOL) return undefined;
          for (const call of calls) {
            shortfall = `pool ${index}: call ${call.id} (${call.status}) not placed, place-call job ${await queue.getJobState(`place-call-${call.id}`)}`;
            if (call.sid === null && !(await diedWithVictim(call))) return undefined;
          }
        }
        const afterKill = survivor.logs.slice(seenBeforeKill);
        shortfall = 'the survivor has not dialed for both pools since the kill';
        return pools.every((pool) => afterKill.some(dialedFor(pool.campaignId))) ? true : undefined;
      },
      'the surviving worker to dial every remaining voter of both pools',
      40_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${shortfall}`, { cause: error });
    });
    sampling = false;
    await sampler;

    const carrierSids = new Set(simulator.calls().map((call) => call.sid));
    for (const pool of pools) {
      const calls = await callsOf(pool);
      // (c) Each voter dialed once, and the pool never had more lines up than its ready volunteers' share, however ticks
      // collided. A voter may have a second call row only when the first never reached the carrier: the sweep cancels, 5 s
      // on, a call whose place-call job died with the victim, and gives its voter back to be dialed.
      expect(new Set(calls.map((call) => call.contactId)).size).toBe(CONTACTS_PER_POOL);
      const dialedRows = calls.filter((call) => !(call.status === 'canceled' && call.sid === null));
      expect(new Set(dialedRows.map((call) => call.contactId)).size).toBe(dialedRows.length);
      expect(new Set(dialedRows.map((call) => call.phone)).size).toBe(dialedRows.length);
      expect(mostLinesUp.get(pool.campaignId)).toBeGreaterThan(0);
      expect(mostLinesUp.get(pool.campaignId)).toBeLessThanOrEqual(LINES_ALLOWED);
      // (a) Every call placed at the carrier, but the ones the killed worker was still working on.
      for (const call of calls) {
        if (call.sid !== null) {
          expect(carrierSids.has(call.sid)).toBe(true);
        } else {
          expect(await diedWithVictim(call)).toBe(true);
        }
      }
    }
  }, 60_000);
});
