import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisConnection } from '@app/queue';
import type { WorkerProcess } from '@app/testing';
import { auditCampaign } from './dialer-audit.util';
import { type DialerCampaign, type DialerStack, seedDialerCampaign, startDialerStack } from './dialer-stack.util';
import { signInMemberVolunteers } from './campaign-seed.util';
import { RestartableRedis } from './restartable-redis.util';
import { SimulatedVolunteer } from './simulated-volunteer.util';

const VOTERS = 150;
const VOLUNTEERS = 5;

/** What was live in the campaign at a kill, for the report. */
interface Moment {
  readonly what: string;
  readonly at: Date;
  readonly created: number;
  readonly requesting: number;
  readonly ringing: number;
  readonly unappliedEvents: number;
}

/**
 * Crash safety for real, several times in a row: a power campaign in progress with a real dialer
 * worker process, which is killed with SIGKILL three times at moments that matter (calls written but
 * not yet asked for, calls being asked for or ringing, carrier events stored but not yet applied)
 * and started again each time; and the test's own Redis (append-only, as in production) killed
 * and started again on the same port and data once. Then the campaign finishes, and nothing is
 * lost or doubled: every call that reached the carrier has exactly one attempt, every ended call's
 * lease is released, no voter is dialed twice for one attempt or twice at once, and pacing resumed
 * after every restart.
 */
describe('dialer crash safety (kill -9 of the worker, a Redis restart, real processes)', () => {
  let redis: RestartableRedis;
  let stack: DialerStack;
  let campaign: DialerCampaign;
  let volunteers: SimulatedVolunteer[] = [];
  let worker: WorkerProcess;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    stack = await startDialerStack({ redisUrl: redis.url });
    campaign = await seedDialerCampaign(stack, { voters: VOTERS, dialMode: 'power', powerLinesPerVolunteer: 3, seed: 29 });
    worker = await stack.startWorker('dialer-worker-1');
    const agents = await signInMemberVolunteers(stack, campaign, VOLUNTEERS);
    volunteers = agents.map((agent, index) => new SimulatedVolunteer(agent, campaign.campaignId, index));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(volunteers.map((volunteer) => volunteer.halt()));
    // The stack's disposal deletes its keys from Redis: it goes first, while Redis is up.
    await stack?.dispose();
    await redis?.stop();
  });

  const live = async (): Promise<Omit<Moment, 'what' | 'at'>> => {
    const [row] = await stack.sql.query(
      `SELECT count(*) FILTER (WHERE status = 'created')::int AS created, count(*) FILTER (WHERE status = 'requesting')::int AS requesting,
              count(*) FILTER (WHERE status IN ('queued', 'initiated', 'ringing'))::int AS ringing,
              (SELECT count(*)::int FROM provider_event WHERE applied_at IS NULL) AS "unappliedEvents"
         FROM call WHERE campaign_id = $1`,
      [campaign.campaignId],
    );
    return row;
  };

  /** Polls fast until the campaign is in the state wanted, and returns at once (the caller kills then). */
  const when = async (what: string, condition: (state: Omit<Moment, 'what' | 'at'>) => boolean, timeoutMs = 30_000): Promise<Moment> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await live();
      if (condition(state)) return { what, at: new Date(), ...state };
      if (Date.now() > deadline) throw new Error(`the campaign never reached "${what}" within ${timeoutMs} ms: ${JSON.stringify(state)}`);
      await sleep(5);
    }
  };

  /** Pacing resumed: a call is written after `since` (by the database's clock, which wrote both). */
  const pacingResumedAfter = async (since: Date, what: string): Promise<number> => {
    const started = Date.now();
    // Generous: a tick job running at the kill holds the pool's tick deduplication until BullMQ finds it stalled (30-60 s).
    const deadline = started + 100_000;
    for (;;) {
      const [{ calls }] = await stack.sql.query(`SELECT count(*)::int AS calls FROM call WHERE campaign_id = $1 AND created_at > $2`, [
        campaign.campaignId,
        since,
      ]);
      if (calls > 0) return Date.now() - started;
      if (Date.now() > deadline) throw new Error(`no call was placed within 100 s after ${what}`);
      await sleep(50);
    }
  };

  const campaignFinished = async (): Promise<boolean> => {
    const [state] = await stack.sql.query(
      `SELECT count(*) FILTER (WHERE status <> 'done' OR lease_id IS NOT NULL)::int AS unfinished,
              (SELECT count(*)::int FROM call WHERE campaign_id = $1 AND ended_at IS NULL) AS live,
              (SELECT count(*)::int FROM provider_event WHERE applied_at IS NULL) AS unapplied
         FROM campaign_contact WHERE campaign_id = $1`,
      [campaign.campaignId],
    );
    return state.unfinished === 0 && state.live === 0 && state.unapplied === 0;
  };

  /** The dialer queue's deduplication keys and active jobs right now: what a killed worker left holding. */
  const queueHeld = async (): Promise<{ deduplicated: string[]; active: number }> => {
    const client = createRedisConnection({ redisUrl: redis.url }, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      const prefix = `${stack.context.config.queue.prefix}:dialer`;
      const deduplicated = (await client.keys(`${prefix}:de:*`)).map((key) => key.slice(prefix.length + 4));
      return { deduplicated, active: await client.llen(`${prefix}:active`) };
    } finally {
      client.disconnect();
    }
  };
  const heldAtKills: Array<{ deduplicated: string[]; active: number }> = [];

  const restartWorker = async (label: string): Promise<void> => {
    worker = await stack.startWorker(label);
  };

  it('should lose no attempt, dial no voter twice for one attempt or twice at once, and resume pacing after each kill and the Redis restart', async () => {
    const started = Date.now();
    await Promise.all(volunteers.map((volunteer) => volunteer.start()));
    const moments: Moment[] = [];
    const resumedMs: number[] = [];

    // 1. Calls written and not yet asked for (or being asked for): the tick's commit and the place-call jobs.
    moments.push(await when('calls created or requesting', (state) => state.created + state.requesting > 0));
    await worker.kill('SIGKILL');
    heldAtKills.push(await queueHeld());
    await restartWorker('dialer-worker-2');
    resumedMs.push(await pacingResumedAfter(moments[0].at, 'the first kill'));

    // 2. Lines ringing at the carrier while nobody holds their jobs: their events arrive at the api with no worker up.
    await sleep(3_000);
    moments.push(await when('lines ringing', (state) => state.ringing >= 3));
    await worker.kill('SIGKILL');
    heldAtKills.push(await queueHeld());
    await sleep(1_500);
    await restartWorker('dialer-worker-3');
    resumedMs.push(await pacingResumedAfter(moments[1].at, 'the second kill'));

    // 3. Carrier events stored, their jobs waiting or running: the call-event processor dies mid-work.
    await sleep(3_000);
    moments.push(await when('events stored but not applied', (state) => state.unappliedEvents > 0 && state.ringing + state.requesting > 0));
    await worker.kill('SIGKILL');
    heldAtKills.push(await queueHeld());
    await restartWorker('dialer-worker-4');
    resumedMs.push(await pacingResumedAfter(moments[2].at, 'the third kill'));

    // 4. Redis dies mid-campaign (what the append-only file had not written is gone) and comes back on the same port and data.
    await sleep(3_000);
    moments.push(await when('lines in flight at the Redis restart', (state) => state.ringing + state.created + state.requesting > 0));
    await redis.restart(1_000, 'SIGKILL');
    resumedMs.push(await pacingResumedAfter(new Date(), 'the Redis restart'));

    // The campaign then runs to the end on the worker started last.
    const deadline = Date.now() + 200_000;
    while (!(await campaignFinished())) {
      if (Date.now() > deadline) {
        const audit = await auditCampaign(stack.sql, stack.simulator, campaign.campaignId, campaign.retryPolicy, { expectComplete: false });
        throw new Error(
          `the campaign did not finish after the crashes: ${JSON.stringify(await live())}; ${audit.violations.slice(0, 20).join('; ')}; ` +
            `volunteers' problems: ${JSON.stringify(volunteers.map((each) => each.problems.slice(-3)))}; worker: ${worker.errorTail(10)}`,
        );
      }
      await sleep(500);
    }
    const campaignSeconds = (Date.now() - started) / 1000;
    await Promise.all(volunteers.map((volunteer) => volunteer.stop()));

    const audit = await auditCampaign(stack.sql, stack.simulator, campaign.campaignId, campaign.retryPolicy);
    const [redriven] = await stack.sql.query(
      `SELECT count(*) FILTER (WHERE error_message LIKE 'The worker stopped while placing%')::int AS "failedMidRequest",
              count(*) FILTER (WHERE status = 'canceled' AND provider_call_sid IS NULL)::int AS "canceledUnplaced"
         FROM call WHERE campaign_id = $1`,
      [campaign.campaignId],
    );
    process.stdout.write(
      `${JSON.stringify({ test: 'dialer-crash', campaignSeconds, moments, resumedMs, heldAtKills, ...redriven, ...audit.figures, abandonRate: Number(audit.figures.abandonRate.toFixed(4)) })}\n`,
    );
    expect(audit.violations).toEqual([]);
    expect(audit.figures.contacts).toBe(VOTERS);
    // A stranded call is never left behind: nothing is still created or requesting, and every worker killed is gone.
    expect(stack.workers.filter((each) => each.running)).toHaveLength(1);
    expect(volunteers.flatMap((volunteer) => volunteer.problems).filter((problem) => problem.status !== 0 && problem.status < 500)).toEqual([]);
  }, 420_000);
});
