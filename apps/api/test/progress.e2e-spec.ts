import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { ContactsModule, ProgressRollupService } from '@app/contacts';
import { MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs } from '@app/testing';
import { assignEveryVoterAsTurf } from '../../../test/phone-bank-stack.util';
import { type ApiUnderTest, closeApiUnderTest, startApiUnderTest } from './api-under-test';

const SURVEY = [
  { key: 'reform', prompt: 'How open are you to reform?', kind: 'scale', choices: [] },
  { key: 'open_to_reform', prompt: 'Open to reform?', kind: 'single_choice', choices: [{ value: 'yes' }, { value: 'no' }] },
];
/** 20:00 UTC is noon in Los Angeles, the alliance's reporting zone: no attempt straddles a day. */
const DAY_1 = '2026-11-02T20:00:00Z';
const DAY_2 = '2026-11-03T20:00:00Z';

interface Planned {
  readonly org: 'anchor1' | 'member1' | 'member2';
  readonly voter: number;
  readonly disposition: string;
  readonly at: string;
  readonly reply?: boolean;
  readonly answers?: ReadonlyArray<[string, string]>;
}

/** The attempts, worked out by hand: who reached whom is in the expectations below. */
const PLAN: Planned[] = [
  // member 1 calls voters 0–19: 0–9 answer (0–3 open to reform, 4 not), 10–19 are not home, then 10–12 answer on day 2
  ...Array.from({ length: 10 }, (_, voter): Planned => ({
    org: 'member1',
    voter,
    disposition: 'contacted',
    at: DAY_1,
    answers: voter <= 3 ? [['reform', '5']] : voter === 4 ? [['reform', '2']] : [],
  })),
  ...Array.from({ length: 10 }, (_, index): Planned => ({ org: 'member1', voter: 10 + index, disposition: 'not_home', at: DAY_1 })),
  ...[10, 11, 12].map((voter): Planned => ({ org: 'member1', voter, disposition: 'contacted', at: DAY_2 })),
  // member 2 texts voters 20–29 (its own list): 20–24 reply; and 5–9, already reached by member 1, reply too
  ...Array.from({ length: 10 }, (_, index): Planned => ({
    org: 'member2',
    voter: 20 + index,
    disposition: index < 5 ? 'replied' : 'texted',
    at: DAY_2,
    reply: index < 5,
  })),
  ...[5, 6, 7, 8, 9].map((voter): Planned => ({ org: 'member2', voter, disposition: 'replied', at: DAY_2, reply: true, answers: [['open_to_reform', 'yes']] })),
  // anchor 1 calls 30–32 (answered) and voter 0 (refused: a conversation, already reached by member 1)
  ...[30, 31, 32].map((voter): Planned => ({ org: 'anchor1', voter, disposition: 'contacted', at: DAY_2 })),
  { org: 'anchor1', voter: 0, disposition: 'refused', at: DAY_2 },
];

/**
 * Progress to target through the api, against real PostgreSQL and Redis: the figures of each
 * scope from the rollups (unique voters across organizations and channels, exclusive reach,
 * rates, burn-up), who may see which scope, targets (audited, bad input refused and nothing
 * changed), and both exports (formula-escaped, audited, limited to the reader's scope).
 */
describe('progress to target (api)', () => {
  let parts: Partial<ApiUnderTest> = {};
  let rollupApp: INestApplicationContext;
  let sql: DataSource;
  let alliance: { id: string; slug: string };
  const orgs = {} as Record<Planned['org'] | 'anchor2', { id: string; slug: string }>;
  let voters: { id: string; sourceVoterId: string }[];
  let admin: SignedInAgent;
  let dataLead: SignedInAgent;
  let anchorLead: SignedInAgent;
  let memberLead: SignedInAgent;
  let volunteer: SignedInAgent;
  let outsider: SignedInAgent;

  const get = (as: SignedInAgent, path: string, query: Record<string, string | number> = {}) =>
    as.agent.get(`/api/progress/${path}`).query({ alliance: alliance.slug, ...query });
  const put = (as: SignedInAgent, body: Record<string, unknown>) =>
    as.agent
      .put('/api/progress/targets')
      .set('X-CSRF-Token', as.csrfToken)
      .send({ alliance: alliance.slug, ...body });
  const auditActions = async (action: string) =>
    (await sql.query(`SELECT details FROM audit_event WHERE alliance_id = $1 AND action = $2 ORDER BY created_at, id`, [alliance.id, action])) as {
      details: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    parts = await startApiUnderTest();
    sql = parts.owner!.get(DataSource);
    const identity = new IdentityFactory(sql);
    alliance = await identity.alliance({ name: 'Progress Alliance' });
    await importSyntheticVoters(parts.owner!, parts.context!, { allianceId: alliance.id, rows: 120, seed: 91 });
    voters = await sql.query(`SELECT id::text, source_voter_id AS "sourceVoterId" FROM voter WHERE alliance_id = $1 ORDER BY id LIMIT 40`, [alliance.id]);
    orgs.anchor1 = await identity.anchor(alliance.id, { name: 'Anchor One' });
    // A name a spreadsheet would run: the exports must escape it.
    orgs.member1 = await identity.member(alliance.id, orgs.anchor1.id, { name: '=HYPERLINK("http://evil.test","Member One")' });
    orgs.anchor2 = await identity.anchor(alliance.id, { name: 'Anchor Two' });
    orgs.member2 = await identity.member(alliance.id, orgs.anchor2.id, { name: 'Member Two' });

    const campaigns = new Map<Planned['org'], { id: string; channel: 'phone' | 'sms' }>();
    for (const [org, channel] of [
      ['anchor1', 'phone'],
      ['member1', 'phone'],
      ['member2', 'sms'],
    ] as const) {
      const [{ id }] = await sql.query(
        `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, channel, sending_numbers, survey_questions)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7) RETURNING id`,
        [alliance.id, `${org}-calls`, `${org} campaign`, orgs[org].id, channel, channel === 'sms' ? ['+14155550111'] : [], JSON.stringify(SURVEY)],
      );
      campaigns.set(org, { id, channel });
    }
    // Member 1 works the voters its turf holds: row security shows it those voters, and so their ids in its export.
    await assignEveryVoterAsTurf(sql, {
      allianceId: alliance.id,
      anchorId: orgs.anchor1.id,
      memberId: orgs.member1.id,
      campaignId: campaigns.get('member1')!.id,
    });
    for (const attempt of PLAN) {
      const campaign = campaigns.get(attempt.org)!;
      const voterId = voters[attempt.voter].id;
      const phone = `+1415777${String(attempt.voter).padStart(4, '0')}`;
      const lease = randomUUID();
      const [{ id: contactId }] = await sql.query(
        `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids)
         VALUES ($1, $2, $3, $4, $5, ARRAY[$5::bigint]) ON CONFLICT (campaign_id, phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id`,
        [alliance.id, campaign.id, orgs[attempt.org].id, phone, voterId],
      );
      if (campaign.channel === 'sms') {
        await sql.query(
          `INSERT INTO conversation (id, alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, status, closed_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, '+14155550111', 'closed', 'texter')`,
          [lease, alliance.id, campaign.id, orgs[attempt.org].id, contactId, voterId, phone],
        );
        if (attempt.reply === true) {
          await sql.query(
            `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body, status, provider_message_sid)
             VALUES ($1, $2, $3, $4, 'inbound', 'inbound', $5, $6, '+14155550111', 'hello', 'received', $5)`,
            [alliance.id, campaign.id, orgs[attempt.org].id, lease, `SM${lease.replace(/-/g, '')}`, phone],
          );
        }
      }
      const [{ id: attemptId }] = await sql.query(
        `INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition,
                                      script_version, started_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id`,
        [alliance.id, campaign.id, orgs[attempt.org].id, contactId, voterId, phone, campaign.channel, lease, attempt.disposition, attempt.at],
      );
      for (const [key, answer] of attempt.answers ?? []) {
        await sql.query(
          `INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [alliance.id, campaign.id, orgs[attempt.org].id, attemptId, voterId, key, answer],
        );
      }
    }
    // Member 1's volunteers: two sessions, 1 h and 30 min, the first with a 10-minute pause: 80 minutes on the phones.
    const sessionUser = await identity.user();
    await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, status, started_at, ended_at, paused_seconds)
       VALUES ($1, $2, $3, $4, 'ended', now() - interval '5 hours', now() - interval '4 hours', 600),
              ($1, $2, $3, $4, 'ended', now() - interval '3 hours', now() - interval '150 minutes', 0)`,
      [alliance.id, campaigns.get('member1')!.id, orgs.member1.id, sessionUser.id],
    );

    rollupApp = await NestFactory.createApplicationContext(
      {
        module: class ProgressRollupTestModule {},
        imports: [
          CoreModule.forRoot({
            config: parts.context!.config,
            endpoints: parts.context!.endpoints,
            serviceName: 'progress-test',
            logDestination: new RecordingLogDestination(),
          }),
          ContactsModule,
        ],
      },
      { logger: false },
    );
    await rollupApp.get(ProgressRollupService).run();

    const server = parts.app!.getHttpServer();
    admin = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: null, role: MembershipRole.AllianceAdmin }]);
    dataLead = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: null, role: MembershipRole.DataLead }]);
    anchorLead = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: orgs.anchor1.id, role: MembershipRole.AnchorLead }]);
    memberLead = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: orgs.member1.id, role: MembershipRole.OrgLead }]);
    volunteer = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: orgs.member1.id, role: MembershipRole.Volunteer }]);
    const otherAlliance = await identity.alliance();
    outsider = await signInAs(server, sql, [{ allianceId: otherAlliance.id, organizationId: null, role: MembershipRole.AllianceAdmin }]);
  }, 180_000);

  afterAll(async () => {
    await rollupApp?.close();
    await closeApiUnderTest(parts);
  });

  it("should give the alliance's exact figures: unique voters across organizations and channels, conversations, open to reform, burn-up", async () => {
    const response = await get(dataLead, 'summary');
    expect(response.status).toBe(200);
    const { figures, burnUp, target, scope, queuedAttempts } = response.body;
    expect(scope).toMatchObject({ kind: 'alliance', id: alliance.id, reference: 'alliance', name: 'Progress Alliance' });
    expect(queuedAttempts).toBe(0);
    // reached: 0–12 and 30–32 by phone, 20–24 by text (5–9 by both): 21 voters; 23 + 15 + 4 attempts of 33 voters
    expect(figures).toMatchObject({ attempts: 42, conversations: 27, votersAttempted: 33, votersReached: 21, openToReform: 9 });
    expect(figures.contactRate).toBeCloseTo(27 / 42, 10);
    // Day 1: 0–9 reached; day 2: 10–12, 20–24, 30–32
    expect(burnUp.slice(0, 2)).toEqual([
      { day: '2026-11-02', newlyReached: 10, reached: 10 },
      { day: '2026-11-03', newlyReached: 11, reached: 21 },
    ]);
    expect(burnUp.at(-1).reached).toBe(21);
    expect(target).toMatchObject({ source: 'alliance_goal' });
  });

  it('should break figures down by organization with shares, exclusive reach and conversations per volunteer hour', async () => {
    const response = await get(admin, 'breakdown', { dimension: 'organization' });
    expect(response.status).toBe(200);
    const rows = new Map<string, Record<string, unknown>>(response.body.rows.map((row: { key: string }) => [row.key, row]));
    expect(rows.size).toBe(4);
    // member 1 reached 0–12 (13); 5–9 were reached by member 2 too, 0 by anchor 1: 7 its alone
    expect(rows.get(orgs.member1.id)).toMatchObject({
      votersReached: 13,
      exclusiveReached: 7,
      attempts: 23,
      conversations: 13,
      drillScope: `organization:${orgs.member1.id}`,
    });
    expect(rows.get(orgs.member1.id)!.share).toBeCloseTo(13 / 21, 10);
    expect(rows.get(orgs.member1.id)!.volunteerHours).toBeCloseTo(80 / 60, 3);
    expect(rows.get(orgs.member1.id)!.conversationsPerVolunteerHour).toBeCloseTo(13 / (80 / 60), 3);
    expect(rows.get(orgs.member2.id)).toMatchObject({
      votersReached: 10,
      exclusiveReached: 5,
      attempts: 15,
      conversations: 10,
      volunteerHours: 0,
      conversationsPerVolunteerHour: null,
    });
    expect(rows.get(orgs.anchor1.id)).toMatchObject({ votersReached: 4, exclusiveReached: 3 });
    expect(rows.get(orgs.anchor2.id)).toMatchObject({ votersReached: 0, attempts: 0, share: 0 });

    const regions = await get(admin, 'breakdown', { dimension: 'region' });
    expect(regions.status).toBe(200);
    expect(regions.body.rows.map((row: { key: string; votersReached: number }) => [row.key, row.votersReached])).toEqual([
      [orgs.anchor1.id, 16],
      [orgs.anchor2.id, 10],
    ]);
    const channels = await get(admin, 'breakdown', { dimension: 'channel' });
    expect(channels.body.rows.map((row: { key: string; votersReached: number; label: string }) => [row.key, row.label, row.votersReached])).toEqual([
      ['phone', 'Phone', 16],
      ['sms', 'Text', 10],
    ]);
    const days = await get(admin, 'breakdown', { dimension: 'day' });
    expect(days.body.rows.map((row: { key: string; attempts: number }) => [row.key, row.attempts])).toEqual([
      ['2026-11-02', 20],
      ['2026-11-03', 22],
    ]);
  });

  it('should show a member only its own figures, an anchor its region and members, and a volunteer or another alliance nothing', async () => {
    const memberScopes = await get(memberLead, 'scopes');
    expect(memberScopes.body.map((scope: { reference: string }) => scope.reference)).toEqual([`organization:${orgs.member1.id}`]);
    const own = await get(memberLead, 'summary');
    expect(own.body.scope.reference).toBe(`organization:${orgs.member1.id}`);
    expect(own.body.figures).toMatchObject({ votersReached: 13, attempts: 23 });
    expect(own.body.figures.conversationsPerVolunteerHour).toBeCloseTo(13 / (80 / 60), 3);
    for (const scope of ['alliance', `organization:${orgs.member2.id}`, `region:${orgs.anchor1.id}`, `organization:${randomUUID()}`]) {
      const refused = await get(memberLead, 'summary', { scope });
      expect({ scope, status: refused.status, code: refused.body.code }).toEqual({ scope, status: 403, code: 'forbidden' });
    }
    const memberRows = await get(memberLead, 'breakdown', { dimension: 'organization' });
    expect(memberRows.body.rows.map((row: { key: string }) => row.key)).toEqual([orgs.member1.id]);

    const anchorScopes = await get(anchorLead, 'scopes');
    expect(anchorScopes.body.map((scope: { reference: string }) => scope.reference)).toEqual([
      `region:${orgs.anchor1.id}`,
      `organization:${orgs.anchor1.id}`,
      `organization:${orgs.member1.id}`,
    ]);
    const region = await get(anchorLead, 'breakdown', { dimension: 'organization' });
    expect(region.body.scope.reference).toBe(`region:${orgs.anchor1.id}`);
    expect(region.body.rows.map((row: { key: string; votersReached: number }) => [row.key, row.votersReached])).toEqual([
      [orgs.member1.id, 13],
      [orgs.anchor1.id, 4],
    ]);
    expect((await get(anchorLead, 'summary', { scope: `organization:${orgs.member2.id}` })).status).toBe(403);
    expect((await get(anchorLead, 'summary', { scope: 'alliance' })).status).toBe(403);

    expect((await get(volunteer, 'summary')).status).toBe(403);
    expect((await get(outsider, 'summary')).status).toBe(404);
    const bad = await get(admin, 'summary', { scope: 'county:Alameda' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('scope');
    const badDimension = await get(admin, 'breakdown', { dimension: 'zip' });
    expect(badDimension.status).toBe(400);
    expect(badDimension.body.message).toContain('dimension');
  });

  it('should set targets (alliance admins and data leads, audited with what they replaced), refuse bad ones and change nothing then', async () => {
    const before = await sql.query(`SELECT count(*)::int AS n FROM progress_target WHERE alliance_id = $1`, [alliance.id]);
    for (const [body, field] of [
      [{ organization: orgs.member1.slug, voters: 0, targetDate: '2026-12-31' }, 'voters'],
      [{ organization: orgs.member1.slug, voters: 10, targetDate: '2026-02-30' }, 'targetDate'],
      [{ organization: 'no-such-org', voters: 10, targetDate: '2026-12-31' }, 'organization'],
      [{ county: 'Atlantis', voters: 10, targetDate: '2026-12-31' }, 'county'],
      [{ organization: orgs.member1.slug, county: 'Atlantis', voters: 10, targetDate: '2026-12-31' }, 'county'],
    ] as const) {
      const refused = await put(dataLead, body);
      expect({ field, status: refused.status }).toEqual({ field, status: 400 });
      expect(refused.body.message).toContain(field);
    }
    expect(await sql.query(`SELECT count(*)::int AS n FROM progress_target WHERE alliance_id = $1`, [alliance.id])).toEqual(before);
    expect((await put(memberLead, { organization: orgs.member1.slug, voters: 10, targetDate: '2026-12-31' })).status).toBe(403);
    expect((await put(anchorLead, { organization: orgs.member1.slug, voters: 10, targetDate: '2026-12-31' })).status).toBe(403);

    expect((await put(dataLead, { organization: orgs.member1.slug, voters: 20, targetDate: '2026-12-31' })).status).toBe(200);
    const set = await put(admin, { organization: orgs.member1.slug, voters: 26, targetDate: '2026-12-31' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ organizationId: orgs.member1.id, county: null, voters: 26, targetDate: '2026-12-31' });
    expect((await put(admin, { voters: 42, targetDate: '2026-12-31' })).status).toBe(200);
    const audits = await auditActions('progress.target_set');
    expect(audits.map((event) => event.details)).toEqual([
      { organizationId: orgs.member1.id, county: null, voters: 20, targetDate: '2026-12-31', previous: null },
      { organizationId: orgs.member1.id, county: null, voters: 26, targetDate: '2026-12-31', previous: { voters: 20, targetDate: '2026-12-31' } },
      { organizationId: null, county: null, voters: 42, targetDate: '2026-12-31', previous: null },
    ]);

    const member = await get(memberLead, 'summary');
    expect(member.body.target).toEqual({ voters: 26, targetDate: '2026-12-31', source: 'target' });
    expect(member.body.projection).toMatchObject({ reached: 13, target: 26 });
    const allianceSummary = await get(admin, 'summary');
    expect(allianceSummary.body.target).toEqual({ voters: 42, targetDate: '2026-12-31', source: 'target' });
    const rows = await get(admin, 'breakdown', { dimension: 'organization' });
    expect(rows.body.rows.find((row: { key: string }) => row.key === orgs.member1.id).target).toEqual({ voters: 26, targetDate: '2026-12-31' });

    const removed = await admin.agent
      .delete('/api/progress/targets')
      .set('X-CSRF-Token', admin.csrfToken)
      .query({ alliance: alliance.slug, organization: orgs.member1.slug });
    expect(removed.status).toBe(204);
    expect((await get(memberLead, 'summary')).body.target).toBeNull();
    expect(await auditActions('progress.target_removed')).toHaveLength(1);
  });

  it('should export a dashboard table as CSV with formulas escaped, audited', async () => {
    const response = await get(admin, 'export', { table: 'organization' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const records: Record<string, string>[] = parse(response.text, { columns: true });
    expect(records).toHaveLength(4);
    const member1 = records.find((record) => record.key === orgs.member1.id)!;
    expect(member1.label).toBe(`'=HYPERLINK("http://evil.test","Member One")`);
    expect(member1).toMatchObject({ voters_reached: '13', exclusive_reached: '7', attempts: '23' });
    const burnUpResponse = await get(admin, 'export', { table: 'burn-up' });
    expect({ status: burnUpResponse.status, type: burnUpResponse.headers['content-type'] }).toEqual({ status: 200, type: 'text/csv; charset=utf-8' });
    const burnUp: Record<string, string>[] = parse(burnUpResponse.text, { columns: true });
    expect(burnUp[1]).toMatchObject({ day: '2026-11-03', reached: '21' });
    expect((await get(memberLead, 'export', { table: 'organization', scope: 'alliance' })).status).toBe(403);
    expect((await auditActions('progress.exported')).map((event) => event.details)).toEqual([
      { scope: 'alliance', table: 'organization', rows: 4 },
      { scope: 'alliance', table: 'burn-up', rows: burnUp.length },
    ]);
  });

  it('should export contact results for VAN and Parsons: one row per answer, result codes, only the reader’s scope, audited', async () => {
    const response = await get(admin, 'contact-results');
    expect(response.status).toBe(200);
    const records: Record<string, string>[] = parse(response.text, { columns: true });
    // 42 attempts, none with more than one answer: a row each
    expect(records).toHaveLength(42);
    expect(Object.keys(records[0])).toEqual([
      'external_voter_id',
      'contact_type',
      'result_code',
      'survey_question',
      'survey_response',
      'date_canvassed',
      'organization',
      'campaign',
    ]);
    const voter0 = records.filter((record) => record.external_voter_id === voters[0].sourceVoterId);
    expect(
      voter0.map((record) => [record.contact_type, record.result_code, record.survey_question, record.survey_response, record.date_canvassed]).sort(),
    ).toEqual([
      ['Phone', 'Canvassed', 'reform', '5', '2026-11-02'],
      ['Phone', 'Refused', '', '', '2026-11-03'],
    ]);
    const texted = records.filter((record) => record.contact_type === 'SMS Text');
    expect(texted).toHaveLength(15);
    expect(new Set(texted.map((record) => record.result_code))).toEqual(new Set(['Canvassed', 'Texted']));
    expect(records.filter((record) => record.organization.startsWith("'=HYPERLINK"))).toHaveLength(23);

    const own: Record<string, string>[] = parse((await get(memberLead, 'contact-results')).text, { columns: true });
    expect(own).toHaveLength(23);
    expect(new Set(own.map((record) => record.campaign))).toEqual(new Set(['member1 campaign']));
    const dayTwo: Record<string, string>[] = parse(
      (await get(admin, 'contact-results', { from: '2026-11-03', to: '2026-11-03', campaign: 'member1-calls' })).text,
      {
        columns: true,
      },
    );
    expect(dayTwo).toHaveLength(3);

    const badCampaign = await get(admin, 'contact-results', { campaign: 'nope' });
    expect(badCampaign.status).toBe(400);
    expect(badCampaign.body.message).toContain('campaign');
    expect((await get(admin, 'contact-results', { from: '2026-11-04', to: '2026-11-03' })).status).toBe(400);
    expect((await get(volunteer, 'contact-results')).status).toBe(403);
    expect((await auditActions('progress.contact_results_exported')).map((event) => event.details)).toEqual([
      { scope: 'alliance', campaign: null, from: null, to: null },
      { scope: 'organization', campaign: null, from: null, to: null },
      { scope: 'alliance', campaign: 'member1-calls', from: '2026-11-03', to: '2026-11-03' },
    ]);
  });

  it('should keep volunteer time exact as sessions end, are corrected or removed: ended sessions rolled up, open ones timed live', async () => {
    const user = await new IdentityFactory(sql).user();
    const member = orgs.member2.id;
    const [{ id: campaignId }] = await sql.query(`SELECT id FROM campaign WHERE organization_id = $1 ORDER BY id LIMIT 1`, [member]);
    const hours = async (): Promise<number> => {
      const response = await get(admin, 'breakdown', { dimension: 'organization' });
      return (response.body.rows as { key: string; volunteerHours: number }[]).find((row) => row.key === member)!.volunteerHours;
    };
    // Open for 30 minutes, paused for the last 5: timed live, 25 minutes.
    const [{ id: session }] = await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, status, started_at, paused_at)
       VALUES ($1, $2, $3, $4, 'paused', now() - interval '30 minutes', now() - interval '5 minutes') RETURNING id`,
      [alliance.id, campaignId, member, user.id],
    );
    expect(await hours()).toBeCloseTo(25 / 60, 4);
    // It ends after 40 minutes with 5 paused (its pause folded in, as the api ends a session): 35 minutes, rolled up from now on.
    await sql.query(
      `UPDATE calling_session SET status = 'ended', started_at = now() - interval '40 minutes', ended_at = now(), paused_seconds = 300, paused_at = NULL WHERE id = $1`,
      [session],
    );
    expect(await hours()).toBeCloseTo(35 / 60, 4);
    // Corrected to 10 paused minutes, written again without a change that counts, and a second session of 20 minutes.
    await sql.query(`UPDATE calling_session SET paused_seconds = 600 WHERE id = $1`, [session]);
    await sql.query(`UPDATE calling_session SET dialer_seen_at = now() WHERE id = $1`, [session]);
    const [{ id: second }] = await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, status, started_at, ended_at)
       VALUES ($1, $2, $3, $4, 'ended', now() - interval '2 hours', now() - interval '100 minutes') RETURNING id`,
      [alliance.id, campaignId, member, user.id],
    );
    expect(await hours()).toBeCloseTo(50 / 60, 4);
    await sql.query(`DELETE FROM calling_session WHERE id = $1`, [second]);
    expect(await hours()).toBeCloseTo(30 / 60, 4);
    // The rollup holds exactly what the ended sessions add up to, for every organization and campaign of the alliance.
    const raw = `SELECT organization_id, campaign_id, sum(GREATEST(0, extract(epoch FROM ended_at - started_at) - paused_seconds)) AS seconds, count(*)::int AS sessions
                   FROM calling_session WHERE alliance_id = $1 AND ended_at IS NOT NULL GROUP BY 1, 2`;
    const rolled = `SELECT organization_id, campaign_id, seconds, sessions FROM progress_volunteer_time WHERE alliance_id = $1 AND sessions > 0`;
    expect(await sql.query(`(${raw} EXCEPT ${rolled}) UNION ALL (${rolled} EXCEPT ${raw})`, [alliance.id])).toEqual([]);
    expect(await sql.query(`SELECT seconds::float8 AS seconds, sessions FROM progress_volunteer_time WHERE organization_id = $1`, [member])).toEqual([
      { seconds: 1800, sessions: 1 },
    ]);
    await sql.query(`DELETE FROM calling_session WHERE id = $1`, [session]);
    expect(await hours()).toBe(0);
  });
});
