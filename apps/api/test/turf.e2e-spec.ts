import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs, type TestContext } from '@app/testing';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

interface TurfBody {
  id: string;
  name: string;
  status: string;
  voterCount: number | null;
  parentTurfId: string | null;
}

describe('turf: cut, materialize, split, assign (/api/turfs, /api/turf-assignments)', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let sql: DataSource;
  let app: INestApplication;
  let county: string;
  let otherCounty: string;
  let alliance: { id: string; slug: string };
  let anchor: { id: string; slug: string };
  let members: Array<{ id: string; slug: string }>;
  let foreignMember: { id: string; slug: string };
  let admin: SignedInAgent;
  let anchorLead: SignedInAgent;
  let otherAnchorLead: SignedInAgent;
  let memberLead: SignedInAgent;
  let foreignLead: SignedInAgent;

  beforeAll(async () => {
    ({ context, owner, app } = await startApiUnderTest({ logDestination: new RecordingLogDestination() }));
    sql = owner.get(DataSource);
    const identity = new IdentityFactory(sql);
    alliance = await identity.alliance();
    await importSyntheticVoters(owner, context, { allianceId: alliance.id, rows: 4_000, seed: 41 });
    [{ county }, { county: otherCounty }] = await sql.query(
      `SELECT county FROM voter WHERE alliance_id = $1 GROUP BY county ORDER BY count(*) DESC, county LIMIT 2`,
      [alliance.id],
    );
    // The region is written as people type it; voter files store capitals.
    anchor = await identity.anchor(alliance.id, { regionCounties: [titleCase(county)] });
    const otherAnchor = await identity.anchor(alliance.id, { regionCounties: [otherCounty] });
    members = [await identity.member(alliance.id, anchor.id), await identity.member(alliance.id, anchor.id)];
    foreignMember = await identity.member(alliance.id, otherAnchor.id);
    await sql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'fall', 'Fall')`, [alliance.id]);
    const server = app.getHttpServer();
    const as = (organizationId: string | null, role: MembershipRole) => signInAs(server, sql, [{ allianceId: alliance.id, organizationId, role }]);
    admin = await as(null, MembershipRole.AllianceAdmin);
    anchorLead = await as(anchor.id, MembershipRole.AnchorLead);
    otherAnchorLead = await as(otherAnchor.id, MembershipRole.AnchorLead);
    memberLead = await as(members[0].id, MembershipRole.OrgLead);
    foreignLead = await as(foreignMember.id, MembershipRole.OrgLead);
  }, 120_000);

  afterAll(async () => {
    await closeApiUnderTest({ app, owner, context });
  });

  const post = (agent: SignedInAgent, path: string, body: object = {}) => agent.agent.post(path).set('X-CSRF-Token', agent.csrfToken).send(body);
  const inCounty = async (name: string) =>
    Number((await sql.query(`SELECT count(*) FROM voter WHERE alliance_id = $1 AND county = $2 AND active`, [alliance.id, name]))[0].count);
  async function materializedTurf(name: string, filter: object): Promise<TurfBody> {
    const created = await post(anchorLead, '/api/turfs', { name, filter }).expect(201);
    return (await post(anchorLead, `/api/turfs/${created.body.id as string}/materialize`).expect(200)).body as TurfBody;
  }

  it("should count a filter live inside the anchor's region, and refuse counties outside it or none at all", async () => {
    const counted = await post(anchorLead, '/api/turfs/count', { filter: { county: [county] } }).expect(200);
    expect(counted.body).toEqual({ total: await inCounty(county) });
    const narrower = await post(anchorLead, '/api/turfs/count', { filter: { county: county.toLowerCase(), party: ['democratic'], ageMin: 30 } }).expect(200);
    expect(narrower.body.total).toBeGreaterThan(0);
    expect(narrower.body.total).toBeLessThan(counted.body.total);

    const outside = await post(anchorLead, '/api/turfs/count', { filter: { county: [county, otherCounty] } }).expect(403);
    expect(outside.body).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining(`${otherCounty} is outside`),
      details: { outside: [otherCounty] },
    });
    const none = await post(anchorLead, '/api/turfs/count', { filter: { party: 'democratic' } }).expect(400);
    expect(none.body.details).toMatchObject({ parameter: 'filter.county' });
    // The alliance cuts anywhere.
    expect((await post(admin, '/api/turfs/count', { filter: { county: otherCounty } }).expect(200)).body.total).toBe(await inCounty(otherCounty));
  });

  it.each([
    [{ county: ["'; DROP TABLE voter; --"] }, 200, undefined],
    [{ county: ['x'.repeat(101)] }, 400, 'filter.county'],
    [{ precinct: ["1' OR '1'='1"] }, 200, undefined],
    [{ zip: ['2760'] }, 400, 'filter.zip'],
    [{ ageMin: 'forty' }, 400, 'filter.ageMin'],
    [{ hasPhone: 'perhaps' }, 400, 'filter.hasPhone'],
    [{ party: ['democratic', 'x'.repeat(10_000)] }, 400, 'filter.party'],
    [{ colour: 'red' }, 400, 'filter.colour'],
    [{ city: { $ne: null } }, 400, 'filter.city'],
  ])('should treat %p as data, never as SQL, and refuse what is malformed naming it', async (filter, status, parameter) => {
    const response = await post(admin, '/api/turfs/count', { filter: { county: [county], ...filter } }).expect(status);
    if (status === 200) expect(response.body.total).toBe(0);
    else expect(response.body).toMatchObject({ code: 'validation_failed', details: { parameter } });
    expect(await inCounty(county)).toBeGreaterThan(0);
  });

  it('should materialize once, and let neither a member nor another anchor change the turf', async () => {
    const turf = await materializedTurf('Whole county', { county: [county] });
    expect(turf).toMatchObject({ status: 'materialized', voterCount: await inCounty(county) });
    const [{ stored, misplaced }] = await sql.query(
      `SELECT count(*)::int AS stored, count(*) FILTER (WHERE tv.county IS DISTINCT FROM v.county OR tv.precinct IS DISTINCT FROM v.precinct)::int AS misplaced
         FROM turf_voter tv JOIN voter v ON v.alliance_id = tv.alliance_id AND v.id = tv.voter_id WHERE tv.turf_id = $1`,
      [turf.id],
    );
    expect({ stored, misplaced }).toEqual({ stored: turf.voterCount, misplaced: 0 });
    await post(anchorLead, `/api/turfs/${turf.id}/materialize`).expect(409);
    await post(memberLead, `/api/turfs/${turf.id}/materialize`).expect(403);
    await post(otherAnchorLead, `/api/turfs/${turf.id}/materialize`).expect(404);
    await otherAnchorLead.agent.get(`/api/turfs/${turf.id}`).expect(404);
  });

  it('should split into parts that keep precincts whole, or into equal parts', async () => {
    const turf = await materializedTurf('To split', { county: [county] });
    const byPrecinct = await post(anchorLead, `/api/turfs/${turf.id}/split`, { parts: 4, method: 'precinct' }).expect(201);
    const parts = byPrecinct.body.parts as TurfBody[];
    expect(parts).toHaveLength(4);
    expect(parts.reduce((sum, part) => sum + part.voterCount!, 0)).toBe(turf.voterCount);
    expect(parts.every((part) => part.parentTurfId === turf.id && part.voterCount! > 0)).toBe(true);
    const [{ shared }] = await sql.query(
      `SELECT count(*)::int AS shared FROM (
         SELECT v.precinct FROM turf_voter tv JOIN voter v ON v.alliance_id = tv.alliance_id AND v.id = tv.voter_id
          WHERE tv.turf_id = ANY($1::uuid[]) GROUP BY v.precinct HAVING count(DISTINCT tv.turf_id) > 1) s`,
      [parts.map((part) => part.id)],
    );
    expect(shared).toBe(0);
    await post(anchorLead, `/api/turfs/${turf.id}/split`, { parts: 2, method: 'equal' }).expect(409);

    const equal = (await post(anchorLead, `/api/turfs/${parts[0].id}/split`, { parts: 3, method: 'equal' }).expect(201)).body.parts as TurfBody[];
    const sizes = equal.map((part) => part.voterCount!);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(parts[0].voterCount);

    // As many parts as voters: more than the precincts they live in.
    const tooMany = await post(anchorLead, `/api/turfs/${parts[1].id}/split`, { parts: parts[1].voterCount, method: 'precinct' }).expect(400);
    expect(tooMany.body).toMatchObject({ details: { parameter: 'parts' }, message: expect.stringContaining('precincts') });
    await post(anchorLead, `/api/turfs/${parts[1].id}/split`, { parts: 1, method: 'equal' }).expect(400);
  });

  it('should give a voter to at most one organization per campaign: 409 with the count, then the rest on request', async () => {
    const turf = await materializedTurf('Contested', { county: [county] });
    const [half] = (await post(anchorLead, `/api/turfs/${turf.id}/split`, { parts: 2, method: 'equal' }).expect(201)).body.parts as TurfBody[];
    const first = await post(anchorLead, `/api/turfs/${half.id}/assignments`, { campaign: 'fall', organization: members[0].slug }).expect(201);
    expect(first.body).toMatchObject({ voterCount: half.voterCount, organization: { slug: members[0].slug }, endedAt: null });

    const conflict = await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'fall', organization: members[1].slug }).expect(409);
    expect(conflict.body).toMatchObject({
      code: 'conflict',
      details: { conflictingVoters: half.voterCount, assignableVoters: turf.voterCount! - half.voterCount! },
    });
    const [{ held }] = await sql.query(`SELECT count(*)::int AS held FROM turf_assignment_voter WHERE organization_id = $1`, [members[1].id]);
    expect(held).toBe(0);
    const rest = await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'fall', organization: members[1].slug, skipConflicts: true }).expect(
      201,
    );
    expect(rest.body.voterCount).toBe(turf.voterCount! - half.voterCount!);
    const again = await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'fall', organization: members[1].slug, skipConflicts: true }).expect(
      409,
    );
    expect(again.body.details).toEqual({ conflictingVoters: turf.voterCount, assignableVoters: 0 });

    // The member sees exactly its turf; a member of another anchor sees none of it.
    const seen = await memberLead.agent.get('/api/voters').query({ limit: 500 }).expect(200);
    expect(seen.body.total).toBe(half.voterCount);
    const [{ outside }] = await sql.query(
      `SELECT count(*)::int AS outside FROM unnest($1::bigint[]) AS id WHERE id NOT IN (SELECT voter_id FROM turf_voter WHERE turf_id = $2)`,
      [(seen.body.voters as Array<{ id: string }>).map((voter) => voter.id), half.id],
    );
    expect(outside).toBe(0);
    expect((await foreignLead.agent.get('/api/voters').expect(200)).body.total).toBe(0);
  });

  it('should let an anchor assign only its own turf to its own members, and only to members', async () => {
    const turf = await materializedTurf('Rules', { county: [county], party: ['republican'] });
    const foreign = await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'fall', organization: foreignMember.slug }).expect(403);
    expect(foreign.body.message).toContain("not one of your anchor's members");
    await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'fall', organization: anchor.slug }).expect(400);
    await post(otherAnchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'fall', organization: foreignMember.slug }).expect(404);
    await post(memberLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'fall', organization: members[0].slug }).expect(403);
    await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'no-such', organization: members[0].slug }).expect(404);
    // The alliance may assign any member (in a campaign where nobody holds these voters yet).
    await sql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'winter', 'Winter')`, [alliance.id]);
    const byAlliance = await post(admin, `/api/turfs/${turf.id}/assignments`, { campaign: 'winter', organization: foreignMember.slug }).expect(201);
    expect(byAlliance.body.voterCount).toBe(turf.voterCount);
    // Now the other anchor sees the turf (its member holds it) but may not change what it did not cut.
    await otherAnchorLead.agent.get(`/api/turfs/${turf.id}`).expect(200);
    const notTheirs = await post(otherAnchorLead, `/api/turfs/${turf.id}/split`, { parts: 2, method: 'equal' }).expect(403);
    expect(notTheirs.body.message).toContain('cut by another organization');
  });

  it('should keep history when unassigning and reassigning, and audit both', async () => {
    await sql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'spring', 'Spring')`, [alliance.id]);
    const turf = await materializedTurf('History', { county: [county], propensity: ['frequent'] });
    const assigned = await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'spring', organization: members[0].slug }).expect(201);
    const moved = await post(anchorLead, `/api/turf-assignments/${assigned.body.id as string}/reassign`, { organization: members[1].slug }).expect(201);
    expect(moved.body).toMatchObject({ organization: { slug: members[1].slug }, voterCount: turf.voterCount, endedAt: null });
    await anchorLead.agent
      .delete(`/api/turf-assignments/${moved.body.id as string}`)
      .set('X-CSRF-Token', anchorLead.csrfToken)
      .expect(200);
    await anchorLead.agent
      .delete(`/api/turf-assignments/${moved.body.id as string}`)
      .set('X-CSRF-Token', anchorLead.csrfToken)
      .expect(409);

    const history = await anchorLead.agent.get('/api/turf-assignments').query({ campaign: 'spring' }).expect(200);
    expect(history.body.assignments.map((each: { organization: { slug: string }; endReason: string }) => [each.organization.slug, each.endReason])).toEqual([
      [members[1].slug, 'unassigned'],
      [members[0].slug, 'reassigned'],
    ]);
    const [{ held }] = await sql.query(
      `SELECT count(*)::int AS held FROM turf_assignment_voter tav JOIN campaign c ON c.id = tav.campaign_id WHERE c.slug = 'spring'`,
    );
    expect(held).toBe(0);
    const actions: Array<{ action: string }> = await sql.query(
      `SELECT action FROM audit_event WHERE alliance_id = $1 AND action LIKE 'turf.%assigned' ORDER BY id`,
      [alliance.id],
    );
    expect(actions.map((row) => row.action)).toEqual(expect.arrayContaining(['turf.assigned', 'turf.reassigned', 'turf.unassigned']));
    // A member lead sees its own assignments' history, not other members'.
    const own = await memberLead.agent.get('/api/turf-assignments').query({ campaign: 'spring' }).expect(200);
    expect(own.body.assignments.map((each: { organization: { slug: string } }) => each.organization.slug)).toEqual([members[0].slug]);
  });

  it('should move an assignment once when two leads move it at the same moment, and tell the second it just ended', async () => {
    await sql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'summer', 'Summer')`, [alliance.id]);
    const turf = await materializedTurf('Race', { county: [county], propensity: ['occasional'] });
    const assigned = await post(anchorLead, `/api/turfs/${turf.id}/assignments`, { campaign: 'summer', organization: members[0].slug }).expect(201);
    const moves = await Promise.all(
      [0, 1].map(() => post(anchorLead, `/api/turf-assignments/${assigned.body.id as string}/reassign`, { organization: members[1].slug })),
    );
    expect(moves.map((move) => move.status).sort()).toEqual([201, 409]);
    const [{ current }] = await sql.query(
      `SELECT count(*)::int AS current FROM turf_assignment a JOIN campaign c ON c.id = a.campaign_id WHERE c.slug = 'summer' AND a.ended_at IS NULL`,
    );
    expect(current).toBe(1);
  });
});

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b\w/g, (letter) => letter.toUpperCase());
}
