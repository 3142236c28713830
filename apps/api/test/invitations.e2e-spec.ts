import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  ACCOUNT_FAILURES_ALLOWED,
  ADDRESS_ATTEMPTS_ALLOWED,
  ARGON2ID_PARAMETERS,
  MembershipRole,
  type OrganizationEntity,
  sessionTokenHash,
} from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { IdentityFactory, type SignedInAgent, signInAs, type TestContext } from '@app/testing';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

const NEW_PASSWORD = 'a brand new passphrase';

describe('invitations (/api/invitations)', () => {
  let context: TestContext;
  let app: INestApplication;
  let owner: INestApplicationContext;
  let ownerSql: DataSource;
  let identity: IdentityFactory;
  const logs = new RecordingLogDestination();
  const emails: string[] = [];

  let allianceId: string;
  let otherAllianceSlug: string;
  let anchor: OrganizationEntity;
  let member: OrganizationEntity;
  let siblingMember: OrganizationEntity;
  let admin: SignedInAgent;
  let anchorLead: SignedInAgent;
  let orgLead: SignedInAgent;
  let dataLead: SignedInAgent;
  let volunteer: SignedInAgent;
  let addressCounter = 0;

  beforeAll(async () => {
    // http, not https: an https base makes session cookies Secure, which the test agents (plain http) would not send back.
    ({ context, owner, app } = await startApiUnderTest({ logDestination: logs, environment: { PUBLIC_BASE_URL: 'http://crossroads.example.org:8080/' } }));
    ownerSql = owner.get(DataSource);
    identity = new IdentityFactory(ownerSql);
    allianceId = (await identity.alliance()).id;
    otherAllianceSlug = (await identity.alliance()).slug;
    anchor = await identity.anchor(allianceId, { name: 'Bay Anchor' });
    member = await identity.member(allianceId, anchor.id, { name: 'Oakland Tenants' });
    siblingMember = await identity.member(allianceId, anchor.id, { name: 'Berkeley Students' });
    admin = await as(null, MembershipRole.AllianceAdmin);
    anchorLead = await as(anchor.id, MembershipRole.AnchorLead);
    orgLead = await as(member.id, MembershipRole.OrgLead);
    dataLead = await as(null, MembershipRole.DataLead);
    volunteer = await as(member.id, MembershipRole.Volunteer);
  }, 60_000);

  afterAll(async () => {
    await closeApiUnderTest({ app, owner, context });
  });

  const server = () => app.getHttpServer();
  /** Each request without a session comes from its own address unless a test says otherwise, so no test spends another's budget. */
  const newAddress = () => `198.51.100.${++addressCounter % 250}`;

  async function as(organizationId: string | null, role: MembershipRole): Promise<SignedInAgent> {
    const agent = await signInAs(server(), ownerSql, [{ allianceId, organizationId, role }]);
    emails.push(agent.email);
    return agent;
  }

  let emailCounter = 0;
  function newEmail(): string {
    const email = `invitee-${++emailCounter}-${Date.now()}@example.test`;
    emails.push(email);
    return email;
  }

  const invite = (who: SignedInAgent, body: object) => who.agent.post('/api/invitations').set('X-CSRF-Token', who.csrfToken).send(body);
  const lookup = (token: string, address = newAddress()) => request(server()).post('/api/invitations/lookup').set('X-Forwarded-For', address).send({ token });
  const accept = (body: object, address = newAddress()) => request(server()).post('/api/invitations/accept').set('X-Forwarded-For', address).send(body);

  /** The link the notifier wrote for an invitation, and the secret in it. */
  function deliveredLink(invitationId: string): { line: Record<string, unknown>; token: string } {
    const lines = logs.entries().filter((entry) => entry.invitationId === invitationId);
    expect(lines).toHaveLength(1);
    const match = /^http:\/\/crossroads\.example\.org:8080\/#\/invitations\/([A-Za-z0-9_-]{43})$/.exec(String(lines[0].link));
    expect(match).not.toBeNull();
    return { line: lines[0], token: match![1] };
  }

  async function invited(
    role = MembershipRole.Volunteer,
    organization: string | null = member.slug,
    email = newEmail(),
  ): Promise<{ id: string; token: string; email: string }> {
    const response = await invite(admin, { organization, role, email }).expect(201);
    return { id: response.body.id, token: deliveredLink(response.body.id).token, email };
  }

  it('should store only a hash of the link, deliver the link through the notifier without the email, and audit the invitation', async () => {
    const email = newEmail();
    const response = await invite(orgLead, { organization: member.slug, role: 'volunteer', email: email.toUpperCase() }).expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      alliance: expect.any(String),
      organization: { slug: member.slug, name: 'Oakland Tenants', kind: 'member' },
      role: 'volunteer',
      email,
      expiresAt: expect.any(String),
    });
    const days = (Date.parse(response.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const { line, token } = deliveredLink(response.body.id);
    expect(line).toMatchObject({ level: 'info', notification: 'invitation', invitationId: response.body.id, expiresAt: response.body.expiresAt });
    expect(JSON.stringify(line)).not.toContain(email);
    const [row] = await ownerSql.query(`SELECT token_hash, email, invited_by_user_id, accepted_at FROM invitation WHERE id = $1`, [response.body.id]);
    expect(row.token_hash.equals(sessionTokenHash(token))).toBe(true);
    expect(row).toMatchObject({ email, invited_by_user_id: orgLead.userId, accepted_at: null });
    const [{ count }] = await ownerSql.query(`SELECT count(*)::int AS count FROM invitation WHERE token_hash::text LIKE $1`, [`%${token}%`]);
    expect(count).toBe(0);
    const audit = await ownerSql.query(`SELECT actor_user_id, details FROM audit_event WHERE action = 'invitation.created' AND subject_id = $1`, [
      response.body.id,
    ]);
    expect(audit).toEqual([{ actor_user_id: orgLead.userId, details: { organizationId: member.id, role: 'volunteer', expiresAt: response.body.expiresAt } }]);
  });

  it('should tell the holder of a link what it is for, without a session', async () => {
    const { token } = await invited(MembershipRole.OrgLead);
    const preview = await lookup(token).expect(200);
    expect(preview.body).toEqual({
      alliance: expect.any(String),
      allianceName: 'Test Alliance',
      organization: { slug: member.slug, name: 'Oakland Tenants', kind: 'member' },
      role: 'org_lead',
      expiresAt: expect.any(String),
      existingAccount: false,
    });
  });

  it('should accept once: create the account and membership, sign in with the same cookie sign-in sets, and audit it', async () => {
    const { id, token, email } = await invited();
    const response = await accept({ token, displayName: 'Nadia Flores', password: NEW_PASSWORD }).expect(201);

    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const cookie = cookies.find((each) => each.startsWith('crossroads_session='))!;
    expect(cookie).toMatch(/; Path=\/api/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(response.body).toMatchObject({
      user: { email, displayName: 'Nadia Flores' },
      memberships: [{ organizationId: member.id, role: 'volunteer' }],
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const userId = response.body.user.id as string;
    const [user] = await ownerSql.query(`SELECT password_hash FROM app_user WHERE id = $1`, [userId]);
    expect(await verify(user.password_hash, NEW_PASSWORD)).toBe(true);
    const [invitation] = await ownerSql.query(`SELECT accepted_at IS NOT NULL AS accepted, accepted_by_user_id FROM invitation WHERE id = $1`, [id]);
    expect(invitation).toEqual({ accepted: true, accepted_by_user_id: userId });
    const audit = await ownerSql.query(
      `SELECT action, actor_user_id, alliance_id FROM audit_event WHERE action IN ('invitation.accepted', 'membership.created', 'session.signed_in') AND actor_user_id = $1 ORDER BY id`,
      [userId],
    );
    expect(audit.map((event: { action: string }) => event.action)).toEqual(['invitation.accepted', 'membership.created', 'session.signed_in']);
    expect(audit[1]).toMatchObject({ alliance_id: allianceId });

    const token2 = cookie.split(';')[0];
    await request(server()).get('/api/auth/sessions/current').set('Cookie', token2).expect(200);

    const again = await accept({ token, displayName: 'Nadia Flores', password: NEW_PASSWORD }).expect(404);
    expect(again.body.message).toMatch(/unknown, already used or expired/);
    await lookup(token).expect(404);
    const [{ users }] = await ownerSql.query(`SELECT count(*)::int AS users FROM app_user WHERE email = $1`, [email]);
    expect(users).toBe(1);
  });

  it('should let exactly one of two acceptances at once succeed', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { id, token, email } = await invited();
      const statuses = (
        await Promise.all([
          accept({ token, displayName: 'First', password: NEW_PASSWORD }),
          accept({ token, displayName: 'Second', password: `${NEW_PASSWORD}!` }),
        ])
      ).map((response) => response.status);
      expect(statuses.sort()).toEqual([201, 404]);
      const [{ users, memberships }] = await ownerSql.query(
        `SELECT count(DISTINCT u.id)::int AS users, count(m.id)::int AS memberships FROM app_user u LEFT JOIN membership m ON m.user_id = u.id WHERE u.email = $1`,
        [email],
      );
      expect({ users, memberships }).toEqual({ users: 1, memberships: 1 });
      const accepted = await ownerSql.query(`SELECT 1 FROM audit_event WHERE action = 'invitation.accepted' AND subject_id = $1`, [id]);
      expect(accepted).toHaveLength(1);
    }
  });

  it('should refuse an expired link, an unknown one and a malformed one', async () => {
    const { id, token } = await invited();
    await ownerSql.query(`UPDATE invitation SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE id = $1`, [id]);
    await lookup(token).expect(404);
    await accept({ token, displayName: 'Late', password: NEW_PASSWORD }).expect(404);
    const unknown = 'A'.repeat(43);
    expect((await lookup(unknown).expect(404)).body.message).toBe('This invitation link is unknown, already used or expired; ask for a new one');
    expect((await lookup('not-a-token').expect(400)).body.message).toBe('token must be the secret from the invitation link');
    await accept({ token: 'short', displayName: 'X', password: NEW_PASSWORD }).expect(400);
  });

  it('should add the membership to an existing account only with its current password, and keep its password and name', async () => {
    const existingPassword = 'the existing passphrase';
    const user = await identity.user({ displayName: 'Existing Person', passwordHash: await hash(existingPassword, ARGON2ID_PARAMETERS) });
    emails.push(user.email);
    await identity.membership(user.id, allianceId, siblingMember.id, MembershipRole.Volunteer);
    const { id, token } = await invited(MembershipRole.Volunteer, member.slug, user.email);
    expect((await lookup(token).expect(200)).body.existingAccount).toBe(true);

    const wrong = await accept({ token, password: NEW_PASSWORD }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'unauthenticated', details: { field: 'password' } });
    await lookup(token).expect(200); // still open

    const response = await accept({ token, displayName: 'Another Name', password: existingPassword }).expect(201);
    expect(response.body.user).toEqual({ id: user.id, email: user.email, displayName: 'Existing Person' });
    expect(response.body.memberships.map((membership: { organizationId: string }) => membership.organizationId).sort()).toEqual(
      [member.id, siblingMember.id].sort(),
    );
    const [row] = await ownerSql.query(`SELECT password_hash FROM app_user WHERE id = $1`, [user.id]);
    expect(await verify(row.password_hash, existingPassword)).toBe(true);
    const [{ accepted_by_user_id }] = await ownerSql.query(`SELECT accepted_by_user_id FROM invitation WHERE id = $1`, [id]);
    expect(accepted_by_user_id).toBe(user.id);
  });

  it('should count wrong current passwords against the account as sign-in does, and then refuse even the right one', async () => {
    const existingPassword = 'the guarded passphrase';
    const user = await identity.user({ passwordHash: await hash(existingPassword, ARGON2ID_PARAMETERS) });
    emails.push(user.email);
    const { token } = await invited(MembershipRole.Volunteer, member.slug, user.email);
    for (let attempt = 0; attempt < ACCOUNT_FAILURES_ALLOWED; attempt += 1) await accept({ token, password: `wrong guess ${attempt}` }).expect(401);
    const locked = await accept({ token, password: existingPassword }).expect(429);
    expect(locked.body.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    await lookup(token).expect(200); // still open
  });

  it('should let an account without a password yet (made on the command line) set one by accepting', async () => {
    const user = await identity.user({ passwordHash: null });
    emails.push(user.email);
    const { token } = await invited(MembershipRole.Volunteer, member.slug, user.email);
    expect((await lookup(token).expect(200)).body.existingAccount).toBe(false);
    await accept({ token, password: NEW_PASSWORD }).expect(201);
    const [row] = await ownerSql.query(`SELECT password_hash FROM app_user WHERE id = $1`, [user.id]);
    expect(await verify(row.password_hash, NEW_PASSWORD)).toBe(true);
  });

  it('should answer 400 naming the field for a new account without a name or with a short password, and leave the link open', async () => {
    const { token } = await invited();
    const short = await accept({ token, displayName: 'Short', password: 'elevenchars' }).expect(400);
    expect(short.body).toMatchObject({ message: 'password must be at least 12 characters', details: { field: 'password' } });
    const nameless = await accept({ token, password: NEW_PASSWORD }).expect(400);
    expect(nameless.body).toMatchObject({ details: { field: 'displayName' } });
    const blank = await accept({ token, displayName: '   ', password: NEW_PASSWORD }).expect(400);
    expect(blank.body.details).toEqual({ field: 'displayName' });
    expect((await accept({ token, displayName: 'X', password: 'x'.repeat(1025) }).expect(400)).body.message).toMatch(/password must be 1 to 1024/);
    await lookup(token).expect(200);
  });

  describe('who may invite whom', () => {
    it.each([
      ['an org lead', 'its member', 'volunteer', 201],
      ['an org lead', 'its member', 'org_lead', 201],
      ['an org lead', 'the sibling member', 'volunteer', 403],
      ['an org lead', 'the anchor', 'volunteer', 403],
      ['an org lead', 'the alliance', 'data_lead', 403],
      ['an anchor lead', 'the sibling member', 'org_lead', 201],
      ['an anchor lead', 'the anchor', 'anchor_lead', 201],
      ['an anchor lead', 'the alliance', 'data_lead', 403],
      ['an anchor lead', 'the alliance', 'alliance_admin', 403],
      ['an alliance admin', 'the alliance', 'data_lead', 201],
      ['an alliance admin', 'the alliance', 'alliance_admin', 201],
      ['an alliance admin', 'the anchor', 'anchor_lead', 201],
      ['a data lead', 'its member', 'volunteer', 403],
      ['a volunteer', 'its member', 'volunteer', 403],
    ])('%s inviting to %s a %s: %s', async (whoName, where, role, status) => {
      const who = { 'an org lead': orgLead, 'an anchor lead': anchorLead, 'an alliance admin': admin, 'a data lead': dataLead, 'a volunteer': volunteer }[
        whoName
      ]!;
      const organization = { 'its member': member.slug, 'the sibling member': siblingMember.slug, 'the anchor': anchor.slug, 'the alliance': null }[where];
      const email = newEmail();
      const response = await invite(who, { organization, role, email }).expect(status);
      const [{ count }] = await ownerSql.query(`SELECT count(*)::int AS count FROM invitation WHERE email = $1`, [email]);
      expect(count).toBe(status === 201 ? 1 : 0);
      if (status === 403) expect(response.body.code).toBe('forbidden');
    });

    it.each([
      [{ organization: null, role: 'volunteer' }, /organization must name the organization/, { field: 'organization' }],
      [{ organization: 'x', role: 'data_lead' }, /organization must be null for data_lead/, { field: 'organization' }],
      [{ role: 'volunteer' }, /organization must be an organization slug/, undefined],
      [{ organization: 'x', role: 'captain' }, /role must be one of/, undefined],
      [{ organization: 'x', role: 'volunteer', email: 'nobody' }, /email must be an email address/, undefined],
      [{ organization: 'x', role: 'volunteer', expiresInDays: 31 }, /expiresInDays must be a whole number from 1 to 30/, undefined],
    ])('should answer 400 naming the field for %p', async (body, message, details) => {
      const response = await invite(admin, { email: newEmail(), ...body }).expect(400);
      expect(response.body.message).toMatch(message);
      if (details !== undefined) expect(response.body.details).toEqual(details);
    });

    it('should answer 400 for anchor_lead in a member organization, 404 for an unknown or foreign organization, 409 for a role already held', async () => {
      expect((await invite(admin, { organization: member.slug, role: 'anchor_lead', email: newEmail() }).expect(400)).body.details).toEqual({ field: 'role' });
      expect((await invite(admin, { organization: 'no-such-org', role: 'volunteer', email: newEmail() }).expect(404)).body.details).toEqual({
        field: 'organization',
      });
      await invite(admin, { alliance: otherAllianceSlug, organization: member.slug, role: 'volunteer', email: newEmail() }).expect(404);
      const conflict = await invite(admin, { organization: member.slug, role: 'volunteer', email: volunteer.email }).expect(409);
      expect(conflict.body.details).toEqual({ field: 'email' });
      await invite(admin, { organization: member.slug, role: 'org_lead', email: volunteer.email }).expect(201);
    });

    it('should need a session and the anti-CSRF token to invite', async () => {
      await request(server()).post('/api/invitations').send({ organization: member.slug, role: 'volunteer', email: newEmail() }).expect(401);
      await admin.agent.post('/api/invitations').send({ organization: member.slug, role: 'volunteer', email: newEmail() }).expect(403);
    });
  });

  it('should limit lookups and acceptances per address, and not other addresses', async () => {
    const address = '192.0.2.77';
    const unknown = 'B'.repeat(43);
    for (let attempt = 0; attempt < ADDRESS_ATTEMPTS_ALLOWED; attempt += 1) await lookup(unknown, address).expect(404);
    const limited = await lookup(unknown, address).expect(429);
    expect(limited.body).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    expect(limited.body.message).toMatch(/Too many requests from this address/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await accept({ token: unknown, displayName: 'X', password: NEW_PASSWORD }, address).expect(429);
    await lookup(unknown, '192.0.2.78').expect(404);
  });

  it('should never write an email or a password to the logs, and a link secret only in the notifier\u2019s line', async () => {
    const { id, token } = await invited();
    await lookup(token).expect(200);
    await accept({ token, displayName: 'Logged Person', password: NEW_PASSWORD }).expect(201);
    const everything = logs.lines.join('\n');
    for (const email of emails) expect(everything).not.toContain(email);
    expect(everything).not.toContain(NEW_PASSWORD);
    const carrying = logs.entries().filter((entry) => JSON.stringify(entry).includes(token));
    expect(carrying).toEqual([expect.objectContaining({ invitationId: id, context: 'LoggingNotifier' })]);
  });
});
