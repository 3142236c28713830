import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNT_FAILURES_ALLOWED, ADDRESS_ATTEMPTS_ALLOWED, ARGON2ID_PARAMETERS, MembershipRole, sessionTokenHash } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { IdentityFactory, type TestContext } from '@app/testing';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

const PASSWORD = 'correct horse battery staple';

describe('sign-in sessions (/api/auth/sessions)', () => {
  let context: TestContext;
  let app: INestApplication;
  let owner: INestApplicationContext;
  let dataSource: DataSource;
  let identity: IdentityFactory;
  let passwordHash: string;
  const logs = new RecordingLogDestination();
  let addressCounter = 0;

  beforeAll(async () => {
    ({ context, owner, app } = await startApiUnderTest({ logDestination: logs }));
    dataSource = owner.get(DataSource);
    identity = new IdentityFactory(dataSource);
    passwordHash = await hash(PASSWORD, ARGON2ID_PARAMETERS);
  }, 60_000);

  afterAll(async () => {
    await closeApiUnderTest({ app, owner, context });
  });

  const server = () => app.getHttpServer();
  /** Each test signs in from its own address, so the per-address limit of one test never reaches another. */
  const newAddress = () => `203.0.113.${++addressCounter}`;

  async function newUser(): Promise<{ id: string; email: string; allianceSlug: string }> {
    const alliance = await identity.alliance();
    const user = await identity.user({ passwordHash });
    await identity.membership(user.id, alliance.id, null, MembershipRole.DataLead);
    return { id: user.id, email: user.email, allianceSlug: alliance.slug };
  }

  function signIn(email: string, password: string, address = newAddress()) {
    return request(server()).post('/api/auth/sessions').set('X-Forwarded-For', address).send({ email, password });
  }

  function sessionCookieOf(response: request.Response): string {
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    const cookie = cookies.find((each) => each.startsWith('crossroads_session='));
    if (cookie === undefined) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
    return cookie;
  }

  const tokenOf = (cookie: string): string => cookie.split(';')[0].slice('crossroads_session='.length);

  it('should sign in with the right password, set an httpOnly strict cookie, and store only a hash of its secret', async () => {
    const user = await newUser();
    const response = await signIn(user.email.toUpperCase(), PASSWORD).expect(201);

    const cookie = sessionCookieOf(response);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/api/);
    expect(cookie).toMatch(/; Expires=/);
    expect(cookie).not.toMatch(/; Secure/); // served over http in tests; https deployments get Secure
    expect(response.body).toEqual({
      user: { id: user.id, email: user.email, displayName: 'Test User' },
      memberships: [expect.objectContaining({ allianceSlug: user.allianceSlug, organizationId: null, role: 'data_lead' })],
      expiresAt: expect.any(String),
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const hoursLeft = (Date.parse(response.body.expiresAt as string) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11.9);
    expect(hoursLeft).toBeLessThanOrEqual(12);

    const token = tokenOf(cookie);
    const rows: Array<{ token_hash: Buffer }> = await dataSource.query('SELECT token_hash FROM user_session WHERE user_id = $1', [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash.equals(sessionTokenHash(token))).toBe(true);
    expect(rows[0].token_hash.toString('utf8')).not.toContain(token);
    expect(JSON.stringify(response.body)).not.toContain(passwordHash);
  });

  it('should answer the current session to its cookie, and 401 to none, a tampered one or a made-up one', async () => {
    const user = await newUser();
    const cookie = sessionCookieOf(await signIn(user.email, PASSWORD).expect(201));
    const token = tokenOf(cookie);

    const current = await request(server()).get('/api/auth/sessions/current').set('Cookie', `crossroads_session=${token}`).expect(200);
    expect(current.body.user.id).toBe(user.id);

    await request(server()).get('/api/auth/sessions/current').expect(401);
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const refused = await request(server()).get('/api/auth/sessions/current').set('Cookie', `crossroads_session=${tampered}`).expect(401);
    expect(refused.body).toMatchObject({ code: 'unauthenticated', message: 'Sign in first: there is no open session' });
    await request(server()).get('/api/auth/sessions/current').set('Cookie', 'crossroads_session=not-a-token').expect(401);
    await request(server())
      .get('/api/auth/sessions/current')
      .set('Cookie', `crossroads_session=${'x'.repeat(5000)}`)
      .expect(401);
  });

  it('should show each session only its own user and memberships, never another organization\u2019s', async () => {
    const first = await newUser();
    const second = await newUser();
    const firstToken = tokenOf(sessionCookieOf(await signIn(first.email, PASSWORD).expect(201)));
    await signIn(second.email, PASSWORD).expect(201);
    const current = await request(server()).get('/api/auth/sessions/current').set('Cookie', `crossroads_session=${firstToken}`).expect(200);
    expect(current.body.user.id).toBe(first.id);
    expect(current.body.memberships.map((membership: { allianceSlug: string }) => membership.allianceSlug)).toEqual([first.allianceSlug]);
    expect(JSON.stringify(current.body)).not.toContain(second.email);
    expect(JSON.stringify(current.body)).not.toContain(second.allianceSlug);
  });

  it('should refuse a wrong password and an unknown email with the same answer, and open no session', async () => {
    const user = await newUser();
    const wrong = await signIn(user.email, 'not the password').expect(401);
    const unknown = await signIn('nobody@example.test', PASSWORD).expect(401);
    expect(wrong.body.message).toBe('That email and password do not match');
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM user_session WHERE user_id = $1', [user.id]);
    expect(count).toBe(0);
  });

  it('should refuse a user who has not set a password yet', async () => {
    const user = await identity.user({ passwordHash: null });
    await signIn(user.email, '').expect(400);
    await signIn(user.email, PASSWORD).expect(401);
  });

  it('should refuse an expired session', async () => {
    const user = await newUser();
    const token = tokenOf(sessionCookieOf(await signIn(user.email, PASSWORD).expect(201)));
    await dataSource.query(`UPDATE user_session SET created_at = now() - interval '13 hours', expires_at = now() - interval '1 hour' WHERE user_id = $1`, [
      user.id,
    ]);
    await request(server()).get('/api/auth/sessions/current').set('Cookie', `crossroads_session=${token}`).expect(401);
  });

  it('should sign out only with the anti-CSRF token, and then refuse the old cookie for good', async () => {
    const user = await newUser();
    const response = await signIn(user.email, PASSWORD).expect(201);
    const token = tokenOf(sessionCookieOf(response));
    const csrfToken = response.body.csrfToken as string;
    const withCookie = (test: request.Test) => test.set('Cookie', `crossroads_session=${token}`);

    const missing = await withCookie(request(server()).delete('/api/auth/sessions/current')).expect(403);
    expect(missing.body.message).toMatch(/X-CSRF-Token/);
    await withCookie(request(server()).delete('/api/auth/sessions/current'))
      .set('X-CSRF-Token', `${csrfToken.slice(1)}x`)
      .expect(403);
    // The CSRF token of another session does not do either.
    const otherToken = (await signIn(user.email, PASSWORD).expect(201)).body.csrfToken as string;
    await withCookie(request(server()).delete('/api/auth/sessions/current')).set('X-CSRF-Token', otherToken).expect(403);
    await withCookie(request(server()).get('/api/auth/sessions/current')).expect(200);

    const signedOut = await withCookie(request(server()).delete('/api/auth/sessions/current')).set('X-CSRF-Token', csrfToken).expect(204);
    expect(sessionCookieOf(signedOut)).toMatch(/^crossroads_session=;.*Expires=Thu, 01 Jan 1970/);
    await withCookie(request(server()).get('/api/auth/sessions/current')).expect(401);
    await withCookie(request(server()).delete('/api/auth/sessions/current')).set('X-CSRF-Token', csrfToken).expect(401);
    const revoked: Array<{ revoked: boolean }> = await dataSource.query('SELECT revoked_at IS NOT NULL AS revoked FROM user_session WHERE token_hash = $1', [
      sessionTokenHash(token),
    ]);
    expect(revoked).toEqual([{ revoked: true }]);
  });

  it('should lock an account after its allowed failures, even against the right password, and say when to retry', async () => {
    const user = await newUser();
    const bystander = await newUser();
    for (let attempt = 0; attempt < ACCOUNT_FAILURES_ALLOWED; attempt += 1) await signIn(user.email, `wrong ${attempt}`).expect(401);

    const locked = await signIn(user.email, PASSWORD).expect(429);
    expect(locked.body).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Other accounts are not affected.
    await signIn(bystander.email, PASSWORD).expect(201);
  });

  it('should forget an account\u2019s failures once it signs in', async () => {
    const user = await newUser();
    for (let attempt = 0; attempt < ACCOUNT_FAILURES_ALLOWED - 1; attempt += 1) await signIn(user.email, 'wrong').expect(401);
    await signIn(user.email, PASSWORD).expect(201);
    for (let attempt = 0; attempt < ACCOUNT_FAILURES_ALLOWED - 1; attempt += 1) await signIn(user.email, 'wrong').expect(401);
    await signIn(user.email, PASSWORD).expect(201);
  });

  it('should limit the attempts from one address across accounts, and not other addresses', async () => {
    const address = newAddress();
    const users = await Promise.all(Array.from({ length: 8 }, () => newUser()));
    for (let attempt = 0; attempt < ADDRESS_ATTEMPTS_ALLOWED; attempt += 1) {
      // Spread over several accounts so no account reaches its own limit first.
      const user = users[attempt % users.length];
      await signIn(user.email, attempt % 2 === 0 ? 'wrong' : PASSWORD, address).expect(attempt % 2 === 0 ? 401 : 201);
    }
    await signIn(users[0].email, PASSWORD, address).expect(429);
    await signIn(users[0].email, PASSWORD, newAddress()).expect(201);
  });

  it('should answer 400 naming the field for a missing email, a malformed one or an oversized password', async () => {
    expect((await request(server()).post('/api/auth/sessions').send({ password: PASSWORD }).expect(400)).body.message).toMatch(/email/);
    expect((await signIn('not-an-email', PASSWORD).expect(400)).body.message).toMatch(/email must be an email address/);
    expect((await signIn('someone@example.test', 'x'.repeat(1025)).expect(400)).body.message).toMatch(/password must be at most 1024/);
  });

  it('should never write an email, a password or a session secret to the logs', async () => {
    const user = await newUser();
    const response = await signIn(user.email, PASSWORD).expect(201);
    await signIn(user.email, 'a wrong password').expect(401);
    const everything = logs.lines.join('\n');
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(user.email);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(tokenOf(sessionCookieOf(response)));
  });
});
