import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { createTestContext, type TestContext } from '@app/testing';
import { DialerSnapshotRepository, type PacingPool } from './dialer-snapshot.repository';

const OPEN = () => ({ openTimeZones: ['America/New_York'], unknownZoneOpen: false });

describe('DialerSnapshotRepository (real PostgreSQL)', () => {
  let context: TestContext;
  let sql: Client;
  let manager: EntityManager;
  const repository = new DialerSnapshotRepository();
  let pool: PacingPool;
  let other: PacingPool;
  let alliance: string;
  let contacts = 0;

  const contact = async (target: PacingPool, fields: { lineType?: string | null; consent?: boolean; zone?: string | null; leased?: boolean } = {}) => {
    contacts += 1;
    const [{ id }] = (
      await sql.query<{ id: string }>(
        `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, dial_consent, time_zone, voter_id, household_voter_ids,
                                       lease_id, leased_until, next_attempt_at)
         -- as a lease leaves a row: held until later, and off the list until then
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ARRAY[$8::bigint], CASE WHEN $9 THEN gen_random_uuid() END,
                 CASE WHEN $9 THEN now() + interval '5 minutes' END, CASE WHEN $9 THEN now() + interval '5 minutes' ELSE now() END) RETURNING id`,
        [
          alliance,
          target.campaignId,
          target.organizationId,
          `+1415555${String(contacts).padStart(4, '0')}`,
          fields.lineType === undefined ? 'landline' : fields.lineType,
          fields.consent ?? false,
          fields.zone === undefined ? 'America/New_York' : fields.zone,
          contacts,
          fields.leased ?? false,
        ],
      )
    ).rows;
    return id;
  };
  const call = async (
    target: PacingPool,
    fields: { status: string; answeredBy?: string; ringingSecondsAgo?: number; session?: string; abandoned?: boolean; daysAgo?: number },
  ) => {
    const contactId = await contact(target, { leased: true });
    const [{ id }] = (
      await sql.query<{ id: string }>(
        `INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, calling_session_id, lease_id, to_phone, from_phone, provider,
                           status, answered_by, ringing_at, abandoned_at, created_at, dial_kind, line_type)
         SELECT alliance_id, campaign_id, organization_id, id, $2, lease_id, phone, '+14155550123', 'carrier-sim',
                $3, $4, now() - make_interval(secs => $5), CASE WHEN $6 THEN now() END, now() - make_interval(days => $7), 'automatic', 'landline'
           FROM campaign_contact WHERE id = $1 RETURNING id`,
        [
          contactId,
          fields.session ?? null,
          fields.status,
          fields.answeredBy ?? null,
          fields.ringingSecondsAgo ?? null,
          fields.abandoned ?? false,
          fields.daysAgo ?? 0,
        ],
      )
    ).rows;
    return id;
  };
  const session = async (target: PacingPool, user: string, fields: { status?: string; state?: string | null; secondsAgo?: number }) => {
    const [{ id }] = (
      await sql.query<{ id: string }>(
        `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, status, paused_at, dialer_state, dialer_state_since)
         VALUES ($1, $2, $3, $4, $5::calling_session_status, CASE WHEN $5::calling_session_status = 'paused' THEN now() - make_interval(secs => $7) END, $6::text, CASE WHEN $6::text IS NOT NULL THEN now() - make_interval(secs => $7) END)
         RETURNING id`,
        [alliance, target.campaignId, target.organizationId, user, fields.status ?? 'active', fields.state ?? null, fields.secondsAgo ?? 0],
      )
    ).rows;
    return id;
  };

  beforeAll(async () => {
    context = await createTestContext();
    sql = new Client({ connectionString: context.config.database.url! });
    await sql.connect();
    manager = { query: async (text: string, parameters?: unknown[]) => (await sql.query(text, parameters)).rows } as unknown as EntityManager;
    alliance = (await sql.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ('dialer', 'Dialer') RETURNING id`)).rows[0].id;
    const organization = async (slug: string) =>
      (await sql.query<{ id: string }>(`INSERT INTO organization (alliance_id, kind, slug, name) VALUES ($1, 'anchor', $2, $2) RETURNING id`, [alliance, slug]))
        .rows[0].id;
    const [first, second] = [await organization('first'), await organization('second')];
    const [{ id: campaign }] = (
      await sql.query<{ id: string }>(
        `INSERT INTO campaign (alliance_id, slug, name, status, dial_mode, identification_message, calls_per_second, max_lines_per_volunteer, abandon_rate_target)
         VALUES ($1, 'gotv', 'GOTV', 'active', 'predictive', 'This was the Dialer alliance: 415-555-0100', 5, 6, 0.02) RETURNING id`,
        [alliance],
      )
    ).rows;
    pool = { campaignId: campaign, organizationId: first };
    other = { campaignId: campaign, organizationId: second };
  });

  afterAll(async () => {
    await sql.end();
    await context.dispose();
  });

  it('should read one pool: settings, volunteers by dialer state, unbridged lines by state, capped lead counts and the campaign’s 30-day record', async () => {
    const users = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map(
        async (name) =>
          (await sql.query<{ id: string }>(`INSERT INTO app_user (email, display_name) VALUES ($1, $1) RETURNING id`, [`${name}@dialer.test`])).rows[0].id,
      ),
    );
    const ready = await session(pool, users[0], { state: 'ready', secondsAgo: 12 });
    const talking = await session(pool, users[1], { state: 'talking', secondsAgo: 40 });
    const paused = await session(pool, users[2], { status: 'paused', state: 'wrap-up', secondsAgo: 5 });
    const notInDialer = await session(pool, users[3], {});
    await session(other, users[4], { state: 'ready' });
    const ended = await session(pool, users[5], { state: 'ready' });
    await sql.query(`UPDATE calling_session SET status = 'ended', ended_at = now(), dialer_state = NULL, dialer_state_since = NULL WHERE id = $1`, [ended]);

    const queued = await call(pool, { status: 'queued' });
    const ringing = await call(pool, { status: 'ringing', ringingSecondsAgo: 7 });
    const judging = await call(pool, { status: 'in-progress', ringingSecondsAgo: 12 });
    const waiting = await call(pool, { status: 'in-progress', answeredBy: 'human', ringingSecondsAgo: 13 });
    await call(pool, { status: 'in-progress', answeredBy: 'machine_start', ringingSecondsAgo: 15 });
    await call(pool, { status: 'in-progress', answeredBy: 'human', session: talking });
    await call(pool, { status: 'completed', answeredBy: 'human', abandoned: true, daysAgo: 2 });
    await call(pool, { status: 'completed', answeredBy: 'human', abandoned: true, daysAgo: 40 });
    await call(pool, { status: 'completed', answeredBy: 'human', daysAgo: 29 });
    await call(other, { status: 'ringing', ringingSecondsAgo: 3 });
    await call(other, { status: 'completed', answeredBy: 'human', daysAgo: 1 });

    for (let landline = 0; landline < 4; landline += 1) await contact(pool);
    await contact(pool, { lineType: 'mobile' });
    await contact(pool, { lineType: 'mobile', consent: true });
    await contact(pool, { lineType: null });
    await contact(pool, { lineType: 'landline', zone: 'America/Los_Angeles' });
    await contact(pool, { lineType: 'landline', zone: null });
    await contact(other, {});
    const approvedContact = await contact(pool, { lineType: 'mobile' });
    await sql.query(
      `INSERT INTO dial_approval (alliance_id, campaign_id, organization_id, campaign_contact_id, expires_at) VALUES ($1, $2, $3, $4, now() + interval '1 minute')`,
      [alliance, pool.campaignId, pool.organizationId, approvedContact],
    );

    const started = Date.now();
    const windows: unknown[] = [];
    const picture = await repository.pictureOf(
      manager,
      pool,
      (window) => {
        windows.push(window);
        return OPEN();
      },
      100,
    );
    // The campaign's own window (the default 09:00–20:30) decides which zones are callable.
    expect(windows).toEqual([{ startMinute: 540, endMinute: 1230 }]);
    expect(picture?.callable).toEqual(OPEN());
    expect(picture).not.toBeNull();
    const { settings, volunteers, lines, leads, abandonment30Days } = picture!;
    expect(settings).toMatchObject({
      mode: 'predictive',
      callsPerSecond: 5,
      maxLinesPerVolunteer: 6,
      abandonRateTarget: expect.closeTo(0.02, 6),
      abandonRateLimit: 0.03,
    });

    const byId = new Map(volunteers.map((volunteer) => [volunteer.id, volunteer]));
    expect(volunteers).toHaveLength(4);
    expect(byId.get(ready)?.state).toBe('ready');
    expect(byId.get(talking)?.state).toBe('talking');
    expect(byId.get(paused)?.state).toBe('paused');
    expect(byId.get(notInDialer)?.state).toBe('paused');
    expect(started - byId.get(ready)!.since).toBeGreaterThan(11_000);
    expect(started - byId.get(ready)!.since).toBeLessThan(20_000);

    const lineStates = new Map(lines.map((line) => [line.id, line]));
    expect(lines).toHaveLength(4);
    expect(lineStates.get(queued)).toMatchObject({ state: 'queued', startedAt: null });
    expect(lineStates.get(ringing)?.state).toBe('ringing');
    expect(started - lineStates.get(ringing)!.startedAt!).toBeGreaterThan(6_000);
    expect(lineStates.get(judging)?.state).toBe('answered');
    expect(lineStates.get(waiting)?.state).toBe('human-waiting');

    // Four New York landlines and the consented mobile; the plain mobile and the unknown type; the approval.
    expect(leads).toEqual({ automatic: 5, manualOnly: 3, approved: 1 });
    expect(await repository.pictureOf(manager, pool, OPEN, 2)).toMatchObject({ leads: { automatic: 2, manualOnly: 2, approved: 1 } });
    expect(
      (await repository.pictureOf(manager, pool, () => ({ openTimeZones: ['America/New_York', 'America/Los_Angeles'], unknownZoneOpen: true }), 100))?.leads,
    ).toMatchObject({
      automatic: 7,
    });

    // Within 30 days and across both organizations: five human answers (the waiting one included), one abandoned.
    expect(abandonment30Days).toEqual({ liveAnswers: 5, abandoned: 1 });
  });

  it('should have nothing to pace for a campaign that is not active or dials in preview', async () => {
    await sql.query(`UPDATE campaign SET status = 'paused' WHERE id = $1`, [pool.campaignId]);
    expect(await repository.pictureOf(manager, pool, OPEN, 10)).toBeNull();
    await sql.query(`UPDATE campaign SET status = 'active', dial_mode = 'preview' WHERE id = $1`, [pool.campaignId]);
    expect(await repository.pictureOf(manager, pool, OPEN, 10)).toBeNull();
    await sql.query(`UPDATE campaign SET dial_mode = 'power' WHERE id = $1`, [pool.campaignId]);
    expect((await repository.pictureOf(manager, pool, OPEN, 10))?.settings.mode).toBe('power');
  });
});
