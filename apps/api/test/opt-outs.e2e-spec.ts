import { DataSource } from 'typeorm';
import { MembershipRole } from '@app/identity';
import { IdentityFactory, type SignedInAgent, signInAs } from '@app/testing';
import { type ApiUnderTest, closeApiUnderTest, startApiUnderTest } from './api-under-test';

const PHONE = '+19195550123';

/**
 * Text opt-outs in an admin's hands: the history by phone, an opt-out taken by other means, and a
 * reversal that needs a reason and leaves both the opt-out history and the audit log; nobody but an
 * alliance admin may do any of it, and bad input changes nothing.
 */
describe('opt-outs (api, real PostgreSQL)', () => {
  let parts: Partial<ApiUnderTest> = {};
  let sql: DataSource;
  let admin: SignedInAgent;
  let lead: SignedInAgent;
  let allianceId: string;

  beforeAll(async () => {
    parts = await startApiUnderTest();
    sql = parts.owner!.get(DataSource);
    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    allianceId = alliance.id;
    const anchor = await identity.anchor(alliance.id);
    const member = await identity.member(alliance.id, anchor.id);
    const server = parts.app!.getHttpServer();
    admin = await signInAs(server, sql, [{ allianceId, organizationId: null, role: MembershipRole.AllianceAdmin }]);
    lead = await signInAs(server, sql, [{ allianceId, organizationId: member.id, role: MembershipRole.OrgLead }]);
    // The voter texted STOP.
    await sql.query(`INSERT INTO opt_out (alliance_id, phone, channel, source) VALUES ($1, $2, 'sms', 'keyword')`, [allianceId, PHONE]);
    await sql.query(`INSERT INTO opt_out_event (alliance_id, phone, channel, action, source) VALUES ($1, $2, 'sms', 'opt_out', 'keyword')`, [
      allianceId,
      PHONE,
    ]);
  }, 120_000);

  afterAll(async () => {
    await closeApiUnderTest(parts);
  });

  const post = (agent: SignedInAgent, path: string) => agent.agent.post(path).set('X-CSRF-Token', agent.csrfToken);
  const path = (phone: string, suffix = '') => `/api/opt-outs/${encodeURIComponent(phone)}${suffix}`;

  it('should show a phone’s state and history to an admin', async () => {
    const state = await admin.agent.get(path(PHONE)).expect(200);
    expect(state.body).toMatchObject({ phone: PHONE, optedOutOfTexts: true, history: [{ action: 'opt_out', source: 'keyword', channel: 'sms' }] });
  });

  it('should refuse a reversal without a reason, or of a malformed phone, naming the field and changing nothing', async () => {
    const short = await post(admin, path(PHONE, '/reversal')).send({ reason: 'ok' }).expect(400);
    expect(short.body.message).toMatch(/^reason:/);
    const missing = await post(admin, path(PHONE, '/reversal')).send({}).expect(400);
    expect(JSON.stringify(missing.body)).toContain('reason');
    const malformed = await post(admin, path('9195550123', '/reversal')).send({ reason: 'asked by phone' }).expect(400);
    expect(malformed.body.message).toMatch(/^phone:/);
    expect(await sql.query(`SELECT 1 FROM opt_out WHERE phone = $1`, [PHONE])).toHaveLength(1);
    expect(await sql.query(`SELECT 1 FROM audit_event WHERE action LIKE 'opt_out.%'`)).toHaveLength(0);
  });

  it('should refuse everyone but an alliance admin', async () => {
    await lead.agent.get(path(PHONE)).expect(403);
    await post(lead, path(PHONE, '/reversal')).send({ reason: 'the voter asked me' }).expect(403);
    await post(lead, path('+19195550999')).send({ reason: 'the voter asked me' }).expect(403);
    expect(await sql.query(`SELECT 1 FROM opt_out WHERE alliance_id = $1`, [allianceId])).toHaveLength(1);
  });

  it('should reverse with a reason, recorded in the history and the audit log without the phone', async () => {
    const reversed = await post(admin, path(PHONE, '/reversal')).send({ reason: 'Voter called the office to be texted again' }).expect(200);
    expect(reversed.body.optedOutOfTexts).toBe(false);
    expect(reversed.body.history[0]).toMatchObject({ action: 'opt_in', source: 'admin', reason: 'Voter called the office to be texted again' });
    expect(reversed.body.history[0].actorUserId).toBe(admin.userId);
    expect(await sql.query(`SELECT 1 FROM opt_out WHERE phone = $1`, [PHONE])).toHaveLength(0);
    const [audit] = await sql.query(
      `SELECT action, actor_user_id AS "actorUserId", subject_id AS "subjectId", details FROM audit_event WHERE action = 'opt_out.reversed'`,
    );
    expect(audit).toMatchObject({ action: 'opt_out.reversed', actorUserId: admin.userId, subjectId: reversed.body.history[0].id });
    expect(JSON.stringify(audit)).not.toContain(PHONE.slice(2));
    // Nothing left to reverse.
    await post(admin, path(PHONE, '/reversal')).send({ reason: 'Voter called the office again' }).expect(409);
  });

  it('should opt a phone out by hand, once, audited', async () => {
    const other = '+19195550777';
    await post(admin, path(other)).send({ reason: 'Voter asked by email to stop texts' }).expect(200);
    const again = await post(admin, path(other)).send({ reason: 'Voter asked by email to stop texts' }).expect(200);
    expect(again.body).toMatchObject({ optedOutOfTexts: true, history: [{ action: 'opt_out', source: 'admin' }] });
    expect(again.body.history).toHaveLength(1);
    expect(await sql.query(`SELECT 1 FROM audit_event WHERE action = 'opt_out.added'`)).toHaveLength(1);
  });
});
