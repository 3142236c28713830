import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client } from 'pg';
import type { ProgressRollupService } from '@app/contacts';
import { median, progress, round, seconds, sleep } from './bench-statistics';
import { PHONE_DISPOSITIONS } from './progress-seed';

/** As the import worker schedules it (apps/import-worker/src/progress.scheduler.ts). */
const ROLLUP_EVERY_MS = 1_000;

/** The statement the phone bank saves an attempt with (libs/contacts/src/attempts/contact-attempt.repository.ts `insert`). */
const INSERT_ATTEMPT = `
  INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, calling_session_id,
                               volunteer_user_id, lease_id, call_id, outcome, disposition, call_back_at, script_version, started_at)
  VALUES ($1, $2, $3, $4, $5, $6, 'phone', $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT DO NOTHING RETURNING id, campaign_id AS "campaignId", voter_id::text AS "voterId", lease_id AS "leaseId", call_id AS "callId", outcome,
    disposition, call_back_at AS "callBackAt", created_at AS "createdAt"`;

interface Contact {
  readonly id: string;
  readonly organizationId: string;
  readonly voterId: string;
  readonly phone: string;
}

export interface InsertPlan {
  readonly allianceId: string;
  /** Attempts per round: one on each contact of the bench's call list. */
  readonly attemptsPerRound: number;
  /** Rounds of each kind, alternating. */
  readonly rounds: number;
  readonly connections: number;
  /** Also rounds with the trigger on and no rollup running: what the queueing alone costs. */
  readonly triggerOnlyRounds: boolean;
}

type Mode = 'without' | 'trigger' | 'with';

interface RoundResult {
  readonly mode: Mode;
  readonly seconds: number;
  readonly perSecond: number;
  /** Cores busy on the machine while the attempts were inserted (all processes: the writers, PostgreSQL, the rollup, anyone else). */
  readonly coresBusy: number;
  /** With: rollup runs during the inserts, attempts they counted, the queue left when the inserts ended, and the time to drain it. */
  readonly rollupRuns?: number;
  readonly rollupBatches?: number;
  readonly countedDuringInserts?: number;
  readonly queuedAtEnd?: number;
  readonly drainSeconds?: number;
  readonly longestRollupSeconds?: number;
}

export interface InsertOverhead {
  readonly attemptsPerRound: number;
  readonly connections: number;
  readonly withoutSeconds: number;
  readonly withSeconds: number;
  readonly withoutPerSecond: number;
  readonly withPerSecond: number;
  /** The median of each pair's own with ÷ without (the headline); and median ÷ median. */
  readonly ratio: number;
  readonly ratioOfMedians: number;
  readonly pairRatios: readonly number[];
  /** Trigger on, no rollup running: the median of its time ÷ the same pair's time without (null when not measured). */
  readonly triggerOnlyRatio: number | null;
  readonly triggerOnlyPerSecond: number | null;
  readonly coresBusy: Record<Mode, number | null>;
  readonly perRound: readonly RoundResult[];
}

/**
 * Rollup maintenance against attempt inserts. A campaign's call list of `attemptsPerRound` voters
 * gets one attempt per contact per round, each saved as the phone bank saves it (one INSERT, its
 * own transaction) on `connections` connections at once, in rounds of two kinds, alternating:
 * - without: the progress trigger disabled, no rollup running (the attempts are queued and counted
 *   afterwards, untimed, so every round starts from a drained queue and the rollups stay exact);
 * - with: the trigger enabled and `ProgressRollupService.run()` every second meanwhile, as the
 *   import worker runs it; what the rollup has left when the inserts end is drained, untimed.
 * - trigger (with `triggerOnlyRounds`, for the diagnosis): the trigger on and no rollup running; the
 *   queue is drained afterwards, untimed.
 * Every round starts after a CHECKPOINT.
 */
export async function measureInsertOverhead(owner: Client, databaseUrl: string, rollups: ProgressRollupService, plan: InsertPlan): Promise<InsertOverhead> {
  const { campaignId, contacts } = await prepareCallList(owner, plan);
  const writers: Client[] = [];
  for (let index = 0; index < plan.connections; index += 1) {
    const writer = new Client({ connectionString: databaseUrl, application_name: `bench-progress-writer-${index}` });
    await writer.connect();
    writers.push(writer);
  }
  const perRound: RoundResult[] = [];
  try {
    const modes: Mode[] = plan.triggerOnlyRounds ? ['without', 'with', 'trigger'] : ['without', 'with'];
    for (let pair = 0; pair < plan.rounds; pair += 1) {
      // Each kind takes each place in turn, so drift over the run falls on all alike.
      const order = modes.map((_, index) => modes[(index + pair) % modes.length]);
      if (pair % 2 === 1) order.reverse();
      for (const mode of order) {
        await owner.query('CHECKPOINT');
        const roundPlan = { ...plan, campaignId, contacts };
        const result =
          mode === 'with' ? await roundWith(owner, writers, rollups, roundPlan) : await roundWithoutRollup(owner, writers, rollups, roundPlan, mode);
        perRound.push(result);
        progress(`insert overhead: pair ${pair + 1} ${mode} ${JSON.stringify(result)}`);
      }
    }
  } finally {
    await owner.query(`ALTER TABLE contact_attempt ENABLE TRIGGER contact_attempt_progress`);
    for (const writer of writers) await writer.end();
  }
  const without = perRound.filter((each) => each.mode === 'without');
  const withRollups = perRound.filter((each) => each.mode === 'with');
  const triggerOnly = perRound.filter((each) => each.mode === 'trigger');
  const pairRatios = without.map((each, index) => round(withRollups[index].seconds / each.seconds, 3));
  const withoutSeconds = median(without.map((each) => each.seconds));
  const withSeconds = median(withRollups.map((each) => each.seconds));
  const coresOf = (rounds: readonly RoundResult[]) => (rounds.length === 0 ? null : round(median(rounds.map((each) => each.coresBusy))));
  return {
    attemptsPerRound: plan.attemptsPerRound,
    connections: plan.connections,
    withoutSeconds: round(withoutSeconds),
    withSeconds: round(withSeconds),
    withoutPerSecond: Math.round(plan.attemptsPerRound / withoutSeconds),
    withPerSecond: Math.round(plan.attemptsPerRound / withSeconds),
    ratio: round(median(pairRatios), 3),
    ratioOfMedians: round(withSeconds / withoutSeconds, 3),
    pairRatios,
    triggerOnlyRatio: triggerOnly.length === 0 ? null : round(median(triggerOnly.map((each, index) => each.seconds / without[index].seconds)), 3),
    triggerOnlyPerSecond: triggerOnly.length === 0 ? null : Math.round(plan.attemptsPerRound / median(triggerOnly.map((each) => each.seconds))),
    coresBusy: { without: coresOf(without), trigger: coresOf(triggerOnly), with: coresOf(withRollups) },
    perRound,
  };
}

/** An alliance-wide phone campaign whose call list is `attemptsPerRound` voters, each with their own organization. */
async function prepareCallList(owner: Client, plan: InsertPlan): Promise<{ campaignId: string; contacts: Contact[] }> {
  const [{ id: campaignId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO campaign (alliance_id, slug, name, status, channel) VALUES ($1, 'bench-insert-calls', 'Bench insert calls', 'active', 'phone') RETURNING id`,
      [plan.allianceId],
    )
  ).rows;
  const { rows } = await owner.query<Contact>(
    `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, time_zone)
     SELECT $1, $2, t.organization_id, '+1919' || (2000000 + t.voter_id)::text, t.voter_id, ARRAY[t.voter_id], 'America/New_York'
       FROM bench_turf t WHERE t.home ORDER BY bench_u(t.voter_id, 90) LIMIT $3
     RETURNING id::text, organization_id AS "organizationId", voter_id::text AS "voterId", phone`,
    [plan.allianceId, campaignId, plan.attemptsPerRound],
  );
  await owner.query('VACUUM (ANALYZE) campaign_contact');
  return { campaignId, contacts: rows };
}

type RoundPlan = InsertPlan & { readonly campaignId: string; readonly contacts: readonly Contact[] };

/** Without: the trigger off; trigger: on, but no rollup running. Either way the round's attempts are counted afterwards, untimed. */
async function roundWithoutRollup(
  owner: Client,
  writers: readonly Client[],
  rollups: ProgressRollupService,
  plan: RoundPlan,
  mode: 'without' | 'trigger',
): Promise<RoundResult> {
  if (mode === 'without') await owner.query(`ALTER TABLE contact_attempt DISABLE TRIGGER contact_attempt_progress`);
  const [{ startedAt }] = (await owner.query<{ startedAt: Date }>(`SELECT clock_timestamp() AS "startedAt"`)).rows;
  const cpu = machineCpu();
  const elapsed = await insertAttempts(writers, plan);
  const coresBusy = cpu.coresBusy();
  if (mode === 'without') {
    await owner.query(`ALTER TABLE contact_attempt ENABLE TRIGGER contact_attempt_progress`);
    // What the trigger would have queued, queued now (untimed), and counted before the next round.
    await owner.query(
      `INSERT INTO progress_pending (contact_attempt_id) SELECT id FROM contact_attempt WHERE campaign_id = $1 AND created_at >= $2 ORDER BY created_at`,
      [plan.campaignId, startedAt],
    );
  }
  await drain(rollups);
  return { mode, seconds: seconds(elapsed), perSecond: Math.round(plan.attemptsPerRound / (elapsed / 1000)), coresBusy };
}

async function roundWith(owner: Client, writers: readonly Client[], rollups: ProgressRollupService, plan: RoundPlan): Promise<RoundResult> {
  await owner.query(`ALTER TABLE contact_attempt ENABLE TRIGGER contact_attempt_progress`);
  let stopping = false;
  let rollupRuns = 0;
  let rollupBatches = 0;
  let counted = 0;
  let longest = 0;
  const loop = (async () => {
    while (!stopping) {
      const started = performance.now();
      const outcome = await rollups.run({ keepUp: true });
      const took = performance.now() - started;
      rollupRuns += 1;
      rollupBatches += outcome.batches;
      counted += outcome.counted;
      longest = Math.max(longest, took);
      // A repeatable job every second: the next starts a second after the last began, or at once if it ran longer.
      for (let waited = took; waited < ROLLUP_EVERY_MS && !stopping; waited += 50) await sleep(50);
    }
  })();
  let elapsed: number;
  let coresBusy: number;
  try {
    const cpu = machineCpu();
    elapsed = await insertAttempts(writers, plan);
    coresBusy = cpu.coresBusy();
  } finally {
    stopping = true;
    await loop;
  }
  const countedDuringInserts = counted;
  const queuedAtEnd = await rollups.queuedCount();
  const drainStarted = performance.now();
  await drain(rollups);
  return {
    mode: 'with',
    seconds: seconds(elapsed),
    perSecond: Math.round(plan.attemptsPerRound / (elapsed / 1000)),
    coresBusy,
    rollupRuns,
    rollupBatches,
    countedDuringInserts,
    queuedAtEnd,
    drainSeconds: seconds(performance.now() - drainStarted),
    longestRollupSeconds: seconds(longest),
  };
}

/** One attempt per contact, each INSERT its own transaction, the writers taking contacts in turn; the wall time in ms. */
async function insertAttempts(writers: readonly Client[], plan: RoundPlan): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    writers.map(async (writer) => {
      for (let index = next++; index < plan.contacts.length; index = next++) {
        const contact = plan.contacts[index];
        const disposition = dispositionOf(Math.random());
        const now = new Date();
        await writer.query(INSERT_ATTEMPT, [
          plan.allianceId,
          plan.campaignId,
          contact.organizationId,
          contact.id,
          contact.voterId,
          contact.phone,
          null,
          null,
          randomUUID(),
          null,
          disposition === 'voicemail' ? 'machine' : disposition === 'not_home' ? 'no-answer' : 'human',
          disposition,
          disposition === 'call_back' ? new Date(now.getTime() + 86_400_000) : null,
          1,
          new Date(now.getTime() - 180_000),
        ]);
      }
    }),
  );
  return performance.now() - started;
}

/** The machine's CPU from now on: cores busy on average until `coresBusy()` is asked (from /proc/stat; 0 where there is none). */
function machineCpu(): { coresBusy(): number } {
  const read = (): { busy: number; total: number } | null => {
    try {
      const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
      // idle and iowait are not busy
      return { busy: total - fields[3] - fields[4], total };
    } catch {
      return null;
    }
  };
  const start = read();
  return {
    coresBusy: () => {
      const end = read();
      if (start === null || end === null || end.total === start.total) return 0;
      return round(((end.busy - start.busy) / (end.total - start.total)) * cpus().length);
    },
  };
}

function dispositionOf(u: number): string {
  return PHONE_DISPOSITIONS.find(([, upTo]) => u < upTo)?.[0] ?? 'not_home';
}

/** Runs the rollup until nothing is queued. */
export async function drain(rollups: ProgressRollupService): Promise<number> {
  let counted = 0;
  for (;;) {
    const outcome = await rollups.run();
    counted += outcome.counted;
    if (outcome.busy) {
      await sleep(100);
      continue;
    }
    if (outcome.counted === 0 && outcome.optOuts === 0 && (await rollups.queuedCount()) === 0) return counted;
  }
}
