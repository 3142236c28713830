import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { createTestContext, IdentityFactory, type TestContext } from '@app/testing';
import { ContactsModule } from '../contacts.module';
import { ProgressReconciliationService } from './progress-reconciliation.service';
import { ProgressRollupRepository } from './progress-rollup.repository';
import { ProgressRollupService } from './progress-rollup.service';

/** A deterministic pseudo-random sequence: the same run every time, and a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const DAY_MS = 24 * 3600_000;
/** Noon in Los Angeles (the alliance's reporting zone) on 2026-11-01. */
const FIRST_DAY = Date.parse('2026-11-01T20:00:00Z');
const PHONE_DISPOSITIONS = ['contacted', 'not_home', 'voicemail', 'refused', 'do_not_call', 'busy'] as const;
const CONVERSATION = new Set(['contacted', 'refused', 'do_not_call']);
const SURVEY = [
  { key: 'reform', prompt: 'How open are you to reform?', kind: 'scale', choices: [] },
  { key: 'open_to_reform', prompt: 'Open to reform?', kind: 'single_choice', choices: [{ value: 'yes' }, { value: 'no' }] },
];

interface Org {
  readonly id: string;
  readonly regionId: string;
  readonly campaignId: string;
  readonly channel: 'phone' | 'sms';
}

/** One attempt as the test means it, and what the rollups must make of it. */
interface PlannedAttempt {
  readonly id: string;
  readonly org: Org;
  readonly voterId: number;
  readonly createdAt: Date;
  readonly disposition: string;
  readonly reply: boolean;
  readonly answers: ReadonlyArray<[string, string]>;
  readonly conversation: boolean;
  readonly open: boolean;
}

const VOTERS = 500;
const countyOf = (voterId: number): string | null => (voterId <= 200 ? 'Alameda' : voterId <= 450 ? 'Fresno' : null);
const precinctOf = (voterId: number): string => `P${voterId % 3}`;
const dayOf = (at: Date): string => new Date(at.getTime() - 8 * 3600_000).toISOString().slice(0, 10);

/**
 * The rollups against real PostgreSQL: attempts written at once by several connections (some
 * rolled back and written again, some written twice) while two rollups run, then every figure the
 * dashboard reads compared with what the test itself expects from the attempts it planned.
 */
describe('progress rollups', () => {
  let context: TestContext;
  let app: INestApplicationContext;
  let sql: DataSource;
  let rollups: ProgressRollupService;
  let reconciliation: ProgressReconciliationService;
  let allianceId: string;
  let orgs: Org[];
  const contactIds = new Map<string, string>();

  const cell = async (scopeKind: string, scopeId: string, dimension: string, bucket: string) =>
    (
      await sql.query(
        `SELECT attempts::int, conversations::int, opt_outs::int AS "optOuts", voters_attempted::int AS "votersAttempted",
                voters_reached::int AS "votersReached", open_to_reform::int AS "openToReform", exclusive_reached::int AS "exclusiveReached"
           FROM progress_cell WHERE scope_kind = $1 AND scope_id = $2 AND dimension = $3 AND bucket = $4`,
        [scopeKind, scopeId, dimension, bucket],
      )
    )[0] as Record<string, number> | undefined;

  /** Every figure of every cell of the alliance, by `scope:id:dimension:bucket`. */
  async function allCells(): Promise<Map<string, Record<string, number>>> {
    const rows: Array<{ key: string } & Record<string, number>> = await sql.query(
      `SELECT scope_kind || ':' || scope_id || ':' || dimension || ':' || bucket AS key, attempts::int, conversations::int, opt_outs::int AS "optOuts",
              voters_attempted::int AS "votersAttempted", voters_reached::int AS "votersReached", open_to_reform::int AS "openToReform",
              exclusive_reached::int AS "exclusiveReached"
         FROM progress_cell WHERE alliance_id = $1`,
      [allianceId],
    );
    return new Map(rows.map(({ key, ...figures }) => [key, figures]));
  }

  /** What changed from `before` to `after`, figure by figure (a cell that appeared starts from zero). */
  function changes(before: Map<string, Record<string, number>>, after: Map<string, Record<string, number>>): Record<string, Record<string, number>> {
    const changed: Record<string, Record<string, number>> = {};
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      for (const figure of Object.keys({ ...before.get(key), ...after.get(key) })) {
        const delta = (after.get(key)?.[figure] ?? 0) - (before.get(key)?.[figure] ?? 0);
        if (delta !== 0) changed[key] = { ...changed[key], [figure]: delta };
      }
    }
    return changed;
  }

  async function insertCampaign(organizationId: string, channel: 'phone' | 'sms'): Promise<string> {
    const [{ id }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, channel, sending_numbers, survey_questions)
       VALUES ($1, $2, $2, $3, 'active', $4, $5, $6) RETURNING id`,
      [allianceId, `progress-${randomUUID().slice(0, 8)}`, organizationId, channel, channel === 'sms' ? ['+14155550111'] : [], JSON.stringify(SURVEY)],
    );
    const contacts: { id: string; voterId: number }[] = await sql.query(
      `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids)
       SELECT $1, $2, $3, '+1415777' || lpad(v::text, 4, '0'), v, ARRAY[v::bigint] FROM generate_series(1, $4::int) v
       RETURNING id::text, voter_id::int AS "voterId"`,
      [allianceId, id, organizationId, VOTERS],
    );
    for (const contact of contacts) contactIds.set(`${id}:${contact.voterId}`, contact.id);
    return id;
  }

  /** Writes one planned attempt (and its conversation, reply and answers) in the transaction given. */
  async function write(run: (query: string, parameters: unknown[]) => Promise<unknown>, attempt: PlannedAttempt, leaseId: string): Promise<void> {
    const { org } = attempt;
    const contactId = contactIds.get(`${org.campaignId}:${attempt.voterId}`);
    const phone = `+1415777${String(attempt.voterId).padStart(4, '0')}`;
    if (org.channel === 'sms') {
      await run(
        `INSERT INTO conversation (id, alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, status, closed_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '+14155550111', 'closed', 'texter') ON CONFLICT (campaign_contact_id) DO NOTHING`,
        [leaseId, allianceId, org.campaignId, org.id, contactId, attempt.voterId, phone],
      );
      if (attempt.reply) {
        await run(
          `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body, status, provider_message_sid)
           VALUES ($1, $2, $3, $4, 'inbound', 'inbound', $5, $6, '+14155550111', 'hello', 'received', $5) ON CONFLICT DO NOTHING`,
          [allianceId, org.campaignId, org.id, leaseId, `SM${leaseId.replace(/-/g, '')}`, phone],
        );
      }
    }
    await run(
      `INSERT INTO contact_attempt (id, alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition,
                                    script_version, started_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) ON CONFLICT DO NOTHING`,
      [attempt.id, allianceId, org.campaignId, org.id, contactId, attempt.voterId, phone, org.channel, leaseId, attempt.disposition, attempt.createdAt],
    );
    for (const [key, answer] of attempt.answers) {
      await run(
        `INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [allianceId, org.campaignId, org.id, attempt.id, attempt.voterId, key, answer],
      );
    }
  }

  function plan(count: number, seed: number): PlannedAttempt[] {
    const next = random(seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
    // A text conversation is one per voter and campaign, and records one attempt.
    const texted = new Set<number>();
    return Array.from({ length: count }, () => {
      const voterId = 1 + Math.floor(next() * VOTERS);
      let org = pick(orgs);
      if (org.channel === 'sms' && texted.has(voterId)) org = orgs[0];
      if (org.channel === 'sms') texted.add(voterId);
      const disposition = org.channel === 'sms' ? pick(['texted', 'replied', 'refused', 'do_not_call']) : pick(PHONE_DISPOSITIONS);
      const reply = org.channel === 'sms' && next() < 0.5;
      const conversation = org.channel === 'sms' ? reply : CONVERSATION.has(disposition);
      const scale = conversation && next() < 0.6 ? String(1 + Math.floor(next() * 5)) : null;
      const yes = conversation && next() < 0.2 ? pick(['yes', 'no']) : null;
      const answers: Array<[string, string]> = [];
      if (scale !== null) answers.push(['reform', scale]);
      if (yes !== null) answers.push(['open_to_reform', yes]);
      return {
        id: randomUUID(),
        org,
        voterId,
        // Ten days, in no particular order: a later-written attempt may be an earlier contact.
        createdAt: new Date(FIRST_DAY + Math.floor(next() * 10) * DAY_MS + Math.floor(next() * 6 * 3600_000)),
        disposition,
        reply,
        answers,
        conversation,
        open: scale === '4' || scale === '5' || yes === 'yes',
      };
    });
  }

  /** What the rollups must hold for these attempts, worked out here, not by SQL. */
  function expected(attempts: readonly PlannedAttempt[]) {
    const firstOf = (filter: (attempt: PlannedAttempt) => boolean, key: (attempt: PlannedAttempt) => string) => {
      const first = new Map<string, Date>();
      for (const attempt of attempts.filter(filter)) {
        const id = `${key(attempt)}:${attempt.voterId}`;
        if (!first.has(id) || attempt.createdAt < first.get(id)!) first.set(id, attempt.createdAt);
      }
      return first;
    };
    const alliance = () => allianceId;
    const reachedByOrg = new Map<number, Set<string>>();
    for (const attempt of attempts.filter((each) => each.conversation)) {
      reachedByOrg.set(attempt.voterId, (reachedByOrg.get(attempt.voterId) ?? new Set()).add(attempt.org.id));
    }
    const exclusive = new Map<string, number>();
    for (const orgsOfVoter of reachedByOrg.values()) {
      if (orgsOfVoter.size === 1) {
        const [only] = orgsOfVoter;
        exclusive.set(only, (exclusive.get(only) ?? 0) + 1);
      }
    }
    const firstReachedInAlliance = firstOf((attempt) => attempt.conversation, alliance);
    const burnUp = new Map<string, number>();
    for (const at of firstReachedInAlliance.values()) burnUp.set(dayOf(at), (burnUp.get(dayOf(at)) ?? 0) + 1);
    const reachedIn = (county: string | null) => new Set(attempts.filter((a) => a.conversation && countyOf(a.voterId) === county).map((a) => a.voterId)).size;
    return {
      attempts: attempts.length,
      conversations: attempts.filter((attempt) => attempt.conversation).length,
      optOuts: attempts.filter((attempt) => attempt.disposition === 'do_not_call').length,
      votersAttempted: new Set(attempts.map((attempt) => attempt.voterId)).size,
      votersReached: firstReachedInAlliance.size,
      openToReform: new Set(attempts.filter((attempt) => attempt.open).map((attempt) => attempt.voterId)).size,
      reachedOf: (test: (attempt: PlannedAttempt) => boolean) => new Set(attempts.filter((a) => a.conversation && test(a)).map((a) => a.voterId)).size,
      exclusive,
      burnUp,
      reachedAlameda: reachedIn('Alameda'),
      reachedUnknownCounty: reachedIn(null),
    };
  }

  beforeAll(async () => {
    context = await createTestContext();
    app = await NestFactory.createApplicationContext(
      {
        module: class ProgressTestModule {},
        imports: [
          CoreModule.forRoot({
            config: context.config,
            endpoints: context.endpoints,
            serviceName: 'progress-test',
            logDestination: new RecordingLogDestination(),
          }),
          ContactsModule,
        ],
      },
      { logger: false },
    );
    sql = app.get<DataSource>(getDataSourceToken());
    rollups = app.get(ProgressRollupService);
    reconciliation = app.get(ProgressReconciliationService);
    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance()).id;
    const anchorA = await identity.anchor(allianceId);
    const anchorB = await identity.anchor(allianceId);
    const members = [
      await identity.member(allianceId, anchorA.id),
      await identity.member(allianceId, anchorA.id),
      await identity.member(allianceId, anchorB.id),
    ];
    // The alliance's voters, in a partition of their own as an import makes it.
    await sql.query(`CREATE TABLE voter_progress_test PARTITION OF voter FOR VALUES IN ('${allianceId}')`);
    const voterIds = Array.from({ length: VOTERS }, (_, index) => index + 1);
    await sql.query(
      `INSERT INTO voter (id, alliance_id, source_voter_id, source_line, party, race_ethnicity, propensity, county, precinct)
       SELECT v.id, $1, 'V' || v.id, v.id, 'unknown', 'unknown', 'occasional', v.county, v.precinct
         FROM unnest($2::int[], $3::text[], $4::text[]) AS v(id, county, precinct)`,
      [allianceId, voterIds, voterIds.map(countyOf), voterIds.map(precinctOf)],
    );
    orgs = [
      { id: members[0].id, regionId: anchorA.id, channel: 'phone', campaignId: await insertCampaign(members[0].id, 'phone') },
      { id: members[1].id, regionId: anchorA.id, channel: 'phone', campaignId: await insertCampaign(members[1].id, 'phone') },
      { id: members[2].id, regionId: anchorB.id, channel: 'sms', campaignId: await insertCampaign(members[2].id, 'sms') },
      { id: anchorA.id, regionId: anchorA.id, channel: 'phone', campaignId: await insertCampaign(anchorA.id, 'phone') },
    ];
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  it('should equal what the attempts add up to after concurrent writes, rolled-back retries and duplicates, with two rollups running', async () => {
    const attempts = plan(800, 7);
    const next = random(99);
    const connections = 4;
    let rollupsRunning = true;
    const counting = Promise.all(
      [0, 1].map(async () => {
        let busy = 0;
        while (rollupsRunning) {
          const outcome = await rollups.run({ batchSize: 37 });
          if (outcome.busy) busy += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return busy;
      }),
    );
    await Promise.all(
      Array.from({ length: connections }, async (_, connection) => {
        const mine = attempts.filter((_, index) => index % connections === connection);
        for (let start = 0; start < mine.length;) {
          const size = 1 + Math.floor(next() * 12);
          const batch = mine.slice(start, start + size);
          const runner = sql.createQueryRunner();
          await runner.connect();
          try {
            // A retry: the first try is rolled back, counted never; the second commits.
            if (next() < 0.15) {
              await runner.startTransaction();
              for (const attempt of batch) await write((query, parameters) => runner.query(query, parameters), attempt, attempt.id);
              await runner.rollbackTransaction();
            }
            await runner.startTransaction();
            for (const attempt of batch) {
              await write((query, parameters) => runner.query(query, parameters), attempt, attempt.id);
              // A double save: the same attempt again finds it saved and adds nothing.
              if (next() < 0.1) await write((query, parameters) => runner.query(query, parameters), attempt, attempt.id);
            }
            await runner.commitTransaction();
          } finally {
            if (runner.isTransactionActive) await runner.rollbackTransaction();
            await runner.release();
          }
          start += size;
        }
      }),
    );
    rollupsRunning = false;
    await counting;
    expect((await rollups.run()).busy).toBe(false);
    expect(await rollups.queuedCount()).toBe(0);

    const want = expected(attempts);
    expect(await cell('alliance', allianceId, 'total', '')).toEqual({
      attempts: want.attempts,
      conversations: want.conversations,
      optOuts: want.optOuts,
      votersAttempted: want.votersAttempted,
      votersReached: want.votersReached,
      openToReform: want.openToReform,
      exclusiveReached: 0,
    });
    // Sanity of the plan itself: voters reached by more than one organization, and some by only one.
    expect(want.votersReached).toBeLessThan(want.conversations);
    expect([...want.exclusive.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    expect([...want.exclusive.values()].reduce((sum, count) => sum + count, 0)).toBeLessThan(want.votersReached);

    for (const org of orgs) {
      const own = await cell('organization', org.id, 'total', '');
      expect([org.id, own?.votersReached, own?.exclusiveReached]).toEqual([
        org.id,
        want.reachedOf((attempt) => attempt.org.id === org.id),
        want.exclusive.get(org.id) ?? 0,
      ]);
    }
    // A region is its anchor and its members: a voter two of them reached counts once.
    const regionA = orgs[0].regionId;
    expect((await cell('region', regionA, 'total', ''))?.votersReached).toBe(want.reachedOf((attempt) => attempt.org.regionId === regionA));
    // By channel: a voter reached by phone and by text counts once in each.
    expect((await cell('alliance', allianceId, 'channel', 'phone'))?.votersReached).toBe(want.reachedOf((attempt) => attempt.org.channel === 'phone'));
    expect((await cell('alliance', allianceId, 'channel', 'sms'))?.votersReached).toBe(want.reachedOf((attempt) => attempt.org.channel === 'sms'));
    // By county, frozen from the voter file; an unknown county is its own bucket.
    expect((await cell('alliance', allianceId, 'county', 'Alameda'))?.votersReached).toBe(want.reachedAlameda);
    expect((await cell('alliance', allianceId, 'county', ''))?.votersReached).toBe(want.reachedUnknownCounty);
    // The burn-up: voters first reached each day (Los Angeles days), whatever order the attempts were written in.
    const days: { bucket: string; reached: number }[] = await sql.query(
      `SELECT bucket, voters_reached::int AS reached FROM progress_cell
        WHERE scope_kind = 'alliance' AND scope_id = $1 AND dimension = 'day' AND voters_reached <> 0 ORDER BY bucket`,
      [allianceId],
    );
    expect(days).toEqual([...want.burnUp.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([bucket, reached]) => ({ bucket, reached })));

    const report = await reconciliation.reconcile(allianceId);
    expect(report).toMatchObject({ driftedCells: 0, rebuilt: false });
    expect(report.cellsChecked).toBeGreaterThan(50);
  });

  it('should count nothing twice when run again with nothing queued', async () => {
    const before: unknown[] = await sql.query(`SELECT * FROM progress_cell WHERE alliance_id = $1 ORDER BY scope_kind, scope_id, dimension, bucket`, [
      allianceId,
    ]);
    expect(await rollups.run()).toEqual({ counted: 0, optOuts: 0, batches: 0, busy: false });
    expect(await rollups.run()).toEqual({ counted: 0, optOuts: 0, batches: 0, busy: false });
    expect(await sql.query(`SELECT * FROM progress_cell WHERE alliance_id = $1 ORDER BY scope_kind, scope_id, dimension, bucket`, [allianceId])).toEqual(
      before,
    );
  });

  it('should end a scheduled (keep-up) run after a batch that was not full, leaving calls saved meanwhile to the next run', async () => {
    const calls = plan(60, 11).filter((attempt) => attempt.org.channel === 'phone');
    const [queued, meanwhile] = [calls.slice(0, 6), calls.slice(6)];
    expect(meanwhile.length).toBeGreaterThan(0);
    const save = (attempt: PlannedAttempt) => write((query, parameters) => sql.query(query, parameters), attempt, randomUUID());
    for (const attempt of queued) await save(attempt);
    const repository = app.get(ProgressRollupRepository);
    const claim = repository.claimBatch.bind(repository);
    const claimBatch = jest.spyOn(repository, 'claimBatch').mockImplementationOnce(async (manager, limit, definitions) => {
      const claimed = await claim(manager, limit, definitions);
      // Volunteers save calls while this batch is counted (other connections, committed at once).
      for (const attempt of meanwhile) await save(attempt);
      return claimed;
    });
    try {
      expect(await rollups.run({ batchSize: 10, keepUp: true })).toEqual({ counted: queued.length, optOuts: 0, batches: 1, busy: false });
    } finally {
      claimBatch.mockRestore();
    }
    expect(await rollups.queuedCount()).toBe(meanwhile.length);
    // Full batches follow one another; the run ends with the queue's last, partial one.
    expect((await rollups.run({ batchSize: 10, keepUp: true })).counted).toBe(meanwhile.length);
    expect(await rollups.queuedCount()).toBe(0);
    expect((await reconciliation.reconcile(allianceId)).driftedCells).toBe(0);
  });

  it('should count a voter who moved after their first attempt in the county the alliance froze then, when another organization first calls them', async () => {
    const org = orgs[1];
    const [{ voterId, county, precinct }] = await sql.query(
      `SELECT voter_id::int AS "voterId", county, precinct FROM progress_reach r
        WHERE scope_kind = 'alliance' AND scope_id = $1 AND county IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM progress_reach o WHERE o.scope_kind = 'organization' AND o.scope_id = $2 AND o.voter_id = r.voter_id)
        ORDER BY voter_id LIMIT 1`,
      [allianceId, org.id],
    );
    await sql.query(`UPDATE voter SET county = 'Elsewhere', precinct = 'E1' WHERE alliance_id = $1 AND id = $2`, [allianceId, voterId]);
    try {
      const before = await cell('organization', org.id, 'county', county);
      const attempt: PlannedAttempt = {
        id: randomUUID(),
        org,
        voterId,
        createdAt: new Date(FIRST_DAY + 9 * DAY_MS),
        disposition: 'not_home',
        reply: false,
        answers: [],
        conversation: false,
        open: false,
      };
      await write((query, parameters) => sql.query(query, parameters), attempt, randomUUID());
      expect(await rollups.run()).toMatchObject({ counted: 1 });
      expect((await cell('organization', org.id, 'county', county))?.votersAttempted).toBe((before?.votersAttempted ?? 0) + 1);
      expect(await cell('organization', org.id, 'county', 'Elsewhere')).toBeUndefined();
      expect(await cell('organization', org.id, 'precinct', `${county}/${precinct}`)).toMatchObject({ votersAttempted: expect.any(Number) });
      expect((await reconciliation.reconcile(allianceId)).driftedCells).toBe(0);
    } finally {
      await sql.query(`UPDATE voter SET county = $3, precinct = $4 WHERE alliance_id = $1 AND id = $2`, [
        allianceId,
        voterId,
        countyOf(voterId),
        precinctOf(voterId),
      ]);
    }
  });

  it('should compare while a rollup holds its lock, without stopping it (at full size a comparison takes minutes)', async () => {
    const rollup = sql.createQueryRunner();
    await rollup.connect();
    try {
      await rollup.startTransaction();
      await rollup.query(`SELECT pg_advisory_xact_lock(hashtextextended('progress-rollup', 0))`);
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000));
      expect(await Promise.race([reconciliation.reconcile(allianceId), waited])).toMatchObject({ driftedCells: 0, rebuilt: false });
    } finally {
      if (rollup.isTransactionActive) await rollup.rollbackTransaction();
      await rollup.release();
    }
  });

  it('should report a drifted cell with its stored and counted figures, and count the alliance afresh when asked', async () => {
    const [total] = await sql.query(`SELECT attempts::int FROM progress_cell WHERE scope_kind = 'alliance' AND scope_id = $1 AND dimension = 'total'`, [
      allianceId,
    ]);
    await sql.query(
      `UPDATE progress_cell SET attempts = attempts + 3 WHERE scope_kind = 'alliance' AND scope_id = $1 AND dimension = 'county' AND bucket = 'Fresno'`,
      [allianceId],
    );
    await sql.query(
      `UPDATE progress_cell SET voters_reached = voters_reached - 1 WHERE scope_kind = 'organization' AND scope_id = $1 AND dimension = 'total'`,
      [orgs[1].id],
    );
    const drifted = await reconciliation.reconcile(allianceId);
    expect(drifted.rebuilt).toBe(false);
    expect(drifted.drift).toContainEqual(
      expect.objectContaining({
        scopeKind: 'alliance',
        scopeId: allianceId,
        dimension: 'county',
        bucket: 'Fresno',
        stored: expect.objectContaining({ attempts: expect.any(Number) }),
      }),
    );
    const fresno = drifted.drift.find((each) => each.dimension === 'county' && each.bucket === 'Fresno' && each.scopeKind === 'alliance')!;
    expect(fresno.stored.attempts - fresno.counted.attempts).toBe(3);
    const member = drifted.drift.find((each) => each.scopeKind === 'organization' && each.scopeId === orgs[1].id && each.dimension === 'total')!;
    expect(member.counted.voters_reached - member.stored.voters_reached).toBe(1);
    expect(drifted.driftedCells).toBe(2);
    const [recorded] = await sql.query(`SELECT drifted_cells AS "driftedCells", rebuilt FROM progress_reconciliation WHERE id = $1`, [drifted.id]);
    expect(recorded).toEqual({ driftedCells: drifted.driftedCells, rebuilt: false });

    const rebuilt = await reconciliation.reconcile(allianceId, { rebuild: true });
    expect(rebuilt.rebuilt).toBe(true);
    const after = await reconciliation.reconcile(allianceId);
    expect(after).toMatchObject({ driftedCells: 0, rebuilt: false });
    expect((await cell('alliance', allianceId, 'total', ''))?.attempts).toBe(total.attempts);
  });
  it('should reconcile volunteer time with the calling sessions: drift reported by organization and campaign, added up afresh when asked', async () => {
    const org = orgs.find((each) => each.channel === 'phone')!;
    const user = await new IdentityFactory(sql).user();
    // 60 minutes less 2 paused, and 60 minutes: 7,080 seconds.
    await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, status, started_at, ended_at, paused_seconds)
       VALUES ($1, $2, $3, $4, 'ended', now() - interval '1 hour', now(), 120), ($1, $2, $3, $4, 'ended', now() - interval '3 hours', now() - interval '2 hours', 0)`,
      [allianceId, org.campaignId, org.id, user.id],
    );
    expect(await reconciliation.reconcile(allianceId)).toMatchObject({ driftedCells: 0 });
    await sql.query(`UPDATE progress_volunteer_time SET seconds = seconds + 60 WHERE alliance_id = $1 AND campaign_id = $2`, [allianceId, org.campaignId]);
    const drifted = await reconciliation.reconcile(allianceId);
    expect(drifted).toMatchObject({ driftedCells: 1, rebuilt: false });
    expect(drifted.drift).toEqual([
      {
        scopeKind: 'organization',
        scopeId: org.id,
        dimension: 'volunteer_time',
        bucket: org.campaignId,
        stored: { seconds: 7140, sessions: 2 },
        counted: { seconds: 7080, sessions: 2 },
      },
    ]);
    expect(await reconciliation.reconcile(allianceId, { rebuild: true })).toMatchObject({ driftedCells: 1, rebuilt: true });
    expect(await reconciliation.reconcile(allianceId)).toMatchObject({ driftedCells: 0, rebuilt: false });
    expect(await sql.query(`SELECT seconds::float8 AS seconds, sessions FROM progress_volunteer_time WHERE campaign_id = $1`, [org.campaignId])).toEqual([
      { seconds: 7080, sessions: 2 },
    ]);
  });

  describe('text opt-outs (a STOP or a carrier 21610: an opt_out_event, no attempt)', () => {
    let org: Org;
    let campaignId: string;
    let known: { voterId: number; county: string; precinct: string | null; segmentKey: string | null };
    let unattempted: number;
    let stopMessageId: string;

    const phoneOf = (voterId: number) => `+1415777${String(voterId).padStart(4, '0')}`;

    /** A text conversation the voter's opt-out closed, as the texting library leaves it. */
    async function insertConversation(voterId: number): Promise<string> {
      const [{ id }] = await sql.query(
        `INSERT INTO conversation (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, status, closed_reason)
         VALUES ($1, $2, $3, $4, $5, $6, '+14155550111', 'closed', 'opted_out') RETURNING id`,
        [allianceId, campaignId, org.id, contactIds.get(`${campaignId}:${voterId}`), voterId, phoneOf(voterId)],
      );
      return id;
    }

    /** The voter's STOP, in their conversation or (`conversationId` null) in none. */
    async function insertStop(voterId: number, conversationId: string | null): Promise<string> {
      const sid = `SM${randomUUID().replace(/-/g, '')}`;
      const [{ id }] = await sql.query(
        `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body, status, provider_message_sid)
         VALUES ($1, $2, $3, $4, 'inbound', 'inbound', $5, $6, '+14155550111', 'STOP', 'received', $5) RETURNING id`,
        [allianceId, conversationId && campaignId, conversationId && org.id, conversationId, sid, phoneOf(voterId)],
      );
      return id;
    }

    /** Our first text, refused by the carrier: the voter had told it STOP (21610). */
    async function insertRefusedText(voterId: number, conversationId: string): Promise<string> {
      const [{ id }] = await sql.query(
        `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body, status, error_code)
         VALUES ($1, $2, $3, $4, 'outbound', 'initial', $5, $6, '+14155550111', 'Hello from the campaign', 'failed', '21610') RETURNING id`,
        [allianceId, campaignId, org.id, conversationId, `initial:${conversationId}`, phoneOf(voterId)],
      );
      return id;
    }

    async function insertEvent(event: {
      allianceId?: string;
      voterId: number;
      action: string;
      source: string;
      messageId: string;
      at: string;
    }): Promise<string> {
      const [{ id }] = await sql.query(
        `INSERT INTO opt_out_event (alliance_id, phone, channel, action, source, message_id, created_at) VALUES ($1, $2, 'sms', $3, $4, $5, $6) RETURNING id::text`,
        [event.allianceId ?? allianceId, phoneOf(event.voterId), event.action, event.source, event.messageId, event.at],
      );
      return id;
    }

    /** +1 opt-out in every cell an opt-out of this voter counts in: the conversation's three scopes, by every dimension. */
    function optOutCells(opt: { day: string; county: string; precinct: string; segment: string }): Record<string, Record<string, number>> {
      const cells: Record<string, Record<string, number>> = {};
      for (const scope of [`alliance:${allianceId}`, `region:${org.regionId}`, `organization:${org.id}`]) {
        for (const [dimension, bucket] of [
          ['total', ''],
          ['day', opt.day],
          ['county', opt.county],
          ['precinct', opt.precinct],
          ['segment', opt.segment],
          ['campaign', campaignId],
          ['channel', 'sms'],
        ]) {
          cells[`${scope}:${dimension}:${bucket}`] = { optOuts: 1 };
        }
      }
      return cells;
    }

    const optOutsOnly = (changed: Record<string, Record<string, number>>) =>
      Object.fromEntries(Object.entries(changed).flatMap(([key, figures]) => (figures.optOuts === undefined ? [] : [[key, { optOuts: figures.optOuts }]])));

    beforeAll(async () => {
      org = orgs[2];
      campaignId = await insertCampaign(org.id, 'sms');
      [known] = await sql.query(
        `SELECT voter_id::int AS "voterId", county, precinct, segment_key AS "segmentKey" FROM progress_reach
          WHERE scope_kind = 'alliance' AND scope_id = $1 AND county IS NOT NULL ORDER BY voter_id LIMIT 1`,
        [allianceId],
      );
      // A voter in the county file whom no one has attempted yet: nothing is frozen for them.
      [{ unattempted }] = await sql.query(
        `SELECT v AS unattempted FROM generate_series(1, 200) v
          WHERE NOT EXISTS (SELECT 1 FROM progress_reach r WHERE r.scope_kind = 'alliance' AND r.scope_id = $1 AND r.voter_id = v) ORDER BY v LIMIT 1`,
        [allianceId],
      );
    });

    it('should count a STOP and a 21610 in a conversation once in every scope and dimension, and an opt-in, an admin entry, an unmatched STOP or another alliance nothing', async () => {
      const before = await allCells();
      const stopConversation = await insertConversation(known.voterId);
      stopMessageId = await insertStop(known.voterId, stopConversation);
      const refused = await insertRefusedText(unattempted, await insertConversation(unattempted));
      const otherAlliance = (await new IdentityFactory(sql).alliance()).id;
      // 06:30 UTC on the 5th is the evening of the 4th in Los Angeles.
      const stop = await insertEvent({ voterId: known.voterId, action: 'opt_out', source: 'keyword', messageId: stopMessageId, at: '2026-11-05T06:30:00Z' });
      const carrier = await insertEvent({ voterId: unattempted, action: 'opt_out', source: 'carrier', messageId: refused, at: '2026-11-06T20:00:00Z' });
      await insertEvent({ voterId: known.voterId, action: 'opt_in', source: 'keyword', messageId: stopMessageId, at: '2026-11-07T20:00:00Z' });
      await insertEvent({ voterId: known.voterId, action: 'opt_out', source: 'admin', messageId: stopMessageId, at: '2026-11-07T21:00:00Z' });
      const unmatched = await insertEvent({
        voterId: known.voterId,
        action: 'opt_out',
        source: 'keyword',
        messageId: await insertStop(known.voterId, null),
        at: '2026-11-07T22:00:00Z',
      });
      // The same STOP opts the phone out of another alliance texting from the number: its event is not this conversation's.
      const elsewhere = await insertEvent({
        allianceId: otherAlliance,
        voterId: known.voterId,
        action: 'opt_out',
        source: 'keyword',
        messageId: stopMessageId,
        at: '2026-11-05T06:30:00Z',
      });
      const queued: { id: string }[] = await sql.query(`SELECT opt_out_event_id::text AS id FROM progress_pending_opt_out ORDER BY opt_out_event_id`);
      expect(queued.map((row) => row.id)).toEqual([stop, carrier, unmatched, elsewhere]);

      const outcomes = await Promise.all([rollups.run(), rollups.run()]);
      expect(outcomes.reduce((sum, outcome) => sum + outcome.optOuts, 0)).toBe(2);
      expect(outcomes.reduce((sum, outcome) => sum + outcome.counted, 0)).toBe(0);
      expect(await sql.query(`SELECT 1 FROM progress_pending_opt_out`)).toHaveLength(0);

      const stopCells = optOutCells({
        day: '2026-11-04',
        county: known.county,
        precinct: `${known.county}/${known.precinct ?? ''}`,
        segment: known.segmentKey ?? '',
      });
      const carrierCells = optOutCells({ day: '2026-11-06', county: '', precinct: '/', segment: '' });
      const want: Record<string, Record<string, number>> = { ...stopCells };
      for (const [key, figures] of Object.entries(carrierCells)) want[key] = { optOuts: (want[key]?.optOuts ?? 0) + figures.optOuts };
      const after = await allCells();
      expect(changes(before, after)).toEqual(want);
      expect(await sql.query(`SELECT 1 FROM progress_cell WHERE alliance_id = $1`, [otherAlliance])).toHaveLength(0);

      expect(await rollups.run()).toEqual({ counted: 0, optOuts: 0, batches: 0, busy: false });
      expect(changes(after, await allCells())).toEqual({});
      expect(await reconciliation.reconcile(allianceId)).toMatchObject({ driftedCells: 0, rebuilt: false });
    });

    it("should move an opt-out counted before the voter's first attempt to the county, precinct and segment that attempt freezes", async () => {
      const before = await allCells();
      const attempt: PlannedAttempt = {
        id: randomUUID(),
        org: orgs[0],
        voterId: unattempted,
        createdAt: new Date(FIRST_DAY + 8 * DAY_MS),
        disposition: 'not_home',
        reply: false,
        answers: [],
        conversation: false,
        open: false,
      };
      await write((query, parameters) => sql.query(query, parameters), attempt, attempt.id);
      expect(await rollups.run()).toEqual({ counted: 1, optOuts: 0, batches: 1, busy: false });

      const county = countyOf(unattempted)!;
      const moved: Record<string, Record<string, number>> = {};
      for (const scope of [`alliance:${allianceId}`, `region:${org.regionId}`, `organization:${org.id}`]) {
        Object.assign(moved, {
          [`${scope}:county:`]: { optOuts: -1 },
          [`${scope}:county:${county}`]: { optOuts: 1 },
          [`${scope}:precinct:/`]: { optOuts: -1 },
          [`${scope}:precinct:${county}/${precinctOf(unattempted)}`]: { optOuts: 1 },
        });
      }
      expect(optOutsOnly(changes(before, await allCells()))).toEqual(moved);
      expect(await reconciliation.reconcile(allianceId)).toMatchObject({ driftedCells: 0, rebuilt: false });
    });

    it('should count a STOP its webhook recorded before the text was filed once the event names the text, and only then', async () => {
      const [second]: { voterId: number }[] = await sql.query(
        `SELECT voter_id::int AS "voterId" FROM progress_reach
          WHERE scope_kind = 'alliance' AND scope_id = $1 AND voter_id <> $2 AND voter_id <> $3 ORDER BY voter_id LIMIT 1`,
        [allianceId, known.voterId, unattempted],
      );
      const conversationId = await insertConversation(second.voterId);
      const before = await allCells();
      // The webhook's fast path: the phone is opted out at once, the text itself is filed a moment later.
      const [{ id: eventId }] = await sql.query(
        `INSERT INTO opt_out_event (alliance_id, phone, channel, action, source, created_at) VALUES ($1, $2, 'sms', 'opt_out', 'keyword', '2026-11-08T20:00:00Z')
         RETURNING id::text`,
        [allianceId, phoneOf(second.voterId)],
      );
      expect(await rollups.run()).toMatchObject({ optOuts: 0 });
      expect(changes(before, await allCells())).toEqual({});

      const messageId = await insertStop(second.voterId, conversationId);
      await sql.query(`UPDATE opt_out_event SET message_id = $2 WHERE id = $1`, [eventId, messageId]);
      expect(await rollups.run()).toMatchObject({ optOuts: 1 });
      const counted = changes(before, await allCells());
      expect(counted[`organization:${org.id}:total:`]).toEqual({ optOuts: 1 });
      expect(counted[`alliance:${allianceId}:day:2026-11-08`]).toEqual({ optOuts: 1 });
      // Linked once: naming it again (or another update) queues nothing more.
      await sql.query(`UPDATE opt_out_event SET reason = 'noted' WHERE id = $1`, [eventId]);
      expect(await rollups.run()).toMatchObject({ optOuts: 0 });
      expect(await reconciliation.reconcile(allianceId)).toMatchObject({ driftedCells: 0, rebuilt: false });
    });

    it('should report a tampered opt_outs cell as drift, and count the opt-outs again when the alliance is rebuilt', async () => {
      const before = await allCells();
      await sql.query(
        `UPDATE progress_cell SET opt_outs = opt_outs + 1 WHERE scope_kind = 'organization' AND scope_id = $1 AND dimension = 'campaign' AND bucket = $2`,
        [org.id, campaignId],
      );
      const drifted = await reconciliation.reconcile(allianceId);
      expect(drifted.driftedCells).toBe(1);
      expect(drifted.drift[0]).toMatchObject({
        scopeKind: 'organization',
        scopeId: org.id,
        dimension: 'campaign',
        bucket: campaignId,
        // the STOP and the 21610 of the first test, the linked STOP of the one before: 3, and the one added
        stored: { opt_outs: 4, attempts: 0 },
        counted: { opt_outs: 3, attempts: 0 },
      });

      expect(await reconciliation.reconcile(allianceId, { rebuild: true })).toMatchObject({ rebuilt: true });
      expect(await reconciliation.reconcile(allianceId)).toMatchObject({ driftedCells: 0, rebuilt: false });
      expect(changes(before, await allCells())).toEqual({});
    });
  });
});
