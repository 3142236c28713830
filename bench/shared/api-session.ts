import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Client } from 'pg';
import { ARGON2ID_PARAMETERS } from '@app/identity';

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

/** A user with one membership, written as the owner (the api could not write it), with a random password. */
export async function createBenchUser(
  owner: Client,
  membership: { readonly allianceId: string; readonly organizationId: string | null; readonly role: 'data_lead' | 'anchor_lead' },
): Promise<Credentials> {
  const credentials = {
    email: `${membership.role.replace('_', '-')}-${randomBytes(4).toString('hex')}@bench.test`,
    password: randomBytes(12).toString('base64url'),
  };
  await owner.query(
    `WITH inserted AS (INSERT INTO app_user (email, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id)
     INSERT INTO membership (user_id, alliance_id, organization_id, role) SELECT id, $4, $5, $6 FROM inserted`,
    [
      credentials.email,
      `Bench ${membership.role}`,
      await hash(credentials.password, ARGON2ID_PARAMETERS),
      membership.allianceId,
      membership.organizationId,
      membership.role,
    ],
  );
  return credentials;
}

/** A signed-in user of the api: the session cookie on every request, the anti-CSRF token on every change. */
export class ApiSession {
  private constructor(
    private readonly origin: string,
    /** The `Cookie` header that carries the session. */
    readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async signIn(origin: string, credentials: Credentials): Promise<ApiSession> {
    const response = await fetch(`${origin}/api/auth/sessions`, {
      method: 'POST',
      // A made-up address per sign-in (the api trusts X-Forwarded-For from loopback), so runs in a row never meet the per-address limit.
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${randomBytes(3).join('.')}` },
      body: JSON.stringify(credentials),
    });
    if (response.status !== 201) throw new Error(`signing in ${credentials.email} answered ${response.status}: ${await response.text()}`);
    const cookie = response.headers.getSetCookie().find((each) => each.startsWith('crossroads_session='));
    if (cookie === undefined) throw new Error('signing in set no crossroads_session cookie');
    return new ApiSession(origin, cookie.split(';')[0], ((await response.json()) as { csrfToken: string }).csrfToken);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path, undefined, 200);
  }

  post<T>(path: string, body: object, expected: number): Promise<T> {
    return this.request<T>('POST', path, body, expected);
  }

  private async request<T>(method: string, path: string, body: object | undefined, expected: number): Promise<T> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': this.csrfToken }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as T;
    if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }
}
