import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { MembershipRole } from '@app/identity';
import { IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs } from '@app/testing';
import { assignEveryVoterAsTurf, NOON_EASTERN } from '../../../test/phone-bank-stack.util';
import { type ApiUnderTest, closeApiUnderTest, startApiUnderTest } from './api-under-test';

/**
 * A clicker's approvals through the api: the next mobile or unknown-type voter of the session's
 * organization (never a landline, never the whole number), an approval that a second click
 * repeats rather than doubles, and ids from elsewhere refused. No worker runs: nothing dials.
 */
describe('dial approvals (api, real PostgreSQL)', () => {
  let parts: Partial<ApiUnderTest> = {};
  let sql: DataSource;
  let allianceId: string;
  let memberId: string;
  let otherMemberId: string;
  let campaignId: string;
  let clicker: SignedInAgent;
  let otherClicker: SignedInAgent;
  let sessionId: string;

  beforeAll(async () => {
    parts = await startApiUnderTest();
    const { app, owner, context } = parts as ApiUnderTest;
    sql = owner.get(DataSource);
    jest.spyOn(app.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance()).id;
    const anchor = await identity.anchor(allianceId);
    memberId = (await identity.member(allianceId, anchor.id)).id;
    otherMemberId = (await identity.member(allianceId, anchor.id)).id;
    await importSyntheticVoters(owner, context, { allianceId, rows: 120, seed: 23 });
    const lead = await signInAs(app.getHttpServer(), sql, [{ allianceId, organizationId: memberId, role: MembershipRole.OrgLead }]);
    const send = (method: 'post' | 'put', path: string) => lead.agent[method](path).set('X-CSRF-Token', lead.csrfToken);
    const { body: campaign } = await send('post', '/api/campaigns')
      .send({ slug: 'clicks', name: 'Clicks', dialMode: 'power', callerIds: ['+14155550123'] })
      .expect(201);
    campaignId = campaign.id;
    await send('put', `/api/campaigns/${campaignId}/script`).send({ script: DEFAULT_CALL_SCRIPT, surveyQuestions: DEFAULT_SURVEY_QUESTIONS }).expect(200);
    await assignEveryVoterAsTurf(sql, { allianceId, anchorId: anchor.id, memberId, campaignId });
    await send('post', `/api/campaigns/${campaignId}/status`).send({ status: 'active' }).expect(200);
    // Every other row a landline: those the dialer calls by itself, and a clicker never sees.
    await sql.query(
      `UPDATE campaign_contact SET line_type = CASE WHEN id % 2 = 0 THEN 'landline' WHEN id % 3 = 0 THEN NULL ELSE 'mobile' END, time_zone = 'America/New_York'
        WHERE campaign_id = $1`,
      [campaignId],
    );

    clicker = await signInAs(app.getHttpServer(), sql, [{ allianceId, organizationId: memberId, role: MembershipRole.Volunteer }]);
    sessionId = (await clicker.agent.post('/api/calling-sessions').set('X-CSRF-Token', clicker.csrfToken).send({ campaignId }).expect(201)).body.id;
    // A volunteer of another organization with a session of their own in the same campaign (their organization holds none of its voters).
    otherClicker = await signInAs(app.getHttpServer(), sql, [{ allianceId, organizationId: otherMemberId, role: MembershipRole.Volunteer }]);
  }, 120_000);

  afterAll(async () => {
    await closeApiUnderTest(parts);
  });

  const next = (agent: SignedInAgent, session: string) => agent.agent.get(`/api/calling-sessions/${session}/approvals/next`);
  const approve = (agent: SignedInAgent, session: string, campaignContactId: unknown) =>
    agent.agent.post(`/api/calling-sessions/${session}/approvals`).set('X-CSRF-Token', agent.csrfToken).send({ campaignContactId });
  const approvals = async (contactId: string) =>
    sql.query(`SELECT id, expires_at - approved_at AS valid, approved_by_user_id AS "userId" FROM dial_approval WHERE campaign_contact_id = $1`, [contactId]);

  it('should offer a mobile or unknown-type voter by first name, city and last four digits, and approve the dial once', async () => {
    const offered = await next(clicker, sessionId).expect(200);
    expect(offered.body).toMatchObject({ kind: 'voter', approvedCount: 0 });
    const { voter } = offered.body;
    const [contact] = await sql.query(
      `SELECT cc.phone, cc.line_type AS "lineType", v.first_name AS "firstName", v.city FROM campaign_contact cc JOIN voter v ON v.id = cc.voter_id WHERE cc.id = $1`,
      [voter.campaignContactId],
    );
    expect(voter).toEqual({
      campaignContactId: voter.campaignContactId,
      firstName: contact.firstName,
      city: contact.city,
      phoneLast4: contact.phone.slice(-4),
      lineType: contact.lineType ?? 'unknown',
    });
    expect(contact.lineType).not.toBe('landline');
    expect(JSON.stringify(offered.body)).not.toContain(contact.phone.slice(2));

    const first = await approve(clicker, sessionId, voter.campaignContactId).expect(200);
    expect(first.body).toMatchObject({ campaignContactId: voter.campaignContactId, repeated: false });
    expect(new Date(first.body.expiresAt).getTime() - new Date(first.body.approvedAt).getTime()).toBe(120_000);
    // A second click is the same approval.
    const second = await approve(clicker, sessionId, voter.campaignContactId).expect(200);
    expect(second.body).toEqual({ ...first.body, repeated: true });
    expect(await approvals(voter.campaignContactId)).toEqual([{ id: first.body.id, valid: { minutes: 2 }, userId: clicker.userId }]);

    // Approved voters are not offered again, and the count shows the approval.
    const after = await next(clicker, sessionId).expect(200);
    expect(after.body.voter.campaignContactId).not.toBe(voter.campaignContactId);
    expect(after.body.approvedCount).toBe(1);
  });

  it('should never offer a landline, and refuse to approve one', async () => {
    const offered: string[] = [];
    for (;;) {
      const { body } = await next(clicker, sessionId).expect(200);
      if (body.kind === 'none') {
        expect(body.reason).toBe('no_voters_left');
        break;
      }
      offered.push(body.voter.campaignContactId);
      await approve(clicker, sessionId, body.voter.campaignContactId).expect(200);
    }
    const [{ awaiting }] = await sql.query(
      `SELECT count(*)::int AS awaiting FROM campaign_contact WHERE campaign_id = $1 AND COALESCE(line_type, 'unknown') <> 'landline'`,
      [campaignId],
    );
    // Every mobile and unknown row once (the first test approved one of them), no landline.
    expect(offered.length + 1).toBe(awaiting);
    const lines: Array<{ lineType: string | null }> = await sql.query(`SELECT line_type AS "lineType" FROM campaign_contact WHERE id = ANY ($1::bigint[])`, [
      offered,
    ]);
    expect(lines.filter((line) => line.lineType === 'landline')).toEqual([]);

    const [landline] = await sql.query(`SELECT id::text FROM campaign_contact WHERE campaign_id = $1 AND line_type = 'landline' LIMIT 1`, [campaignId]);
    const refused = await approve(clicker, sessionId, landline.id).expect(409);
    expect(refused.body.message).toMatch(/needs no approval/);
    expect(await approvals(landline.id)).toEqual([]);
  });

  it('should renew an approval that expired unused, as the same row', async () => {
    const [{ id: contactId }] = await sql.query(
      `SELECT cc.id::text FROM campaign_contact cc JOIN dial_approval da ON da.campaign_contact_id = cc.id WHERE cc.campaign_id = $1 LIMIT 1`,
      [campaignId],
    );
    await sql.query(
      `UPDATE dial_approval SET approved_at = now() - interval '5 minutes', expires_at = now() - interval '3 minutes' WHERE campaign_contact_id = $1`,
      [contactId],
    );
    const [before] = await approvals(contactId);
    const renewed = await approve(clicker, sessionId, contactId).expect(200);
    expect(renewed.body).toMatchObject({ id: before.id, repeated: false });
    expect(new Date(renewed.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('should refuse bad, unknown and foreign ids with a clear 4xx, and add nothing', async () => {
    const [{ count: before }] = await sql.query(`SELECT count(*)::int AS count FROM dial_approval`);
    for (const bad of ['abc', '-1', 0, 12.5, null]) {
      const refused = await approve(clicker, sessionId, bad).expect(400);
      expect(refused.body.message).toMatch(/campaignContactId must be the id of a call-list row/);
    }
    expect((await approve(clicker, sessionId, '999999999').expect(404)).body.message).toMatch(/Call-list row .* 999999999 was not found/);

    // Another organization's volunteer, in their own session of the same campaign: the first organization's rows do not exist for them.
    const [{ id: otherSession }] = await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [allianceId, campaignId, otherMemberId, otherClicker.userId],
    );
    const [{ id: theirs }] = await sql.query(
      `SELECT id::text FROM campaign_contact WHERE campaign_id = $1 AND organization_id = $2 AND line_type = 'mobile' LIMIT 1`,
      [campaignId, memberId],
    );
    await approve(otherClicker, otherSession, theirs).expect(404);
    expect((await next(otherClicker, otherSession).expect(200)).body).toMatchObject({ kind: 'none', reason: 'no_voters_left' });
    // Nor may anyone use a session that is not theirs.
    await approve(otherClicker, sessionId, theirs).expect(404);
    await next(otherClicker, sessionId).expect(404);
    await approve(clicker, '00000000-0000-4000-8000-000000000000', theirs).expect(404);
    await next(clicker, 'not-a-uuid').expect(400);

    const [{ count: after }] = await sql.query(`SELECT count(*)::int AS count FROM dial_approval`);
    expect(after).toBe(before);
  });
});
