import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNT_FAILURES_ALLOWED, ADDRESS_ATTEMPTS_ALLOWED, ARGON2ID_PARAMETERS, sessionTokenHash } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { IdentityFactory, type TestContext } from '@app/testing';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

const OLD_PASSWORD = 'the old passphrase';
const NEW_PASSWORD = 'a fresh new passphrase';

describe('password resets (/api/password-resets)', () => {
  let context: TestContext;
  let app: INestApplication;
  let owner: INestApplicationContext;
  let ownerSql: DataSource;
  let identity: IdentityFactory;
  let oldPasswordHash: string;
  const logs = new RecordingLogDestination();
  const emails: string[] = [];
  let addressCounter = 0;

  beforeAll(async () => {
    ({ context, owner, app } = await startApiUnderTest({ logDestination: logs }));
    ownerSql = owner.get(DataSource);
    identity = new IdentityFactory(ownerSql);
    oldPasswordHash = await hash(OLD_PASSWORD, ARGON2ID_PARAMETERS);
  }, 60_000);

  afterAll(async () => {
    await closeApiUnderTest({ app, owner, context });
  });

  const server = () => app.getHttpServer();
  const newAddress = () => `203.0.113.${++addressCounter % 250}`;

  async function newUser(): Promise<{ id: string; email: string }> {
    const user = await identity.user({ passwordHash: oldPasswordHash });
    emails.push(user.email);
    return { id: user.id, email: user.email };
  }

  const ask = (email: string, address = newAddress()) => request(server()).post('/api/password-resets').set('X-Forwarded-For', address).send({ email });
  const complete = (token: string, password: string, address = newAddress()) =>
    request(server()).post('/api/password-resets/complete').set('X-Forwarded-For', address).send({ token, password });
  const signIn = (email: string, password: string) =>
    request(server()).post('/api/auth/sessions').set('X-Forwarded-For', newAddress()).send({ email, password });

  function sessionCookieOf(response: request.Response): string {
    const cookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
    return cookies.find((each) => each.startsWith('crossroads_session='))!.split(';')[0];
  }

  /** The reset links the notifier wrote for a user's resets, newest last. */
  async function deliveredTokens(userId: string): Promise<string[]> {
    const ids: Array<{ id: string }> = await ownerSql.query(`SELECT id FROM password_reset WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
    return ids.map(({ id }) => {
      const lines = logs.entries().filter((entry) => entry.passwordResetId === id);
      expect(lines).toHaveLength(1);
      const match = /\/#\/password-resets\/([A-Za-z0-9_-]{43})$/.exec(String(lines[0].link));
      expect(match).not.toBeNull();
      return match![1];
    });
  }

  it('should answer 202 whether or not the email has an account, and send a link only for one that has', async () => {
    const user = await newUser();
    const before = logs.lines.length;
    const unknown = await ask('nobody-at-all@example.test').expect(202);
    expect(
      logs
        .entries()
        .slice(before)
        .filter((entry) => entry.notification !== undefined),
    ).toEqual([]);
    const known = await ask(user.email.toUpperCase()).expect(202);
    expect(known.body).toEqual(unknown.body);

    const [row] = await ownerSql.query(`SELECT token_hash, used_at, expires_at - created_at AS lifetime FROM password_reset WHERE user_id = $1`, [user.id]);
    const [token] = await deliveredTokens(user.id);
    expect(row.token_hash.equals(sessionTokenHash(token))).toBe(true);
    expect(row.used_at).toBeNull();
    expect(row.lifetime).toMatchObject({ hours: 1 });
    const [line] = logs.entries().filter((entry) => entry.notification === 'password_reset');
    expect(line).toMatchObject({ level: 'info', context: 'LoggingNotifier', passwordResetId: expect.any(String), expiresAt: expect.any(String) });
    expect(JSON.stringify(line)).not.toContain(user.email);
    const [{ resets }] = await ownerSql.query(`SELECT count(*)::int AS resets FROM password_reset`);
    expect(resets).toBe(1);
  });

  it('should set the new password once, sign out every open session, void the other links, and audit it', async () => {
    const user = await newUser();
    const first = sessionCookieOf(await signIn(user.email, OLD_PASSWORD).expect(201));
    const second = sessionCookieOf(await signIn(user.email, OLD_PASSWORD).expect(201));
    await ask(user.email).expect(202);
    await ask(user.email).expect(202);
    const [olderToken, newerToken] = await deliveredTokens(user.id);

    await complete(newerToken, NEW_PASSWORD).expect(204);

    for (const cookie of [first, second]) await request(server()).get('/api/auth/sessions/current').set('Cookie', cookie).expect(401);
    const sessions = await ownerSql.query(`SELECT revoked_at IS NOT NULL AS revoked FROM user_session WHERE user_id = $1`, [user.id]);
    expect(sessions).toEqual([{ revoked: true }, { revoked: true }]);
    await signIn(user.email, OLD_PASSWORD).expect(401);
    await signIn(user.email, NEW_PASSWORD).expect(201);

    const reused = await complete(newerToken, 'yet another passphrase').expect(404);
    expect(reused.body.message).toBe('This password reset link is unknown, already used or expired; ask for a new one');
    await complete(olderToken, 'yet another passphrase').expect(404);
    await signIn(user.email, NEW_PASSWORD).expect(201);

    const audit = await ownerSql.query(`SELECT actor_user_id, alliance_id, details FROM audit_event WHERE action = 'password.reset' AND subject_id = $1`, [
      user.id,
    ]);
    expect(audit).toEqual([{ actor_user_id: user.id, alliance_id: null, details: { passwordResetId: expect.any(String), sessionsRevoked: 2 } }]);
  });

  it('should refuse an expired link, an unknown one and a malformed one, changing nothing', async () => {
    const user = await newUser();
    await ask(user.email).expect(202);
    const [token] = await deliveredTokens(user.id);
    await ownerSql.query(`UPDATE password_reset SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE user_id = $1`, [
      user.id,
    ]);
    await complete(token, NEW_PASSWORD).expect(404);
    await complete('C'.repeat(43), NEW_PASSWORD).expect(404);
    const malformed = await complete('not-a-token', NEW_PASSWORD).expect(400);
    expect(malformed.body.message).toBe('token must be the secret from the password reset link');
    await signIn(user.email, OLD_PASSWORD).expect(201);
  });

  it('should let only one of two uses of a link at once set a password', async () => {
    const user = await newUser();
    await ask(user.email).expect(202);
    const [token] = await deliveredTokens(user.id);
    const statuses = (await Promise.all([complete(token, NEW_PASSWORD), complete(token, 'the competing passphrase')])).map((response) => response.status);
    expect(statuses.sort()).toEqual([204, 404]);
  });

  it('should answer 400 naming the field for a short password or a malformed email, and leave the link open', async () => {
    const user = await newUser();
    await ask(user.email).expect(202);
    const [token] = await deliveredTokens(user.id);
    const short = await complete(token, 'too short').expect(400);
    expect(short.body.message).toBe('password must be 12 to 1024 characters');
    expect((await ask('not an email').expect(400)).body.message).toBe('email must be an email address');
    expect((await request(server()).post('/api/password-resets').send({}).expect(400)).body.message).toMatch(/email/);
    await complete(token, NEW_PASSWORD).expect(204);
  });

  it('should let someone locked out of sign-in ask for a link and sign in with the new password', async () => {
    const user = await newUser();
    for (let attempt = 0; attempt < ACCOUNT_FAILURES_ALLOWED; attempt += 1) await signIn(user.email, 'a wrong guess').expect(401);
    await signIn(user.email, OLD_PASSWORD).expect(429);
    await ask(user.email).expect(202);
    const [token] = await deliveredTokens(user.id);
    await complete(token, NEW_PASSWORD).expect(204);
    await signIn(user.email, NEW_PASSWORD).expect(201);
  });

  it('should limit requests per address, across asking and completing, and not other addresses', async () => {
    const address = '192.0.2.99';
    for (let attempt = 0; attempt < ADDRESS_ATTEMPTS_ALLOWED; attempt += 1) {
      if (attempt % 2 === 0) await ask(`someone-${attempt}@example.test`, address).expect(202);
      else await complete('D'.repeat(43), NEW_PASSWORD, address).expect(404);
    }
    const limited = await ask('someone@example.test', address).expect(429);
    expect(limited.body).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await complete('D'.repeat(43), NEW_PASSWORD, address).expect(429);
    await ask('someone@example.test', '192.0.2.100').expect(202);
  });

  it('should never write an email or a password to the logs, and a link secret only in the notifier\u2019s line', async () => {
    const user = await newUser();
    await ask(user.email).expect(202);
    const [token] = await deliveredTokens(user.id);
    await complete(token, NEW_PASSWORD).expect(204);
    const everything = logs.lines.join('\n');
    for (const email of emails) expect(everything).not.toContain(email);
    expect(everything).not.toContain(NEW_PASSWORD);
    expect(everything).not.toContain(OLD_PASSWORD);
    const carrying = logs.entries().filter((entry) => JSON.stringify(entry).includes(token));
    expect(carrying).toEqual([expect.objectContaining({ context: 'LoggingNotifier', notification: 'password_reset' })]);
  });
});
