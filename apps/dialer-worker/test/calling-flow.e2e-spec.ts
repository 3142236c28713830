import type { INestApplicationContext } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { CallListService, DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { type CallRecord, PhoneBankService, type VolunteerActor } from '@app/contacts';
import { MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, JobResult } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { createOwnerApplication, IdentityFactory, importSyntheticVoters, type TestContext, waitUntil } from '@app/testing';
import type { CarrierSimulator } from '../../carrier-sim/src';
import { startCarrierContext } from '../../../test/carrier-context.util';
import { assignEveryVoterAsTurf } from '../../../test/phone-bank-stack.util';
import { DialerQueueProcessor } from '../src/dialer-queue.processor';
import { DialerWorkerModule } from '../src/dialer-worker.module';

const VOLUNTEERS = 50;
/** 10:00 in New York, 07:00 in Los Angeles (winter). */
const MORNING_EASTERN = new Date('2026-11-30T15:00:00Z');
/** 21:00 in New York, 18:00 in Los Angeles. */
const EVENING_PACIFIC = new Date('2026-12-01T02:00:00Z');
/** 06:00 in New York: nobody may be called. */
const NIGHT = new Date('2026-11-30T11:00:00Z');
/** 15:00 in New York, 12:00 in Los Angeles, 10:00 in Honolulu: every US zone is open. */
const EVERYWHERE_OPEN = new Date('2026-11-30T20:00:00Z');

/**
 * The calling flow's guarantees, driven through the services and the dialer worker's own job
 * processor: the window in each voter's zone, fifty volunteers asking at once without a voter
 * handed out twice, and call jobs run twice with one effect.
 */
describe('calling flow: calling windows, concurrent volunteers, call jobs run twice', () => {
  let context: TestContext;
  let worker: INestApplicationContext;
  let simulator: CarrierSimulator;
  let sql: DataSource;
  let phoneBank: PhoneBankService;
  let campaignId: string;
  let allianceId: string;
  const volunteers: VolunteerActor[] = [];

  beforeAll(async () => {
    ({ simulator, context } = await startCarrierContext({
      simulator: {
        callsPerSecond: 100,
        scenario: {
          weights: { human: 1, machine: 0, busy: 0, 'no-answer': 0, failed: 0 },
          timings: { connectMs: 5, ringMs: { human: 10 }, talkMs: { human: 20 } },
        },
      },
      // Callbacks go nowhere here: this file applies events itself, from rows it writes.
      environment: { PUBLIC_BASE_URL: 'http://127.0.0.1:9' },
    }));
    const owner = await createOwnerApplication(context);
    worker = await createWorkerContext(
      DialerWorkerModule.forRoot({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() }),
    );
    sql = worker.get(DataSource);
    phoneBank = worker.get(PhoneBankService);
    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    allianceId = alliance.id;
    const anchor = await identity.anchor(alliance.id);
    const member = await identity.member(alliance.id, anchor.id);
    await importSyntheticVoters(owner, context, { allianceId, rows: 1_500, seed: 23 });
    await owner.close();
    [{ id: campaignId }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, caller_ids, script, survey_questions)
       VALUES ($1, 'flow', 'Flow', $2, 'active', '{+14155550123}', $3, $4) RETURNING id`,
      [allianceId, member.id, JSON.stringify(DEFAULT_CALL_SCRIPT), JSON.stringify(DEFAULT_SURVEY_QUESTIONS)],
    );
    await assignEveryVoterAsTurf(sql, { allianceId, anchorId: anchor.id, memberId: member.id, campaignId });
    await worker.get(CallListService).refresh(allianceId, campaignId);
    // Two zones three hours apart, and a few voters whose zone is unknown.
    await sql.query(
      `UPDATE campaign_contact SET time_zone = CASE WHEN id % 10 = 0 THEN NULL WHEN id % 2 = 0 THEN 'America/New_York' ELSE 'America/Los_Angeles' END WHERE campaign_id = $1`,
      [campaignId],
    );
    for (let index = 0; index < VOLUNTEERS; index += 1) {
      const user = await identity.user();
      await identity.membership(user.id, allianceId, member.id, MembershipRole.Volunteer);
      const scope = { kind: 'organizations' as const, allianceId, organizationIds: [member.id], regionCounties: [] };
      volunteers.push({
        userId: user.id,
        allianceId,
        allianceWide: false,
        actingOrganizations: [{ id: member.id, memberIds: [] }],
        rowScope: scope,
        visibility: scope,
        displayName: `Volunteer ${index}`,
      });
    }
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await simulator?.close();
    await context?.dispose();
  });

  async function zoneOfCard(sessionId: string, now: Date): Promise<string | null | 'none'> {
    const next = await phoneBank.next(volunteers[0], sessionId, now);
    if (next.kind === 'none') return 'none';
    const [{ zone }] = await sql.query(`SELECT time_zone AS zone FROM campaign_contact WHERE lease_id = $1`, [next.card.leaseId]);
    await phoneBank.skip(volunteers[0], sessionId, next.card.leaseId);
    return zone;
  }

  it('should hand out only voters whose own zone is inside the window, and unknown zones only when every zone is', async () => {
    const session = await phoneBank.startSession(volunteers[0], campaignId);
    const morning = new Set<string | null | 'none'>();
    const evening = new Set<string | null | 'none'>();
    for (let round = 0; round < 12; round += 1) {
      morning.add(await zoneOfCard(session.id, MORNING_EASTERN));
      evening.add(await zoneOfCard(session.id, EVENING_PACIFIC));
    }
    expect([...morning]).toEqual(['America/New_York']);
    expect([...evening]).toEqual(['America/Los_Angeles']);
    const night = await phoneBank.next(volunteers[0], session.id, NIGHT);
    expect(night).toMatchObject({ kind: 'none', reason: 'outside_calling_window' });
    // Only Guam and Saipan are in their window: voters remain, none of them where it is daytime.
    const onlyGuamOpen = await phoneBank.next(volunteers[0], session.id, new Date('2026-11-30T08:00:00Z'));
    expect(onlyGuamOpen).toMatchObject({ kind: 'none', reason: 'outside_calling_window' });
    // A voter abroad (a zone outside the ZIP table) is called in their own daytime: 15:00Z is midnight in Tokyo, 20:00Z is 05:00.
    const [{ id: abroad }] = await sql
      .query(
        `UPDATE campaign_contact SET time_zone = 'Asia/Tokyo', next_attempt_at = now() - interval '2 days' WHERE id = (SELECT min(id) FROM campaign_contact WHERE campaign_id = $1 AND status = 'open') RETURNING id::text`,
        [campaignId],
      )
      .then((result) => result[0] as { id: string }[]);
    const tokyoMorning = await phoneBank.next(volunteers[0], session.id, new Date('2026-11-30T01:00:00Z'));
    expect(
      tokyoMorning.kind === 'card' ? (await sql.query(`SELECT id::text FROM campaign_contact WHERE lease_id = $1`, [tokyoMorning.card.leaseId]))[0].id : null,
    ).toBe(abroad);
    if (tokyoMorning.kind === 'card') await phoneBank.skip(volunteers[0], session.id, tokyoMorning.card.leaseId);
    expect(await zoneOfCard(session.id, MORNING_EASTERN)).toBe('America/New_York');
    await sql.query(`UPDATE campaign_contact SET time_zone = 'America/New_York' WHERE id = $1`, [abroad]);
    // With every zone open the unknown-zone voters come up too (they are one in ten of the list).
    const anytime = new Set<string | null | 'none'>();
    await sql.query(`UPDATE campaign_contact SET next_attempt_at = now() - interval '1 day' WHERE campaign_id = $1 AND time_zone IS NULL`, [campaignId]);
    for (let round = 0; round < 5; round += 1) anytime.add(await zoneOfCard(session.id, EVERYWHERE_OPEN));
    expect(anytime.has(null)).toBe(true);
    await phoneBank.end(volunteers[0], session.id);
  });

  it('should never hand one voter to two of fifty volunteers asking at once, round after round', async () => {
    const sessions = await Promise.all(volunteers.map((volunteer) => phoneBank.startSession(volunteer, campaignId)));
    const everVoter = new Map<string, string>();
    for (let round = 0; round < 4; round += 1) {
      const cards = await Promise.all(
        volunteers.map(async (volunteer, index) => {
          const next = await phoneBank.next(volunteer, sessions[index].id, EVERYWHERE_OPEN);
          if (next.kind !== 'card') throw new Error(`volunteer ${index} got no voter: ${next.message}`);
          return next.card;
        }),
      );
      const voters = cards.map((card) => card.voter.id);
      expect(new Set(voters).size).toBe(VOLUNTEERS);
      // Asking again before a disposition gives each the same voter back.
      const again = await Promise.all(volunteers.map((volunteer, index) => phoneBank.next(volunteer, sessions[index].id, EVERYWHERE_OPEN)));
      expect(again.map((next) => (next.kind === 'card' ? next.card.leaseId : null))).toEqual(cards.map((card) => card.leaseId));
      await Promise.all(
        volunteers.map((volunteer, index) =>
          phoneBank.saveDisposition(
            volunteer,
            sessions[index].id,
            cards[index].leaseId,
            { disposition: 'contacted', answers: [], callBackAt: null },
            EVERYWHERE_OPEN,
          ),
        ),
      );
      for (const [index, voter] of voters.entries()) {
        expect({ voter, earlier: everVoter.get(voter) }).toEqual({ voter, earlier: undefined });
        everVoter.set(voter, sessions[index].id);
      }
    }
    const [{ attempts, voters }] = await sql.query(
      `SELECT count(*)::int AS attempts, count(DISTINCT voter_id)::int AS voters FROM contact_attempt WHERE campaign_id = $1 AND disposition = 'contacted'`,
      [campaignId],
    );
    expect({ attempts, voters }).toEqual({ attempts: 4 * VOLUNTEERS, voters: 4 * VOLUNTEERS });
    await Promise.all(volunteers.map((volunteer, index) => phoneBank.end(volunteer, sessions[index].id)));
  });

  it('should place a call once and apply its events once when each job runs twice', async () => {
    const processor = worker.get(DialerQueueProcessor);
    const runTwice = async (name: JobName, payload: Record<string, string>): Promise<JobResult[]> => {
      const job = { id: `${name}-twice`, name, attemptsMade: 0, data: { payload, correlationId: 'corr-twice' } } as unknown as Job<JobEnvelope>;
      return [await processor.process(job), await processor.process(job)];
    };
    const session = await phoneBank.startSession(volunteers[1], campaignId);
    const next = await phoneBank.next(volunteers[1], session.id, EVERYWHERE_OPEN);
    if (next.kind !== 'card') throw new Error('no voter');
    // placeCall checks the window against the real clock; the row is what matters here, so write it as placeCall would.
    const [call] = (await sql.query(
      `INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, calling_session_id, lease_id, to_phone, from_phone, provider)
       SELECT alliance_id, campaign_id, organization_id, id, $2, lease_id, phone, '+14155550123', 'carrier-sim' FROM campaign_contact WHERE lease_id = $1 RETURNING id`,
      [next.card.leaseId, session.id],
    )) as CallRecord[];
    expect(await runTwice(JobName.PlaceCall, { callId: call.id })).toEqual([JobResult.Success, JobResult.Skipped]);
    const [placed] = await sql.query(`SELECT provider_call_sid AS sid, status FROM call WHERE id = $1`, [call.id]);
    expect(placed.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(simulator.calls()).toHaveLength(1);
    // Hanging up twice ends the one call and asks for nothing else. Once answered: hanging up a call still
    // queued or ringing cancels it instead, which a loaded machine would otherwise reach by chance.
    await waitUntil(
      async () => (['in-progress', 'completed'].includes(String(simulator.calls()[0].status)) ? true : undefined),
      'the simulated call to be answered',
    );
    expect(await runTwice(JobName.EndCall, { callId: call.id })).not.toContain(JobResult.Failed);
    await waitUntil(async () => (simulator.calls()[0].status === 'completed' ? true : undefined), 'the simulated call to end');
    expect(simulator.calls()).toHaveLength(1);
    // The carrier's events, stored as the webhook stores them, each applied twice.
    const events = [
      { CallStatus: 'completed', SequenceNumber: '3', CallDuration: '12', AnsweredBy: 'human' },
      { CallStatus: 'ringing', SequenceNumber: '1' },
      { CallStatus: 'in-progress', SequenceNumber: '2', AnsweredBy: 'human' },
    ];
    for (const event of events) {
      const [{ id }] = await sql.query(
        `INSERT INTO provider_event (provider, kind, provider_id, event_key, subject_id, status, payload) VALUES ('carrier-sim', 'call_status', $1, $2, $3, $4, $5) RETURNING id::text`,
        [placed.sid, `seq:${event.SequenceNumber}`, call.id, event.CallStatus, JSON.stringify({ CallSid: placed.sid, ...event })],
      );
      const results = await runTwice(JobName.CallEvent, { eventId: id });
      expect(results[1]).toBe(JobResult.Skipped);
    }
    await waitUntil(
      async () => ((await sql.query(`SELECT 1 FROM provider_event WHERE subject_id = $1 AND applied_at IS NULL`, [call.id])).length === 0 ? true : undefined),
      'events applied',
    );
    const [final] = await sql.query(
      `SELECT status, answered_by AS "answeredBy", duration_seconds AS "durationSeconds", answered_at IS NOT NULL AS answered FROM call WHERE id = $1`,
      [call.id],
    );
    expect(final).toEqual({ status: 'completed', answeredBy: 'human', durationSeconds: 12, answered: true });
    // A call left mid-request by a dead worker is failed, never asked for again.
    await sql.query(`UPDATE call SET status = 'requesting', provider_call_sid = NULL, ended_at = NULL WHERE id = $1`, [call.id]);
    expect(await runTwice(JobName.PlaceCall, { callId: call.id })).toEqual([JobResult.Failed, JobResult.Skipped]);
    expect(simulator.calls()).toHaveLength(1);
    // Twenty saves of that call's disposition at once (a volunteer hammering Enter): one attempt, every answer the same.
    const saves = await Promise.all(
      Array.from({ length: 20 }, () =>
        phoneBank.saveDisposition(volunteers[1], session.id, next.card.leaseId, { disposition: 'contacted', answers: [], callBackAt: null }, EVERYWHERE_OPEN),
      ),
    );
    expect(new Set(saves.map((saved) => saved.attempt.id)).size).toBe(1);
    expect(saves.filter((saved) => !saved.repeated)).toHaveLength(1);
    expect(await sql.query(`SELECT call_id AS "callId" FROM contact_attempt WHERE lease_id = $1`, [next.card.leaseId])).toEqual([{ callId: call.id }]);
  });
});
