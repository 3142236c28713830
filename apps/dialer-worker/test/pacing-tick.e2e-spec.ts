import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { PacingTickService, type PacingPool } from '@app/dialer';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, JobResult, QueueName, RedisClient } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { createTestContext, DialerPoolSeeder, type TestContext } from '@app/testing';
import { DialerQueueProcessor } from '../src/dialer-queue.processor';
import { DialerWorkerModule } from '../src/dialer-worker.module';

/** 15:00 in New York: inside every campaign window. */
const AFTERNOON = new Date('2026-11-30T20:00:00Z');

/**
 * The pacing tick against real PostgreSQL and Redis, through the dialer worker's own module: it
 * dials what the pacer decides, only the line types each kind of dial may reach, writes every call
 * row before any job exists, and a tick run twice or while another holds the pool dials nothing extra.
 */
describe('pacing tick', () => {
  let context: TestContext;
  let worker: INestApplicationContext;
  let sql: DataSource;
  let pacing: PacingTickService;
  let queue: Queue;
  let seeder: DialerPoolSeeder;
  let allianceId: string;
  let users: readonly string[];

  const campaign = (slug: string, dialMode: 'power' | 'predictive'): Promise<PacingPool> => seeder.campaign(slug, dialMode);
  const contacts = (pool: PacingPool, count: number, lineType: string) => seeder.contacts(pool, count, lineType);
  const readyVolunteers = async (pool: PacingPool, count: number, firstUser = 0) => {
    for (let index = firstUser; index < firstUser + count; index += 1) await seeder.session(pool, users[index]);
  };
  const callsOf = (pool: PacingPool): Promise<Array<{ id: string; dialKind: string; lineType: string; localMinute: number | null; leased: boolean }>> =>
    sql.query(
      `SELECT c.id, c.dial_kind AS "dialKind", c.line_type AS "lineType", c.voter_local_minute AS "localMinute",
              cc.lease_id = c.lease_id AND cc.leased_session_id IS NULL AS leased
         FROM call c JOIN campaign_contact cc ON cc.id = c.campaign_contact_id WHERE c.campaign_id = $1 ORDER BY c.created_at`,
      [pool.campaignId],
    );

  beforeAll(async () => {
    context = await createTestContext();
    worker = await createWorkerContext(
      DialerWorkerModule.forRoot({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() }),
    );
    sql = worker.get(DataSource);
    pacing = worker.get(PacingTickService);
    queue = worker.get<Queue>(getQueueToken(QueueName.Dialer), { strict: false });
    seeder = await DialerPoolSeeder.seed(sql, { users: 6, emailPrefix: 'pacer', phonePrefix: '+1415556' });
    ({ allianceId, users } = seeder);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await worker?.close();
    await context?.dispose();
  });

  it('should give each ready volunteer one line in power mode, any line type, with the call rows and their place-call jobs', async () => {
    const pool = await campaign('power', 'power');
    await contacts(pool, 3, 'mobile');
    await contacts(pool, 5, 'landline');
    await readyVolunteers(pool, 3);

    const outcome = await pacing.tick(pool, AFTERNOON);
    expect(outcome).toMatchObject({ kind: 'paced', decision: { basis: 'power', volunteerInitiated: 3, automatic: 0 } });
    const calls = await callsOf(pool);
    expect(calls).toHaveLength(3);
    // The list's order (mobiles first here): a volunteer's own action may reach a mobile number.
    expect(calls.map((call) => [call.dialKind, call.lineType])).toEqual([
      ['volunteer-initiated', 'mobile'],
      ['volunteer-initiated', 'mobile'],
      ['volunteer-initiated', 'mobile'],
    ]);
    expect(calls.every((call) => call.leased)).toBe(true);
    // 15:00 in New York when the database wrote them (the real now(): only its presence is checked here).
    expect(calls.every((call) => call.localMinute !== null && call.localMinute >= 0 && call.localMinute < 1440)).toBe(true);
    for (const call of calls) expect((await queue.getJob(`place-call-${call.id}`))?.data).toMatchObject({ payload: { callId: call.id } });

    // The same volunteers, their lines still ringing: a second tick finds nothing to add.
    expect(await pacing.tick(pool, AFTERNOON)).toMatchObject({ kind: 'paced', calls: [] });
    expect(await callsOf(pool)).toHaveLength(3);
  });

  it('should dial only landlines automatically in predictive mode, place clicker-approved mobiles once, and use each approval once', async () => {
    const pool = await campaign('predictive', 'predictive');
    await contacts(pool, 4, 'mobile');
    await contacts(pool, 2, 'unknown');
    await contacts(pool, 3, 'landline');
    await readyVolunteers(pool, 3);
    const [{ id: mobile }] = await sql.query(`SELECT id FROM campaign_contact WHERE campaign_id = $1 AND line_type = 'mobile' ORDER BY id LIMIT 1`, [
      pool.campaignId,
    ]);
    await sql.query(
      `INSERT INTO dial_approval (alliance_id, campaign_id, organization_id, campaign_contact_id, approved_by_user_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + interval '1 minute')`,
      [allianceId, pool.campaignId, pool.organizationId, mobile, users[5]],
    );

    // A pacer that has learned nothing dials power 1:1: three lines, the approved mobile first, then landlines.
    expect(await pacing.tick(pool, AFTERNOON)).toMatchObject({ kind: 'paced', decision: { basis: 'cold-start', approved: 1, automatic: 2 } });
    const calls = await callsOf(pool);
    expect(calls.map((call) => [call.dialKind, call.lineType]).sort()).toEqual([
      ['approved', 'mobile'],
      ['automatic', 'landline'],
      ['automatic', 'landline'],
    ]);
    const [approval] = await sql.query(`SELECT call_id AS "callId", used_at AS "usedAt" FROM dial_approval WHERE campaign_contact_id = $1`, [mobile]);
    expect(approval.callId).toBe(calls.find((call) => call.dialKind === 'approved')?.id);
    expect(approval.usedAt).not.toBeNull();

    // More volunteers ready: one landline is left, and no mobile or unknown number is ever dialed automatically.
    await readyVolunteers(pool, 2, 3);
    await sql.query(`UPDATE call SET calling_session_id = (SELECT id FROM calling_session WHERE campaign_id = $1 LIMIT 1) WHERE campaign_id = $1`, [
      pool.campaignId,
    ]);
    const more = await pacing.tick(pool, AFTERNOON);
    expect(more).toMatchObject({ kind: 'paced' });
    const after = await callsOf(pool);
    expect(after.filter((call) => call.dialKind === 'automatic').map((call) => call.lineType)).toEqual(['landline', 'landline', 'landline']);
    expect(after).toHaveLength(4);
  });

  it('should pace a pool in one place: a tick finds another holding the pool and does nothing', async () => {
    const pool = await campaign('locked', 'power');
    await contacts(pool, 4, 'landline');
    await readyVolunteers(pool, 2);
    const holder = new Client({ connectionString: context.config.database.url! });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`pacing:${pool.campaignId}:${pool.organizationId}`]);
      expect(await pacing.tick(pool, AFTERNOON)).toEqual({ kind: 'busy' });
      expect(await callsOf(pool)).toHaveLength(0);
    } finally {
      await holder.end();
    }
    expect(await pacing.tick(pool, AFTERNOON)).toMatchObject({ kind: 'paced', calls: [expect.anything(), expect.anything()] });
  });

  it('should learn from a line that rang out once, however often its event is applied, and ask for one pacing tick', async () => {
    const pool = await campaign('events', 'power');
    await contacts(pool, 1, 'landline');
    await readyVolunteers(pool, 1);
    const outcome = await pacing.tick(pool, AFTERNOON);
    if (outcome.kind !== 'paced') throw new Error('expected a paced tick');
    const [callId] = outcome.calls.map((call) => call.callId);
    const sid = `CA${'7'.repeat(32)}`;
    const store = async (sequence: number, status: string, secondsAgo: number) => {
      const [{ id }] = await sql.query(
        `INSERT INTO provider_event (provider, kind, provider_id, event_key, subject_id, status, payload)
         VALUES ('carrier-sim', 'call_status', $1, $2, $3, $4, $5) RETURNING id::text`,
        [
          sid,
          `seq:${sequence}`,
          callId,
          status,
          JSON.stringify({
            CallSid: sid,
            CallStatus: status,
            SequenceNumber: String(sequence),
            Timestamp: new Date(Date.now() - secondsAgo * 1000).toUTCString(),
          }),
        ],
      );
      return id as string;
    };
    const processor = worker.get(DialerQueueProcessor);
    const apply = (eventId: string) =>
      processor.process({
        name: JobName.CallEvent,
        data: { payload: { eventId }, correlationId: 'events' },
        attemptsMade: 0,
        opts: {},
      } as unknown as Job<JobEnvelope>);
    const ringing = await store(1, 'ringing', 26);
    const rangOut = await store(2, 'no-answer', 0);
    for (const eventId of [ringing, rangOut, rangOut, ringing]) await apply(eventId);

    const redis = worker.get(RedisClient).connection;
    const observations = await redis.lrange(`${context.config.queue.prefix}:pacing:{${pool.campaignId}:${pool.organizationId}}:observations`, 0, -1);
    expect(observations).toHaveLength(1);
    const [observation] = observations.map((entry) => JSON.parse(entry) as { kind: string; outcome: string; resolvedAfterMs: number });
    expect(observation).toMatchObject({ kind: 'line-ended', outcome: 'no-answer' });
    expect(observation.resolvedAfterMs).toBeGreaterThanOrEqual(24_000);
    expect(observation.resolvedAfterMs).toBeLessThan(30_000);
    const waitingTicks = (await queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter(
      (job) => job.name === JobName.PacingTick && (job.data as JobEnvelope<JobName.PacingTick>).payload.campaignId === pool.campaignId,
    );
    expect(waitingTicks).toHaveLength(1);
  });

  it('should run its job twice with one effect, and do nothing for a campaign that is not dialing', async () => {
    const pool = await campaign('twice', 'power');
    await contacts(pool, 4, 'landline');
    await readyVolunteers(pool, 2);
    const processor = worker.get(DialerQueueProcessor);
    // The job takes the worker's clock: put it inside the window, whatever the hour in CI.
    jest.spyOn(worker.get(Clock), 'now').mockReturnValue(AFTERNOON);
    const run = () =>
      processor.process({
        name: JobName.PacingTick,
        data: { payload: pool, correlationId: 'pacing-twice' },
        attemptsMade: 0,
        opts: {},
      } as unknown as Job<JobEnvelope>);
    expect(await run()).toBe(JobResult.Success);
    expect(await run()).toBe(JobResult.Success);
    expect(await callsOf(pool)).toHaveLength(2);

    await sql.query(`UPDATE campaign SET status = 'paused' WHERE id = $1`, [pool.campaignId]);
    expect(await run()).toBe(JobResult.Skipped);
  });
});
