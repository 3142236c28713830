import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { MembershipRole } from '@app/identity';
import { IdentityFactory, type SignedInAgent, signInAs } from '@app/testing';
import { type ApiUnderTest, closeApiUnderTest, startApiUnderTest } from './api-under-test';

/** How one seeded call went; times are minutes before now unless said otherwise. */
interface CallFacts {
  readonly organization: 'runner' | 'partner';
  readonly kind?: 'preview' | 'volunteer-initiated' | 'automatic' | 'approved';
  readonly status?: string;
  readonly lineType?: string;
  readonly consent?: boolean;
  readonly localMinute?: number | null;
  readonly answeredBy?: string;
  readonly bridged?: boolean;
  readonly abandoned?: boolean;
  /** Seconds it rang; with `ended`, it ended that long after it started ringing. */
  readonly rangSeconds?: number;
  readonly ended?: boolean;
  readonly endedByUs?: boolean;
  readonly minutesAgo?: number;
  readonly daysAgo?: number;
}

/**
 * The org lead's dialer view of a predictive campaign: the live picture per organization pool, the
 * compliance evidence (JSON and CSV) and who may read them. Calls, sessions and attempts are seeded
 * with SQL as the dialer would have written them; every figure is checked against what was seeded.
 */
describe('dialer dashboard: live status and compliance evidence (api, real PostgreSQL)', () => {
  let api: ApiUnderTest;
  let sql: DataSource;
  let allianceId: string;
  let runnerId: string;
  let partnerId: string;
  let campaignId: string;
  let phones = 0;
  let users = 0;
  const agents = {} as Record<'runnerLead' | 'anchorLead' | 'admin' | 'partnerLead' | 'outsideLead' | 'volunteer' | 'foreignAdmin', SignedInAgent>;
  const FORMULA_NAME = '=HYPERLINK("http://evil.test","Fall")';

  const organizationOf = (facts: { organization: 'runner' | 'partner' }) => (facts.organization === 'runner' ? runnerId : partnerId);

  const contact = async (organizationId: string): Promise<string> => {
    phones += 1;
    const [{ id }] = await sql.query(
      `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, voter_id, household_voter_ids, lease_id)
       VALUES ($1, $2, $3, $4, 'landline', $5, ARRAY[$5::bigint], gen_random_uuid()) RETURNING id`,
      [allianceId, campaignId, organizationId, `+1415558${String(phones).padStart(4, '0')}`, 7000 + phones],
    );
    return id;
  };

  const call = async (facts: CallFacts): Promise<void> => {
    const contactId = await contact(organizationOf(facts));
    const kind = facts.kind ?? 'automatic';
    // The table refuses an automatic dial to a non-consented mobile; evidence from before that rule is simulated by lifting it for one insert.
    const refusedByTheSchema = kind === 'automatic' && (facts.lineType ?? 'landline') !== 'landline' && !facts.consent;
    if (refusedByTheSchema) await sql.query(`ALTER TABLE call DROP CONSTRAINT call_automatic_line_check`);
    try {
      await sql.query(
        `INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, lease_id, to_phone, from_phone, provider, status,
                           dial_kind, line_type, dial_consent, voter_local_minute, answered_by, answered_at, bridged_at, abandoned_at,
                           ringing_at, ended_at, hangup_requested_at, created_at)
         SELECT alliance_id, campaign_id, organization_id, id, lease_id, phone, '+14155550123', 'carrier-sim', $2,
                $3, $4, $5, $6::smallint, $7::text, CASE WHEN $7::text IS NOT NULL THEN placed END, CASE WHEN $8::boolean THEN placed END,
                CASE WHEN $9::boolean THEN placed END, placed, CASE WHEN $11::boolean THEN placed + make_interval(secs => $10) END,
                CASE WHEN $12::boolean THEN placed + make_interval(secs => $10) END, placed
           FROM campaign_contact, LATERAL (SELECT now() - make_interval(days => $13, mins => $14) AS placed) t
          WHERE id = $1`,
        [
          contactId,
          facts.status ?? 'completed',
          kind,
          facts.lineType ?? 'landline',
          facts.consent ?? false,
          facts.localMinute === undefined ? 900 : facts.localMinute,
          facts.answeredBy ?? null,
          facts.bridged ?? false,
          facts.abandoned ?? false,
          facts.rangSeconds ?? 0,
          facts.ended ?? !['ringing', 'in-progress'].includes(facts.status ?? 'completed'),
          facts.endedByUs ?? false,
          facts.daysAgo ?? 0,
          facts.minutesAgo ?? 10,
        ],
      );
    } finally {
      if (refusedByTheSchema) {
        await sql.query(
          `ALTER TABLE call ADD CONSTRAINT call_automatic_line_check CHECK (dial_kind <> 'automatic' OR line_type = 'landline' OR dial_consent) NOT VALID`,
        );
      }
    }
  };

  /** A volunteer's calling session, started `startedMinutesAgo` before now. */
  const session = async (
    organization: 'runner' | 'partner',
    state: {
      status?: 'active' | 'paused' | 'ended';
      dialerState?: string | null;
      startedMinutesAgo: number;
      pausedMinutesAgo?: number;
      endedMinutesAgo?: number;
      pausedSeconds?: number;
    },
  ): Promise<void> => {
    users += 1;
    const [{ id: userId }] = await sql.query(`INSERT INTO app_user (email, display_name) VALUES ($1, $1) RETURNING id`, [`caller-${users}@dashboard.test`]);
    await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, status, started_at, paused_at, paused_seconds, ended_at, dialer_state, dialer_state_since)
       VALUES ($1, $2, $3, $4, $5::calling_session_status, now() - make_interval(mins => $6), now() - make_interval(mins => $7::int),
               $8, now() - make_interval(mins => $9::int), $10::text, CASE WHEN $10::text IS NOT NULL THEN now() END)`,
      [
        allianceId,
        campaignId,
        organization === 'runner' ? runnerId : partnerId,
        userId,
        state.status ?? 'active',
        state.startedMinutesAgo,
        state.pausedMinutesAgo ?? null,
        state.pausedSeconds ?? 0,
        state.endedMinutesAgo ?? null,
        state.dialerState ?? null,
      ],
    );
  };

  const attempt = async (organization: 'runner' | 'partner', disposition: string, minutesAgo: number): Promise<void> => {
    const organizationId = organization === 'runner' ? runnerId : partnerId;
    const contactId = await contact(organizationId);
    await sql.query(
      `INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition,
                                    call_back_at, script_version, started_at, created_at)
       SELECT alliance_id, campaign_id, organization_id, id, voter_id, phone, 'phone', gen_random_uuid(), $2,
              CASE WHEN $2 = 'call_back' THEN now() + interval '1 day' END, 1,
              now() - make_interval(mins => $3), now() - make_interval(mins => $3)
         FROM campaign_contact WHERE id = $1`,
      [contactId, disposition, minutesAgo],
    );
  };

  beforeAll(async () => {
    api = await startApiUnderTest();
    sql = api.owner.get(DataSource);
    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    allianceId = alliance.id;
    const anchor = await identity.anchor(allianceId, { name: 'Bay Anchor' });
    const runner = await identity.member(allianceId, anchor.id, { name: 'Oakland Runners' });
    const partner = await identity.member(allianceId, anchor.id, { name: 'Fremont Partners' });
    const otherAnchor = await identity.anchor(allianceId, { name: 'Valley Anchor' });
    const outside = await identity.member(allianceId, otherAnchor.id, { name: 'Fresno Outsiders' });
    runnerId = runner.id;
    partnerId = partner.id;
    const foreign = await identity.alliance();
    [{ id: campaignId }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, dial_mode, caller_ids, identification_message)
       VALUES ($1, 'fall-dialer', $2, $3, 'active', 'predictive', '{+14155550123}', 'This was Oakland Runners, call 415-555-0100') RETURNING id`,
      [allianceId, FORMULA_NAME, runnerId],
    );
    const server = api.app.getHttpServer();
    agents.runnerLead = await signInAs(server, sql, [{ allianceId, organizationId: runnerId, role: MembershipRole.OrgLead }]);
    agents.anchorLead = await signInAs(server, sql, [{ allianceId, organizationId: anchor.id, role: MembershipRole.AnchorLead }]);
    agents.admin = await signInAs(server, sql, [{ allianceId, organizationId: null, role: MembershipRole.AllianceAdmin }]);
    agents.partnerLead = await signInAs(server, sql, [{ allianceId, organizationId: partnerId, role: MembershipRole.OrgLead }]);
    agents.outsideLead = await signInAs(server, sql, [{ allianceId, organizationId: outside.id, role: MembershipRole.OrgLead }]);
    agents.volunteer = await signInAs(server, sql, [{ allianceId, organizationId: runnerId, role: MembershipRole.Volunteer }]);
    agents.foreignAdmin = await signInAs(server, sql, [{ allianceId: foreign.id, organizationId: null, role: MembershipRole.AllianceAdmin }]);

    // The runner's pool. Clean evidence first: nine people bridged, one abandoned, a machine, a full-length no-answer.
    for (let person = 0; person < 9; person += 1) await call({ organization: 'runner', answeredBy: 'human', bridged: true });
    await call({ organization: 'runner', answeredBy: 'human', abandoned: true });
    await call({ organization: 'runner', answeredBy: 'machine_start' });
    await call({ organization: 'runner', status: 'no-answer', rangSeconds: 25 });
    // 31 days ago: outside every window asked for below.
    await call({ organization: 'runner', answeredBy: 'human', abandoned: true, daysAgo: 31 });
    // In flight: two lines ringing for the pacer; a preview call and a person hearing the identification message are not lines.
    await call({ organization: 'runner', status: 'ringing', minutesAgo: 0 });
    await call({ organization: 'runner', status: 'ringing', minutesAgo: 0 });
    await call({ organization: 'runner', kind: 'preview', status: 'ringing', minutesAgo: 0 });
    await call({ organization: 'runner', status: 'in-progress', answeredBy: 'human', abandoned: true, minutesAgo: 0 });
    // Volunteers, each signed in two hours: two ready, one talking, one in wrap-up, one not ready yet, one paused ten minutes ago;
    // and one who left half an hour ago after an hour with ten minutes of pauses (half an hour of it in the last hour, five minutes of pause spread over it).
    await session('runner', { dialerState: 'ready', startedMinutesAgo: 120 });
    await session('runner', { dialerState: 'ready', startedMinutesAgo: 120 });
    await session('runner', { dialerState: 'talking', startedMinutesAgo: 120 });
    await session('runner', { dialerState: 'wrap-up', startedMinutesAgo: 120 });
    await session('runner', { dialerState: null, startedMinutesAgo: 120 });
    await session('runner', { status: 'paused', dialerState: 'ready', startedMinutesAgo: 120, pausedMinutesAgo: 10 });
    await session('runner', { status: 'ended', startedMinutesAgo: 90, endedMinutesAgo: 30, pausedSeconds: 600 });
    for (const disposition of ['contacted', 'contacted', 'contacted', 'refused', 'do_not_call', 'not_home', 'call_back'])
      await attempt('runner', disposition, 20);
    await attempt('runner', 'contacted', 120);

    // The partner's pool: an organization under the same anchor with turf in the runner's campaign.
    for (let person = 0; person < 5; person += 1) await call({ organization: 'partner', answeredBy: 'human', bridged: true });
    await call({ organization: 'partner', status: 'ringing', minutesAgo: 0 });
    await session('partner', { dialerState: 'ready', startedMinutesAgo: 120 });
    await attempt('partner', 'contacted', 5);
    await attempt('partner', 'contacted', 5);
  }, 120_000);

  afterAll(async () => {
    await closeApiUnderTest(api ?? {});
  });

  const live = (agent: SignedInAgent) => agent.agent.get(`/api/campaigns/${campaignId}/dialer/live`);
  const evidence = (agent: SignedInAgent, query: Record<string, string> = {}) => agent.agent.get(`/api/campaigns/${campaignId}/dialer/compliance`).query(query);
  const csv = (agent: SignedInAgent, query: Record<string, string> = {}) => agent.agent.get(`/api/campaigns/${campaignId}/dialer/compliance.csv`).query(query);

  it('should show the runner’s lead their pool live: volunteers by state, lines in flight, the last hour’s rates and conversations per volunteer-hour', async () => {
    const { body } = await live(agents.runnerLead).expect(200);
    expect(body).toMatchObject({ campaignId, dialMode: 'predictive', campaignStatus: 'active' });
    // The campaign's record counts every pool's calls, as the law and the pacer do: 9 + 1 + 1 (runner) + 5 (partner) people, 2 abandoned.
    expect(body.abandonment).toEqual({
      cap: 0.03,
      lastHour: { liveAnswers: 16, abandoned: 2, rate: 2 / 16 },
      thirtyDays: { liveAnswers: 16, abandoned: 2, rate: 2 / 16, ok: false },
    });
    // The partner organization's pool is not the runner lead's to see.
    expect(body.pools.map((pool: { organizationName: string }) => pool.organizationName)).toEqual(['Oakland Runners']);
    const [pool] = body.pools;
    expect(pool.volunteers).toEqual({ ready: 2, talking: 1, wrapUp: 1, paused: 1, signedIn: 1, total: 6 });
    expect(pool.linesInFlight).toBe(2);
    expect(pool.lastHour).toMatchObject({
      // 9 bridged, the abandoned one, the machine, the no-answer, the three ringing lines and the person hearing the message.
      dials: 16,
      settledDials: 13,
      answered: 12,
      liveAnswers: 11,
      answerRate: 12 / 13,
      humanAnswerRate: 11 / 13,
      abandonment: { liveAnswers: 11, abandoned: 2, rate: 2 / 11 },
      // contacted ×3, refused, do not call; not home and call back are not conversations, nor the one two hours ago.
      conversations: 5,
    });
    // 5 × 60 min + 50 min (paused for the last 10) + 30 min less 5 min of spread pauses (the one who left) = 6.25 h.
    expect(pool.lastHour.volunteerHours).toBeCloseTo(6.25, 2);
    expect(pool.lastHour.conversationsPerVolunteerHour).toBeCloseTo(5 / 6.25, 3);
    expect(body.totals).toEqual({ volunteers: pool.volunteers, linesInFlight: pool.linesInFlight, lastHour: pool.lastHour });
  });

  it('should show an anchor lead and an alliance admin every pool they serve, with totals over them', async () => {
    for (const agent of [agents.anchorLead, agents.admin]) {
      const { body } = await live(agent).expect(200);
      expect(body.pools.map((pool: { organizationName: string }) => pool.organizationName)).toEqual(['Fremont Partners', 'Oakland Runners']);
      const partner = body.pools[0];
      expect(partner.volunteers).toEqual({ ready: 1, talking: 0, wrapUp: 0, paused: 0, signedIn: 0, total: 1 });
      expect(partner.linesInFlight).toBe(1);
      expect(partner.lastHour).toMatchObject({ dials: 6, settledDials: 5, answered: 5, liveAnswers: 5, conversations: 2 });
      expect(body.totals.volunteers.total).toBe(7);
      expect(body.totals.linesInFlight).toBe(3);
      expect(body.totals.lastHour).toMatchObject({ dials: 22, settledDials: 18, conversations: 7 });
      expect(body.totals.lastHour.volunteerHours).toBeCloseTo(7.25, 2);
    }
  });

  it('should report the rolling 30 days of compliance evidence, and each must-be-zero check fail on a bad call', async () => {
    const clean = (await evidence(agents.runnerLead).expect(200)).body;
    expect(new Date(clean.to).getTime() - new Date(clean.from).getTime()).toBe(30 * 86_400_000);
    expect(Math.abs(new Date(clean.to).getTime() - Date.now())).toBeLessThan(60_000);
    expect(clean).toMatchObject({
      campaignId,
      dials: 22,
      unknownZoneDials: 0,
      abandonment: { liveAnswers: 16, abandoned: 2, rate: 0.125, cap: 0.03, ok: false },
      checks: { wrongWindowDials: { count: 0, ok: true }, shortRings: { count: 0, ok: true }, automaticMobileDials: { count: 0, ok: true } },
    });

    await call({ organization: 'runner', localMinute: 21 * 60 + 5 });
    expect((await evidence(agents.runnerLead).expect(200)).body.checks).toEqual({
      wrongWindowDials: { count: 1, ok: false },
      shortRings: { count: 0, ok: true },
      automaticMobileDials: { count: 0, ok: true },
    });
    // We hung up after 9 s of ringing. A busy line the carrier ended after 3 s is not a ring we cut short.
    await call({ organization: 'runner', status: 'canceled', rangSeconds: 9, endedByUs: true });
    await call({ organization: 'runner', status: 'busy', rangSeconds: 3 });
    expect((await evidence(agents.runnerLead).expect(200)).body.checks.shortRings).toEqual({ count: 1, ok: false });
    await call({ organization: 'partner', kind: 'automatic', lineType: 'mobile' });
    const dirty = (await evidence(agents.anchorLead).expect(200)).body;
    expect(dirty).toMatchObject({
      dials: 26,
      checks: { wrongWindowDials: { count: 1, ok: false }, shortRings: { count: 1, ok: false }, automaticMobileDials: { count: 1, ok: false } },
    });

    // An explicit window that ends before today's calls: only the one placed 31 days ago.
    const from = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const old = (await evidence(agents.admin, { from, to }).expect(200)).body;
    expect(old).toMatchObject({ from: `${from}T00:00:00.000Z`, to, dials: 1, abandonment: { liveAnswers: 1, abandoned: 1, rate: 1, ok: false } });
  });

  it('should export the evidence as CSV, a row per day and a total, with formula cells escaped, and audit the export', async () => {
    const json = (await evidence(agents.runnerLead).expect(200)).body;
    const response = await csv(agents.runnerLead).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="dialer-compliance-fall-dialer-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = response.text;
    // The campaign's name would run as a formula in a spreadsheet: it comes with a leading quote.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test"",""Fall"")"`);
    expect(text.split('\n').some((line) => line.startsWith('='))).toBe(false);
    const rows: Array<Record<string, string>> = parse(text, { columns: true });
    expect(Object.keys(rows[0])).toEqual([
      'campaign',
      'period',
      'from',
      'to',
      'dials',
      'live_answers',
      'abandoned',
      'abandon_rate',
      'abandon_rate_ok',
      'wrong_window_dials',
      'wrong_window_ok',
      'short_rings',
      'short_rings_ok',
      'automatic_mobile_dials',
      'automatic_mobile_ok',
      'unknown_zone_dials',
    ]);
    const days = rows.slice(0, -1);
    const total = rows[rows.length - 1];
    // The rolling 30 days touch 31 UTC days (30 unless the window starts at midnight); the first and last are cut to the window.
    expect(days.length).toBeGreaterThanOrEqual(30);
    expect(days.length).toBeLessThanOrEqual(31);
    expect(days.every((day) => /^\d{4}-\d{2}-\d{2}$/.test(day.period))).toBe(true);
    expect(days[0].from).toBe(total.from);
    expect(days[days.length - 1].to).toBe(total.to);
    expect(total).toMatchObject({
      campaign: `'${FORMULA_NAME}`,
      period: 'total',
      dials: String(json.dials),
      live_answers: '16',
      abandoned: '2',
      abandon_rate: '0.1250',
      abandon_rate_ok: 'false',
      wrong_window_dials: '1',
      wrong_window_ok: 'false',
      short_rings: '1',
      short_rings_ok: 'false',
      automatic_mobile_dials: '1',
      automatic_mobile_ok: 'false',
      unknown_zone_dials: '0',
    });
    const sum = (column: string) => days.reduce((count, day) => count + Number(day[column]), 0);
    expect({ dials: sum('dials'), live: sum('live_answers'), abandoned: sum('abandoned'), wrongWindow: sum('wrong_window_dials') }).toEqual({
      dials: json.dials,
      live: 16,
      abandoned: 2,
      wrongWindow: 1,
    });
    const [audit] = await sql.query(
      `SELECT actor_user_id AS "actorUserId", subject_type AS "subjectType", subject_id AS "subjectId", details
         FROM audit_event WHERE alliance_id = $1 AND action = 'dialer_compliance.exported' ORDER BY id DESC LIMIT 1`,
      [allianceId],
    );
    expect(audit).toEqual({
      actorUserId: agents.runnerLead.userId,
      subjectType: 'campaign',
      subjectId: campaignId,
      details: { from: total.from, to: total.to },
    });
  });

  it('should refuse a volunteer, the lead of an organization that only holds turf in the campaign, another anchor’s lead and another alliance', async () => {
    for (const path of ['live', 'compliance', 'compliance.csv']) {
      const url = `/api/campaigns/${campaignId}/dialer/${path}`;
      expect((await agents.volunteer.agent.get(url)).status).toBe(403);
      const partner = await agents.partnerLead.agent.get(url);
      expect({ path, status: partner.status }).toEqual({ path, status: 403 });
      expect(partner.text).not.toContain('Oakland');
      expect((await agents.outsideLead.agent.get(url)).status).toBe(403);
      expect((await agents.foreignAdmin.agent.get(url)).status).toBe(404);
    }
    const [{ exports }] = await sql.query(
      `SELECT count(*)::int AS exports FROM audit_event WHERE action = 'dialer_compliance.exported' AND actor_user_id <> $1`,
      [agents.runnerLead.userId],
    );
    expect(exports).toBe(0);
  });

  it.each([
    [{ from: '2026-13-01' }, 'from'],
    [{ from: '2026-02-30', to: '2026-03-10' }, 'from'],
    [{ to: 'yesterday' }, 'to'],
    [{ from: '2026-11-01T08:00:00' }, 'from'],
    [{ from: '2026-11-20', to: '2026-11-10' }, 'from'],
    [{ from: '2026-01-01', to: '2026-06-01' }, 'from'],
    [{ to: '2026-06-01T10:00:00+25:00' }, 'to'],
  ])('should refuse the window %p with a 400 naming %s, for JSON and CSV alike', async (query, field) => {
    for (const path of ['compliance', 'compliance.csv']) {
      const response = await agents.runnerLead.agent.get(`/api/campaigns/${campaignId}/dialer/${path}`).query(query).expect(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', details: { field } });
      expect(response.body.message).toMatch(new RegExp(`^${field}\\b|\\b${field}\\b`));
    }
  });
});
