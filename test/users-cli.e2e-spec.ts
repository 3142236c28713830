import { spawnSync } from 'node:child_process';
import { verify } from '@node-rs/argon2';
import { isolatedProcessEnvironment } from '@app/config';
import { sessionTokenHash } from '@app/identity';
import { createTestContext, type TestContext, withAdminClient } from '@app/testing';

const PASSWORD = 'an operator-set passphrase';

describe('the cli: users create', () => {
  let context: TestContext;
  let allianceId: string;
  const slug = 'cli-users';

  beforeAll(async () => {
    context = await createTestContext();
    [{ id: allianceId }] = await sql<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ($1, 'CLI Users Alliance') RETURNING id`, [slug]);
    const [{ id: anchor }] = await sql<{ id: string }>(
      `INSERT INTO organization (alliance_id, kind, slug, name, region_counties) VALUES ($1, 'anchor', 'east-bay', 'East Bay', '{Alameda}') RETURNING id`,
      [allianceId],
    );
    await sql(`INSERT INTO organization (alliance_id, kind, parent_anchor_id, slug, name) VALUES ($1, 'member', $2, 'oakland-tenants', 'Oakland Tenants')`, [
      allianceId,
      anchor,
    ]);
    // A second alliance, so --alliance matters and an unknown one is refused.
    await sql(`INSERT INTO alliance (slug, name) VALUES ('cli-other', 'Other')`);
  });

  afterAll(() => context.dispose());

  const cli = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'users', 'create', '--alliance', slug, ...args], {
      env: isolatedProcessEnvironment({
        DATABASE_URL: context.config.database.url,
        REDIS_URL: context.config.redis.url,
        QUEUE_PREFIX: context.config.queue.prefix,
      }),
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
  const lastJsonLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;

  async function sql<T = Record<string, unknown>>(text: string, parameters: unknown[] = []): Promise<T[]> {
    return withAdminClient(context.config.database.url!, async (client) => (await client.query(text, parameters)).rows as T[]);
  }

  async function membershipsOf(email: string): Promise<Array<{ organization: string | null; role: string }>> {
    return sql(
      `SELECT o.slug AS organization, m.role FROM membership m JOIN app_user u ON u.id = m.user_id LEFT JOIN organization o ON o.id = m.organization_id
        WHERE u.email = $1 ORDER BY o.slug NULLS FIRST, m.role`,
      [email],
    );
  }

  it('should create a user with the password read from stdin, print one JSON line, and never echo the password', async () => {
    const result = cli(
      ['--email', 'Lead@Example.test', '--org', 'oakland-tenants', '--role', 'org_lead', '--name', 'Lena Ortiz', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(lastJsonLine(result.stdout)).toEqual({
      userId: expect.any(String),
      email: 'lead@example.test',
      alliance: slug,
      organization: 'oakland-tenants',
      role: 'org_lead',
      userCreated: true,
      membershipCreated: true,
      password: 'set',
    });
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    const [user] = await sql<{ display_name: string; password_hash: string }>(`SELECT display_name, password_hash FROM app_user WHERE email = $1`, [
      'lead@example.test',
    ]);
    expect(user.display_name).toBe('Lena Ortiz');
    expect(await verify(user.password_hash, PASSWORD)).toBe(true);
    expect(await membershipsOf('lead@example.test')).toEqual([{ organization: 'oakland-tenants', role: 'org_lead' }]);
    const audit = await sql(`SELECT actor_user_id, details FROM audit_event WHERE action = 'membership.created' AND alliance_id = $1`, [allianceId]);
    expect(audit).toContainEqual({
      actor_user_id: null,
      details: { userId: lastJsonLine(result.stdout).userId, organizationId: expect.any(String), role: 'org_lead', via: 'cli' },
    });
  });

  it('should, without --password-stdin, send a one-time reset link through the notifier (stderr), never the email', async () => {
    const result = cli(['--email', 'admin@example.test', '--role', 'alliance_admin']);
    expect(result.status).toBe(0);
    const printed = lastJsonLine(result.stdout);
    expect(printed).toMatchObject({
      email: 'admin@example.test',
      organization: null,
      role: 'alliance_admin',
      userCreated: true,
      password: 'reset_link_sent',
      passwordResetId: expect.any(String),
      passwordResetExpiresAt: expect.any(String),
    });
    const notices = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(notices).toEqual([
      expect.objectContaining({ context: 'LoggingNotifier', notification: 'password_reset', passwordResetId: printed.passwordResetId }),
    ]);
    expect(result.stderr).not.toContain('admin@example.test');
    const token = /\/#\/password-resets\/([A-Za-z0-9_-]{43})$/.exec(String(notices[0].link))![1];
    const [reset] = await sql<{ token_hash: Buffer; used_at: Date | null }>(`SELECT token_hash, used_at FROM password_reset WHERE id = $1`, [
      printed.passwordResetId,
    ]);
    expect(reset.token_hash.equals(sessionTokenHash(token))).toBe(true);
    expect(reset.used_at).toBeNull();
    const [user] = await sql<{ display_name: string; password_hash: string | null }>(`SELECT display_name, password_hash FROM app_user WHERE email = $1`, [
      'admin@example.test',
    ]);
    expect(user).toEqual({ display_name: 'admin', password_hash: null });
    expect(await membershipsOf('admin@example.test')).toEqual([{ organization: null, role: 'alliance_admin' }]);
  });

  it('should update an existing user: same membership again changes nothing, a new role adds one, a new password replaces the old', async () => {
    const again = cli(['--email', 'lead@example.test', '--org', 'oakland-tenants', '--role', 'org_lead', '--password-stdin'], PASSWORD);
    expect(lastJsonLine(again.stdout)).toMatchObject({ userCreated: false, membershipCreated: false, password: 'set' });
    const [{ display_name }] = await sql<{ display_name: string }>(`SELECT display_name FROM app_user WHERE email = 'lead@example.test'`);
    expect(display_name).toBe('Lena Ortiz');

    const anchorLead = cli(
      ['--email', 'lead@example.test', '--org', 'east-bay', '--role', 'anchor_lead', '--name', 'Lena O.', '--password-stdin'],
      'a replacement passphrase',
    );
    expect(anchorLead.status).toBe(0);
    expect(lastJsonLine(anchorLead.stdout)).toMatchObject({ userCreated: false, membershipCreated: true });
    expect(await membershipsOf('lead@example.test')).toEqual([
      { organization: 'east-bay', role: 'anchor_lead' },
      { organization: 'oakland-tenants', role: 'org_lead' },
    ]);
    const [user] = await sql<{ display_name: string; password_hash: string }>(
      `SELECT display_name, password_hash FROM app_user WHERE email = 'lead@example.test'`,
    );
    expect(user.display_name).toBe('Lena O.');
    expect(await verify(user.password_hash, 'a replacement passphrase')).toBe(true);
  });

  it.each([
    [['--email', 'x@example.test', '--org', 'no-such-org', '--role', 'volunteer'], '--org: there is no organization "no-such-org" in the alliance cli-users'],
    [
      ['--email', 'x@example.test', '--org', 'oakland-tenants', '--role', 'captain'],
      '--role captain: the roles are alliance_admin, anchor_lead, org_lead, data_lead, volunteer',
    ],
    [['--email', 'not-an-email', '--org', 'oakland-tenants', '--role', 'volunteer'], '--email "not-an-email" is not an email address'],
    [['--email', 'x@example.test', '--role', 'volunteer'], '--org is needed: a volunteer belongs to an organization'],
    [['--email', 'x@example.test', '--org', 'east-bay', '--role', 'data_lead'], '--org must be left out for data_lead, which is held across the alliance'],
    [
      ['--email', 'x@example.test', '--org', 'oakland-tenants', '--role', 'anchor_lead'],
      '--role: anchor_lead is held in an anchor organization; "oakland-tenants" is a member one',
    ],
    [['--email', 'x@example.test', '--org', 'oakland-tenants', '--role', 'volunteer', '--name', ' '], '--name must be 1 to 200 characters'],
    [['--email', 'x@example.test', '--org', 'oakland-tenants', '--role', 'volunteer', '--alliance', 'nowhere'], '--alliance: There is no alliance "nowhere"'],
    [
      ['--email', 'x@example.test', '--org', 'oakland-tenants', '--role', 'volunteer', '--password-stdin'],
      '--password-stdin: the password read from stdin must be 12 to 1024 characters',
    ],
    [['--org', 'oakland-tenants', '--role', 'volunteer'], "required option '--email <email>' not specified"],
  ])('should exit 2 on %p naming the option, and create nothing', async (args, message) => {
    const result = cli(args, 'short\n');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    const [{ count }] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM app_user WHERE email = 'x@example.test'`);
    expect(count).toBe(0);
  });
});
