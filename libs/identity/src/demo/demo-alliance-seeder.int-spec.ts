import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { createTestContext, IdentityFactory, type TestContext } from '@app/testing';
import { MembershipRole } from '../entities/membership-role.enum';
import { IdentityModule } from '../identity.module';
import { DemoAllianceSeeder } from './demo-alliance-seeder.service';

describe('DemoAllianceSeeder', () => {
  let context: TestContext;
  let app: INestApplicationContext;

  beforeAll(async () => {
    context = await createTestContext({ DEMO_PASSWORD: 'a-test-password' });
    app = await NestFactory.createApplicationContext(
      {
        module: class SeederTestModule {},
        imports: [
          CoreModule.forRoot({ config: context.config, endpoints: context.endpoints, serviceName: 'test', logDestination: new RecordingLogDestination() }),
          IdentityModule,
        ],
      },
      { logger: false },
    );
  });

  afterAll(async () => {
    await app.close();
    await context.dispose();
  });

  const count = async (sql: string): Promise<number> => ((await app.get(DataSource).query(sql)) as Array<{ count: number }>)[0].count;

  it('should seed 12 anchors, 27 members in 10 counties and one login per role, and change nothing when run again', async () => {
    const first = await app.get(DemoAllianceSeeder).seed();
    expect(first).toMatchObject({ alliance: 'california', anchors: 12, members: 27, counties: 10, password: 'a-test-password' });
    expect(first.logins.map((login) => login.role).sort()).toEqual(Object.values(MembershipRole).sort());

    const second = await app.get(DemoAllianceSeeder).seed();
    expect(second.anchors).toBe(12);
    expect(second.members).toBe(27);
    expect(await count('SELECT count(*)::int AS count FROM organization')).toBe(39);
    expect(await count('SELECT count(*)::int AS count FROM membership')).toBe(5);
    expect(await count(`SELECT count(DISTINCT c)::int AS count FROM organization, unnest(region_counties) AS c WHERE kind = 'anchor'`)).toBe(10);
    const hashes = (await app.get(DataSource).query('SELECT password_hash FROM app_user')) as Array<{ password_hash: string }>;
    expect(hashes.every((row) => row.password_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('should leave other alliances alone', async () => {
    const factory = new IdentityFactory(app.get(DataSource));
    const other = await factory.alliance({ slug: 'other-alliance' });
    const anchor = await factory.anchor(other.id);
    await factory.member(other.id, anchor.id);
    await app.get(DemoAllianceSeeder).seed();
    expect(await count(`SELECT count(*)::int AS count FROM organization WHERE alliance_id = '${other.id}'`)).toBe(2);
  });

  it('should refuse a member whose parent anchor belongs to another alliance', async () => {
    const factory = new IdentityFactory(app.get(DataSource));
    const first = await factory.alliance();
    const second = await factory.alliance();
    const foreignAnchor = await factory.anchor(first.id);
    await expect(factory.member(second.id, foreignAnchor.id)).rejects.toThrow(/organization_parent_fk/);
  });

  it('should refuse a member whose parent is another member', async () => {
    const factory = new IdentityFactory(app.get(DataSource));
    const alliance = await factory.alliance();
    const anchor = await factory.anchor(alliance.id);
    const member = await factory.member(alliance.id, anchor.id);
    await expect(factory.member(alliance.id, member.id)).rejects.toThrow(/organization_parent_fk/);
  });
});
