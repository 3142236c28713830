import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ARGON2ID_PARAMETERS, type MembershipRole } from '@app/identity';
import { IdentityFactory } from './identity.factory';

type TestAgent = ReturnType<typeof request.agent>;

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export interface SignedInAgent {
  /** Carries the session cookie on every request it makes. */
  readonly agent: TestAgent;
  /** For the X-CSRF-Token header of requests that change something. */
  readonly csrfToken: string;
  /** The session cookie as a Cookie header, for clients other than the agent (a WebSocket). */
  readonly cookie: string;
  readonly userId: string;
  readonly email: string;
}

export interface MembershipGrant {
  readonly allianceId: string;
  readonly organizationId: string | null;
  readonly role: MembershipRole;
}

/**
 * A new user with the given memberships (written through `owner`, a data source outside the
 * api's row policies), signed in through the api's own sign-in route.
 */
export async function signInAs(server: Parameters<typeof request.agent>[0], owner: DataSource, grants: readonly MembershipGrant[]): Promise<SignedInAgent> {
  passwordHash ??= hash(TEST_PASSWORD, ARGON2ID_PARAMETERS);
  const identity = new IdentityFactory(owner);
  const email = `user-${randomBytes(5).toString('hex')}@example.test`;
  const user = await identity.user({ email, passwordHash: await passwordHash });
  for (const grant of grants) await identity.membership(user.id, grant.allianceId, grant.organizationId, grant.role);
  const agent = request.agent(server);
  // A made-up address per user, so the per-address sign-in limit never trips across a test file.
  const address = `10.${randomBytes(3).join('.')}`;
  const response = await agent.post('/api/auth/sessions').set('X-Forwarded-For', address).send({ email, password: TEST_PASSWORD });
  if (response.status !== 201) throw new Error(`signing in the test user failed: ${response.status} ${JSON.stringify(response.body)}`);
  const setCookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const cookie = setCookies.map((each) => each.split(';')[0]).join('; ');
  return { agent, csrfToken: (response.body as { csrfToken: string }).csrfToken, userId: user.id, email, cookie };
}
