import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainException } from '@app/common';
import { CallDialingService, CallEventService, CallingSessionRepository } from '@app/contacts';
import {
  DialerLeaseRepository,
  DialerLineSettlementService,
  DialerSessionService,
  PacingStatisticsStore,
  PacingSweepService,
  PacingTickService,
  type PacingPool,
} from '@app/dialer';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, QueueName } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { createTestContext, DialerPoolSeeder, type TestContext } from '@app/testing';
import { CallAnswerRepository } from '../../../libs/dialer/src/answering/call-answer.repository';
import { pacingPoolLockKey } from '../../../libs/dialer/src/pacing-tick/pacing-pool-lock.util';
import { DialerWorkerModule } from '../src/dialer-worker.module';

/** 15:00 in New York: inside every campaign window. */
const AFTERNOON = new Date('2026-11-30T20:00:00Z');

/**
 * What happens to the dialer's lines after they end, and to its volunteers between calls, against
 * real PostgreSQL and Redis through the dialer worker's own module (not consuming: each step is run
 * by hand, twice where it matters): settlement writes one attempt per line and moves the voter on by
 * the retry policy, the sweep asks for one tick per live pool and redrives stranded work, and a
 * volunteer's states move only from the states they may leave.
 */
describe('dialer lines and volunteers', () => {
  let context: TestContext;
  let worker: INestApplicationContext;
  let sql: DataSource;
  let pacing: PacingTickService;
  let settlement: DialerLineSettlementService;
  let sweeps: PacingSweepService;
  let volunteers: DialerSessionService;
  let statistics: PacingStatisticsStore;
  let queue: Queue;
  let seeder: DialerPoolSeeder;
  let users: readonly string[];

  const campaign = (slug: string, dialMode: 'power' | 'preview', retryPolicy: object = {}): Promise<PacingPool> => seeder.campaign(slug, dialMode, retryPolicy);
  const contacts = (pool: PacingPool, count: number): Promise<void> => seeder.contacts(pool, count);
  const session = (pool: PacingPool, user: string, dialerState: 'ready' | null = 'ready'): Promise<string> => seeder.session(pool, user, dialerState);
  const callsOf = (pool: PacingPool): Promise<Array<{ id: string; contactId: string; status: string }>> =>
    sql.query(`SELECT id, campaign_contact_id::text AS "contactId", status FROM call WHERE campaign_id = $1 ORDER BY created_at, id`, [pool.campaignId]);
  const waitingJobs = async (name: JobName): Promise<Array<Job<JobEnvelope>>> =>
    (await queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter((job) => job.name === name) as Array<Job<JobEnvelope>>;

  beforeAll(async () => {
    context = await createTestContext();
    worker = await createWorkerContext(
      DialerWorkerModule.forRoot({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() }),
    );
    sql = worker.get(DataSource);
    pacing = worker.get(PacingTickService);
    settlement = worker.get(DialerLineSettlementService);
    sweeps = worker.get(PacingSweepService);
    volunteers = worker.get(DialerSessionService);
    statistics = worker.get(PacingStatisticsStore);
    queue = worker.get<Queue>(getQueueToken(QueueName.Dialer), { strict: false });
    seeder = await DialerPoolSeeder.seed(sql, { users: 12, emailPrefix: 'line', phonePrefix: '+1415557' });
    ({ users } = seeder);
  });

  afterAll(async () => {
    await worker?.close();
    await context?.dispose();
  });

  it('should write one attempt per ended line with the disposition it implies, move each voter on by the retry policy, and give back a call never placed', async () => {
    const pool = await campaign('settle', 'power', { not_home: { delayMinutes: 60, maxAttempts: 2 } });
    await contacts(pool, 5);
    for (let index = 0; index < 5; index += 1) await session(pool, users[index]);
    expect(await pacing.tick(pool, AFTERNOON)).toMatchObject({ kind: 'paced', calls: expect.any(Array) });
    const [noAnswer, busy, machine, abandoned, neverPlaced] = await callsOf(pool);
    expect(neverPlaced).toBeDefined();
    // The first voter was tried once before: this no-answer is their last attempt under the policy.
    await sql.query(`UPDATE campaign_contact SET attempts = 1 WHERE id = $1`, [noAnswer.contactId]);
    const end = (call: { id: string }, status: string, extra = '') =>
      sql.query(`UPDATE call SET status = $2, ended_at = now(), provider_call_sid = 'CA' || replace(id::text, '-', '') ${extra} WHERE id = $1`, [
        call.id,
        status,
      ]);
    await end(noAnswer, 'no-answer');
    await end(busy, 'busy');
    await end(machine, 'completed', `, answered_by = 'machine_end_beep', verdict_at = now(), answered_at = now()`);
    await end(abandoned, 'completed', `, answered_by = 'human', verdict_at = now(), answered_at = now(), abandoned_at = now()`);
    await sql.query(`UPDATE call SET status = 'canceled', ended_at = now() WHERE id = $1`, [neverPlaced.id]);

    // The event handler's path, twice: one attempt.
    expect(await settlement.settleCall(noAnswer.id)).toBe(true);
    expect(await settlement.settleCall(noAnswer.id)).toBe(false);
    // The tick settles the rest before it paces, and paces the freed voter again.
    await pacing.tick(pool, AFTERNOON);
    await pacing.tick(pool, AFTERNOON);

    const attempts: Array<{ callId: string; disposition: string; outcome: string; sessionId: string | null }> = await sql.query(
      `SELECT call_id AS "callId", disposition, outcome, calling_session_id AS "sessionId" FROM contact_attempt WHERE campaign_id = $1 ORDER BY created_at, call_id`,
      [pool.campaignId],
    );
    expect(new Map(attempts.map((attempt) => [attempt.callId, [attempt.disposition, attempt.outcome]]))).toEqual(
      new Map([
        [noAnswer.id, ['not_home', 'no-answer']],
        [busy.id, ['busy', 'busy']],
        [machine.id, ['voicemail', 'machine']],
        [abandoned.id, ['not_home', 'abandoned']],
      ]),
    );
    expect(attempts.every((attempt) => attempt.sessionId === null)).toBe(true);
    // A late, out-of-order carrier event for the abandoned call says only "human": the attempt stays abandoned.
    const [late] = await sql.query(
      `INSERT INTO provider_event (provider, kind, provider_id, event_key, subject_id, status, payload)
       VALUES ('carrier-sim', 'call_status', 'CA' || replace($1::text, '-', ''), '90', $1::uuid, 'ringing', '{"CallStatus": "ringing", "SequenceNumber": "90"}')
       RETURNING id::text AS id`,
      [abandoned.id],
    );
    await worker.get(CallEventService).apply(late.id);
    expect((await sql.query(`SELECT outcome FROM contact_attempt WHERE call_id = $1`, [abandoned.id]))[0].outcome).toBe('abandoned');

    const contactRows: Array<{ id: string; status: string; attempts: number; closedReason: string | null; held: boolean; dueInMinutes: number }> =
      await sql.query(
        `SELECT id::text, status, attempts, closed_reason AS "closedReason", lease_id IS NOT NULL AS held,
              round(extract(epoch FROM next_attempt_at - now()) / 60)::int AS "dueInMinutes"
         FROM campaign_contact WHERE campaign_id = $1`,
        [pool.campaignId],
      );
    const contact = (id: string) => contactRows.find((row) => row.id === id);
    expect(contact(noAnswer.contactId)).toMatchObject({ status: 'done', closedReason: 'max_attempts', attempts: 2, held: false });
    expect(contact(busy.contactId)).toMatchObject({ status: 'open', attempts: 1, held: false, dueInMinutes: 30 });
    expect(contact(machine.contactId)).toMatchObject({ status: 'open', attempts: 1, held: false, dueInMinutes: 24 * 60 });
    expect(contact(abandoned.contactId)).toMatchObject({ status: 'open', attempts: 1, held: false, dueInMinutes: 60 });
    // Never rang: no attempt counted, and the voter was dialed again at once, on a new lease.
    expect(contact(neverPlaced.contactId)).toMatchObject({ status: 'open', attempts: 0, held: true });
    const redialed = (await callsOf(pool)).filter((call) => call.contactId === neverPlaced.contactId);
    expect(redialed.map((call) => call.status)).toEqual(['canceled', 'created']);
  });

  it('should ask for one tick per live pool however often it sweeps, and cancel or settle calls and apply events a lost job left behind', async () => {
    const live = await campaign('sweep-live', 'power');
    await contacts(live, 2);
    await session(live, users[5]);
    const quiet = await campaign('sweep-quiet', 'power');
    await session(quiet, users[6], null);
    const preview = await campaign('sweep-preview', 'preview');
    await session(preview, users[7]);
    await queue.obliterate({ force: true });

    // Two sweeps close together (as two workers' may run): one tick per live pool.
    await Promise.all([sweeps.sweep(), sweeps.sweep()]);
    const ticks = (await waitingJobs(JobName.PacingTick)).map((job) => job.data.payload);
    expect(ticks.filter((payload) => JSON.stringify(payload) === JSON.stringify(live))).toHaveLength(1);
    expect(ticks).not.toContainEqual(quiet);
    expect(ticks).not.toContainEqual(preview);

    // A tick's call whose place-call job still waits, a few seconds on: left to its job.
    await pacing.tick(live, AFTERNOON);
    const [unasked] = await callsOf(live);
    const age = (interval: string) => sql.query(`UPDATE call SET created_at = now() - $2::interval WHERE id = $1`, [unasked.id, interval]);
    await age('10 seconds');
    await sweeps.sweep();
    expect(await waitingJobs(JobName.EndCall)).toEqual([]);
    // Its job lost (a worker killed between the tick's commit and its enqueue): canceled, never placed late, never hung up ringing.
    await queue.obliterate({ force: true });
    const [event] = await sql.query(
      `INSERT INTO provider_event (provider, kind, provider_id, event_key, subject_id, status, payload, received_at)
       VALUES ('carrier-sim', 'call_status', 'CAlost', 'ringing', $1, 'ringing', '{}', now() - interval '2 minutes') RETURNING id::text AS id`,
      [unasked.id],
    );
    await Promise.all([sweeps.sweep(), sweeps.sweep()]);
    expect((await waitingJobs(JobName.EndCall)).map((job) => job.data.payload)).toEqual([{ callId: unasked.id, unplacedOnly: true }]);
    expect((await waitingJobs(JobName.PlaceCall)).map((job) => job.data.payload)).toEqual([]);
    expect((await waitingJobs(JobName.CallEvent)).map((job) => job.data.payload)).toEqual([{ eventId: event.id }]);
    // Waiting 30 s is too long whatever its job: the voter's window was judged when the call was written.
    await queue.obliterate({ force: true });
    await queue.add(JobName.PlaceCall, { payload: { callId: unasked.id }, correlationId: 'late' }, { jobId: `place-call-${unasked.id}` });
    await age('40 seconds');
    await sweeps.sweep();
    expect((await waitingJobs(JobName.EndCall)).map((job) => job.data.payload)).toEqual([{ callId: unasked.id, unplacedOnly: true }]);

    // One a worker died asking the carrier for: its own job again, after 30 s only.
    await sql.query(`UPDATE call SET status = 'requesting' WHERE id = $1`, [unasked.id]);
    await age('10 seconds');
    await queue.obliterate({ force: true });
    await sweeps.sweep();
    expect(await waitingJobs(JobName.PlaceCall)).toEqual([]);
    await age('40 seconds');
    await sweeps.sweep();
    expect((await waitingJobs(JobName.PlaceCall)).map((job) => job.data.payload)).toEqual([{ callId: unasked.id }]);
    expect(await waitingJobs(JobName.EndCall)).toEqual([]);

    // The cancel-only job never touches a call the carrier was asked for.
    await sql.query(`UPDATE call SET status = 'ringing', provider_call_sid = 'CAringing' WHERE id = $1`, [unasked.id]);
    expect(await worker.get(CallDialingService).cancelUnplaced(unasked.id)).toBe('skipped');
    expect((await callsOf(live)).find((call) => call.id === unasked.id)?.status).toBe('ringing');
  });

  it('should move a volunteer ready → talking → wrap-up → ready only from the states each step leaves, learning talk and wrap-up lengths', async () => {
    const pool = await campaign('states', 'power');
    await contacts(pool, 1);
    const sessionId = await session(pool, users[8], null);
    const stateOf = async () => (await sql.query(`SELECT dialer_state AS state FROM calling_session WHERE id = $1`, [sessionId]))[0].state as string | null;

    expect((await volunteers.ready(sessionId)).dialerState).toBe('ready');
    expect((await volunteers.ready(sessionId)).dialerState).toBe('ready');
    expect((await volunteers.stopTakingCalls(sessionId)).dialerState).toBeNull();
    await volunteers.ready(sessionId);

    // The answer request's claim, as it leaves the rows: the call bridged at the very instant the volunteer became talking.
    await pacing.tick(pool, AFTERNOON);
    const [call] = await callsOf(pool);
    await sql.query(
      `WITH claimed AS (UPDATE calling_session SET dialer_state = 'talking', dialer_state_since = now() - interval '40 seconds' WHERE id = $2 RETURNING dialer_state_since)
       UPDATE call SET calling_session_id = $2, bridged_at = (SELECT dialer_state_since FROM claimed), answered_by = 'human', status = 'in-progress' WHERE id = $1`,
      [call.id, sessionId],
    );
    await expect(volunteers.ready(sessionId)).rejects.toThrow('you are on a call');
    await expect(volunteers.stopTakingCalls(sessionId)).rejects.toThrow(DomainException);
    expect(await worker.get(CallingSessionRepository).pause(sessionId)).toBeNull();
    // Still live: nothing moves.
    await volunteers.bridgedCallEnded(call.id);
    expect(await stateOf()).toBe('talking');

    await sql.query(`UPDATE call SET status = 'completed', ended_at = now() WHERE id = $1`, [call.id]);
    const before = await statistics.fold(pool, 0.025);
    await volunteers.bridgedCallEnded(call.id);
    await volunteers.bridgedCallEnded(call.id);
    expect(await stateOf()).toBe('wrap-up');
    await expect(volunteers.ready(sessionId)).rejects.toThrow('save the disposition of your last call first');

    await sql.query(`UPDATE calling_session SET dialer_state_since = now() - interval '12 seconds' WHERE id = $1`, [sessionId]);
    await volunteers.afterDisposition(sessionId, true);
    await volunteers.afterDisposition(sessionId, true);
    expect(await stateOf()).toBe('ready');
    const after = await statistics.fold(pool, 0.025);
    // One conversation of about 40 s (five-second bins) and one wrap-up of about 12 s (one-second bins), each learned once.
    expect(after.observed.conversations - before.observed.conversations).toBe(1);
    expect(after.observed.wrapUps - before.observed.wrapUps).toBe(1);
    expect(after.talk.findIndex((count, bin) => count > (before.talk[bin] ?? 0))).toBe(8);
    expect(after.wrapUp.findIndex((count, bin) => count > (before.wrapUp[bin] ?? 0))).toBe(12);

    // Talking on a later call: the first call's end, heard again, does not end this one.
    await sql.query(`UPDATE calling_session SET dialer_state = 'talking', dialer_state_since = now() WHERE id = $1`, [sessionId]);
    await volunteers.bridgedCallEnded(call.id);
    expect(await stateOf()).toBe('talking');

    // Stopping after the disposition instead leaves the dialer.
    await sql.query(`UPDATE calling_session SET dialer_state = 'wrap-up', dialer_state_since = now() WHERE id = $1`, [sessionId]);
    await volunteers.afterDisposition(sessionId, false);
    expect(await stateOf()).toBeNull();
  });

  it('should keep a volunteer who stops while lines ring as a last resort for them, dial nothing more for them, and let them go once no line is left', async () => {
    const pool = await campaign('leaving', 'power');
    await contacts(pool, 3);
    const stopping = await session(pool, users[10]);
    const stateOf = async (id: string) => (await sql.query(`SELECT dialer_state AS state FROM calling_session WHERE id = $1`, [id]))[0].state as string | null;
    await pacing.tick(pool, AFTERNOON);
    expect(await callsOf(pool)).toHaveLength(1);

    expect((await volunteers.stopTakingCalls(stopping)).dialerState).toBe('leaving');
    expect((await volunteers.stopTakingCalls(stopping)).dialerState).toBe('leaving');
    expect(await pacing.tick(pool, AFTERNOON)).toMatchObject({ kind: 'paced', calls: [] });
    // Nobody ready: the person who answers the line dialed with them counted goes to them, not to the identification message.
    const claim = () =>
      sql.transaction((manager) => worker.get(CallAnswerRepository, { strict: false }).claimLongestIdle(manager, pool.campaignId, pool.organizationId));
    const ready = await session(pool, users[11]);
    expect(await claim()).toBe(ready);
    expect(await claim()).toBe(stopping);
    expect(await claim()).toBeNull();

    // Back from talking to leaving (as if the call went elsewhere), the line ends: the next tick lets them go.
    await sql.query(`UPDATE calling_session SET dialer_state = 'leaving', dialer_state_since = now() WHERE id = $1`, [stopping]);
    await pacing.tick(pool, AFTERNOON);
    expect(await stateOf(stopping)).toBe('leaving');
    await sql.query(`UPDATE call SET status = 'no-answer', ended_at = now() WHERE campaign_id = $1`, [pool.campaignId]);
    await sql.query(`UPDATE calling_session SET dialer_state = NULL, dialer_state_since = NULL WHERE id = $1`, [ready]);
    await pacing.tick(pool, AFTERNOON);
    expect(await stateOf(stopping)).toBeNull();
    // With no line in flight, stopping is immediate.
    await volunteers.ready(stopping);
    expect((await volunteers.stopTakingCalls(stopping)).dialerState).toBeNull();
  });

  it('should let a volunteer stop only once a tick of the pool in progress has written its lines, so the line dialed with them counted stays theirs', async () => {
    const pool = await campaign('stop-mid-tick', 'power');
    await contacts(pool, 2);
    const stopping = await session(pool, users[9]);
    const stateOf = async () => (await sql.query(`SELECT dialer_state AS state FROM calling_session WHERE id = $1`, [stopping]))[0].state as string | null;
    // A tick holding the pool has counted the volunteer ready and written their line; it has not committed yet.
    const tick = sql.createQueryRunner();
    await tick.connect();
    try {
      await tick.startTransaction();
      await tick.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [pacingPoolLockKey(pool)]);
      const lines = await worker.get(DialerLeaseRepository).leaseAndWriteCalls(tick.manager, {
        pool,
        callable: { openTimeZones: ['America/New_York'], unknownZoneOpen: false },
        kind: 'volunteer-initiated',
        count: 1,
        leaseSeconds: 60,
        provider: 'twilio',
      });
      expect(lines).toHaveLength(1);
      let answered = false;
      const stopped = volunteers.stopTakingCalls(stopping).finally(() => {
        answered = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      expect(await stateOf()).toBe('ready');
      await tick.commitTransaction();
      // The stop saw the line: the volunteer is on the way out, and whoever answers it is theirs.
      expect((await stopped).dialerState).toBe('leaving');
      expect(await stateOf()).toBe('leaving');
    } finally {
      if (tick.isTransactionActive) await tick.rollbackTransaction();
      await tick.release();
    }
  });

  it('should take a volunteer not heard from for two minutes out of the dialer, and keep one whose console still asks', async () => {
    const pool = await campaign('silent', 'power');
    const asleep = await session(pool, users[0]);
    const awake = await session(pool, users[1]);
    const sessions = worker.get(CallingSessionRepository);
    await sql.query(`UPDATE calling_session SET dialer_state_since = now() - interval '10 minutes' WHERE id = ANY ($1)`, [[asleep, awake]]);
    await sql.query(`UPDATE calling_session SET dialer_seen_at = now() - interval '3 minutes' WHERE id = $1`, [asleep]);
    // The console of the second asks for its card (as it does every two seconds while ready).
    await sessions.touchDialer(awake);
    await pacing.tick(pool, AFTERNOON);
    const states = await sql.query(`SELECT id, dialer_state AS state FROM calling_session WHERE id = ANY ($1)`, [[asleep, awake]]);
    expect(Object.fromEntries(states.map((row: { id: string; state: string | null }) => [row.id, row.state]))).toEqual({ [asleep]: null, [awake]: 'ready' });
    // Back, they click ready again: heard from now, and the next tick keeps them.
    await volunteers.ready(asleep);
    await pacing.tick(pool, AFTERNOON);
    expect((await sessions.findById(asleep))?.dialerState).toBe('ready');
  });

  it('should refuse to put a volunteer of a preview campaign in the dialer', async () => {
    const pool = await campaign('preview-only', 'preview');
    const sessionId = await session(pool, users[9], null);
    await expect(volunteers.ready(sessionId)).rejects.toThrow('this campaign is preview calling');
  });
});
