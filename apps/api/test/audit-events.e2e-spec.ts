import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AUDIT_PAGE_SIZE, MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { IdentityFactory, type SignedInAgent, signInAs, type TestContext } from '@app/testing';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

interface EventBody {
  id: string;
  action: string;
  actorUserId: string | null;
  actorEmail: string | null;
  details: Record<string, unknown>;
}

describe('GET /api/audit-events', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let app: INestApplication;
  let sql: DataSource;
  let alliance: { id: string; slug: string };
  let admin: SignedInAgent;
  let dataLead: SignedInAgent;
  let outsider: SignedInAgent;

  beforeAll(async () => {
    ({ context, owner, app } = await startApiUnderTest({ logDestination: new RecordingLogDestination() }));
    sql = owner.get(DataSource);
    const identity = new IdentityFactory(sql);
    alliance = await identity.alliance();
    const other = await identity.alliance();
    admin = await signInAs(app.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: null, role: MembershipRole.AllianceAdmin }]);
    dataLead = await signInAs(app.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: null, role: MembershipRole.DataLead }]);
    outsider = await signInAs(app.getHttpServer(), sql, [{ allianceId: other.id, organizationId: null, role: MembershipRole.AllianceAdmin }]);
  }, 60_000);

  afterAll(async () => {
    await closeApiUnderTest({ app, owner, context });
  });

  it("should show alliance admins their alliance's sensitive actions, its members' sign-ins, and nobody else's", async () => {
    await dataLead.agent.get('/api/voters/export').query({ alliance: alliance.slug, county: 'NOWHERE' }).expect(200);
    const { body } = await admin.agent.get('/api/audit-events').expect(200);
    const events = body.events as EventBody[];
    expect(events).toContainEqual(
      expect.objectContaining({ action: 'voters.exported', actorUserId: dataLead.userId, details: { filter: { county: 'NOWHERE' } } }),
    );
    expect(events).toContainEqual(expect.objectContaining({ action: 'session.signed_in', actorUserId: dataLead.userId, actorEmail: dataLead.email }));
    expect(events.map((event) => event.actorUserId)).not.toContain(outsider.userId);
    expect(events.map((event) => Number(event.id))).toEqual([...events.map((event) => Number(event.id))].sort((a, b) => b - a));
  });

  it('should refuse everyone but alliance admins, and answer another alliance as a missing one', async () => {
    await dataLead.agent.get('/api/audit-events').expect(403);
    await outsider.agent.get('/api/audit-events').query({ alliance: alliance.slug }).expect(404);
    await request(app.getHttpServer()).get('/api/audit-events').expect(401);
  });

  it('should page back through history with before, each event once', async () => {
    await sql.query(`INSERT INTO audit_event (alliance_id, actor_user_id, action) SELECT $1, $2, 'turf.assigned' FROM generate_series(1, $3)`, [
      alliance.id,
      admin.userId,
      AUDIT_PAGE_SIZE + 5,
    ]);
    const first = await admin.agent.get('/api/audit-events').expect(200);
    expect(first.body.events).toHaveLength(AUDIT_PAGE_SIZE);
    const second = await admin.agent.get('/api/audit-events').query({ before: first.body.nextCursor }).expect(200);
    const ids = [...first.body.events, ...second.body.events].map((event: EventBody) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const [{ total }] = await sql.query(
      `SELECT count(*)::int AS total FROM audit_event WHERE alliance_id = $1 OR (alliance_id IS NULL AND actor_user_id IN (SELECT user_id FROM membership WHERE alliance_id = $1))`,
      [alliance.id],
    );
    expect(ids).toHaveLength(total);
    await admin.agent.get('/api/audit-events').query({ before: 'yesterday' }).expect(400);
  });
});
