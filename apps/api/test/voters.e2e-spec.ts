import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { MembershipRole } from '@app/identity';
import { IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs, type TestContext } from '@app/testing';
import { VOTER_EXPORT_COLUMNS } from '@app/voter-file';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

interface VoterBody {
  id: string;
  firstName: string | null;
  lastName: string | null;
  residentialAddress: string | null;
  county: string | null;
  party: string;
  age: number | null;
  phones: Array<{ e164: string; lineType: string }>;
}

describe('GET /api/voters and /api/voters/export', () => {
  let context: TestContext;
  let app: INestApplication;
  const logs = new RecordingLogDestination();
  let slug: string;
  let otherSlug: string;
  let county: string;
  let mainId: string;
  let owner: INestApplicationContext;
  let lead: SignedInAgent;

  beforeAll(async () => {
    ({ context, owner, app } = await startApiUnderTest({ logDestination: logs }));
    const identity = new IdentityFactory(owner.get(DataSource));
    const main = await identity.alliance();
    const other = await identity.alliance();
    [slug, otherSlug, mainId] = [main.slug, other.slug, main.id];
    await importVoters(main.id, 6_000, 21);
    await importVoters(other.id, 300, 22);
    // A data lead of both alliances, so the alliance parameter matters.
    lead = await signInAs(server(), owner.get(DataSource), [
      { allianceId: main.id, organizationId: null, role: MembershipRole.DataLead },
      { allianceId: other.id, organizationId: null, role: MembershipRole.DataLead },
    ]);
    [{ county }] = await owner
      .get(DataSource)
      .query(`SELECT county FROM voter WHERE alliance_id = $1 AND active GROUP BY county ORDER BY count(*) DESC LIMIT 1`, [main.id]);
  }, 120_000);

  afterAll(async () => {
    await closeApiUnderTest({ app, owner, context });
  });

  const importVoters = (allianceId: string, rows: number, seed: number) => importSyntheticVoters(owner, context, { allianceId, rows, seed });

  const server = () => app.getHttpServer();

  it('should answer a page of voters with the total and a cursor that leads through every page once', async () => {
    const first = await lead.agent.get('/api/voters').query({ alliance: slug, county, party: 'democratic', limit: 40 }).expect(200);
    expect(first.body.voters).toHaveLength(40);
    expect(first.body.total).toBeGreaterThan(40);
    const voter: VoterBody = first.body.voters[0];
    expect(voter).toMatchObject({ id: expect.stringMatching(/^\d+$/), county, party: 'democratic' });
    expect(Object.keys(voter).sort()).toEqual(
      [
        'active',
        'age',
        'city',
        'county',
        'firstName',
        'id',
        'lastName',
        'middleName',
        'nameSuffix',
        'partyCode',
        'party',
        'phones',
        'precinct',
        'propensity',
        'raceEthnicity',
        'residentialAddress',
        'sourceVoterId',
        'zip5',
      ].sort(),
    );

    const ids: string[] = first.body.voters.map((each: VoterBody) => each.id);
    let cursor: string | null = first.body.nextCursor;
    while (cursor !== null) {
      const page = await lead.agent.get('/api/voters').query({ alliance: slug, county, party: 'democratic', limit: 40, after: cursor }).expect(200);
      expect(page.body.total).toBe(first.body.total);
      ids.push(...page.body.voters.map((each: VoterBody) => each.id));
      cursor = page.body.nextCursor;
    }
    expect(ids).toHaveLength(first.body.total);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should take lists comma-separated or repeated, and ANDs criteria', async () => {
    const counties = await lead.agent.get('/api/voters').query({ alliance: slug, county }).expect(200);
    const commaSeparated = await lead.agent
      .get(`/api/voters?alliance=${slug}&county=${county},NOWHERE&party=democratic,republican&ageMin=30&ageMax=60&hasPhone=true`)
      .expect(200);
    const repeated = await lead.agent
      .get(`/api/voters?alliance=${slug}&county=${county}&county=NOWHERE&party=democratic&party=republican&ageMin=30&ageMax=60&hasPhone=true`)
      .expect(200);
    expect(commaSeparated.body).toEqual(repeated.body);
    expect(commaSeparated.body.total).toBeGreaterThan(0);
    expect(commaSeparated.body.total).toBeLessThan(counties.body.total);
    for (const voter of commaSeparated.body.voters as VoterBody[]) {
      expect(['democratic', 'republican']).toContain(voter.party);
      expect(voter.age).toBeGreaterThanOrEqual(30);
      expect(voter.age).toBeLessThanOrEqual(60);
      expect(voter.phones.length).toBeGreaterThan(0);
    }
  });

  it("should keep each alliance's voters to itself", async () => {
    const other = await lead.agent.get('/api/voters').query({ alliance: otherSlug, limit: 500 }).expect(200);
    expect(other.body.total).toBeLessThanOrEqual(300);
    const main = await lead.agent.get('/api/voters').query({ alliance: slug, limit: 500 }).expect(200);
    const mainIds = new Set((main.body.voters as VoterBody[]).map((voter) => voter.id));
    expect((other.body.voters as VoterBody[]).some((voter) => mainIds.has(voter.id))).toBe(false);
  });

  it.each([
    [{ party: 'dem' }, 'party must be one of democratic, republican, unaffiliated, libertarian, green, other, unknown; got "dem"', { parameter: 'party' }],
    [{ ageMin: 'old' }, 'ageMin must be a whole number from 0 to 130; got "old"', { parameter: 'ageMin' }],
    [{ zip: '276' }, 'zip must be five-digit ZIP codes; got "276"', { parameter: 'zip' }],
    [{ hasPhone: 'maybe' }, 'hasPhone must be true or false; got "maybe"', { parameter: 'hasPhone' }],
    [{ limit: '0' }, 'limit must be a whole number from 1 to 500; got 0', { parameter: 'limit' }],
    [{ limit: '501' }, 'limit must be a whole number from 1 to 500; got 501', { parameter: 'limit' }],
    [{ limit: 'all' }, 'limit must be a whole number from 1 to 500', undefined],
    [{ after: 'bogus' }, 'after must be a nextCursor returned by an earlier search', { parameter: 'after' }],
    [{ colour: 'red' }, 'property colour should not exist', undefined],
  ])('should answer 400 naming the problem for %p', async (query, message, details) => {
    const response = await lead.agent
      .get('/api/voters')
      .query({ alliance: slug, ...query })
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'validation_failed', message });
    if (details) expect(response.body.details).toMatchObject(details);
  });

  it('should answer 404 for an unknown alliance and 400 when several exist and none is named', async () => {
    const unknown = await lead.agent.get('/api/voters').query({ alliance: 'no-such-alliance' }).expect(404);
    expect(unknown.body).toMatchObject({ code: 'not_found', message: expect.stringContaining('There is no alliance "no-such-alliance"') });
    const unnamed = await lead.agent.get('/api/voters').expect(400);
    expect(unnamed.body).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('several alliances') });
  });

  it('should stream the matching voters as a CSV download with exactly `total` rows after the header', async () => {
    const filters = { county, propensity: 'occasional,frequent' };
    const { body: page } = await lead.agent
      .get('/api/voters')
      .query({ alliance: slug, ...filters, limit: 1 })
      .expect(200);
    const response = await lead.agent
      .get('/api/voters/export')
      .query({ alliance: slug, ...filters })
      .expect(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="voters-${slug}-${today}.csv"`);
    const [header, ...rows] = parse(response.text) as string[][];
    expect(header).toEqual([...VOTER_EXPORT_COLUMNS]);
    expect(rows).toHaveLength(page.total);
    expect(new Set(rows.map((row) => row[VOTER_EXPORT_COLUMNS.indexOf('county')]))).toEqual(new Set([county]));
    // E.164 phones start with "+", which a spreadsheet would read as a formula: they come defused.
    const phones = rows.map((row) => row[VOTER_EXPORT_COLUMNS.indexOf('phone_1')]).filter((phone) => phone !== '');
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.every((phone) => /^'\+1\d{10}$/.test(phone))).toBe(true);
  });

  it('should export every voter of an alliance across several database batches', async () => {
    const response = await lead.agent.get('/api/voters/export').query({ alliance: slug }).expect(200);
    const { body: page } = await lead.agent.get('/api/voters').query({ alliance: slug, limit: 1 }).expect(200);
    expect(page.total).toBeGreaterThan(5_000);
    expect(parse(response.text)).toHaveLength(page.total + 1);
  });

  it('should refuse a bad export filter with a JSON 400 before any CSV is sent', async () => {
    const response = await lead.agent.get('/api/voters/export').query({ alliance: slug, raceEthnicity: 'latino' }).expect(400);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.body).toMatchObject({ code: 'validation_failed', details: { parameter: 'raceEthnicity' } });
    expect(response.headers['content-disposition']).toBeUndefined();
  });

  it('should write no name, address or phone to the logs', async () => {
    const { body } = await lead.agent.get('/api/voters').query({ alliance: slug, hasPhone: 'true', limit: 200 }).expect(200);
    await lead.agent.get('/api/voters/export').query({ alliance: slug, hasPhone: 'true' }).expect(200);
    const everything = logs.lines.join('');
    expect(logs.entries()).toContainEqual(expect.objectContaining({ message: 'voter export finished', rows: expect.any(Number) }));
    for (const voter of body.voters as VoterBody[]) {
      expect(everything).not.toContain(`${voter.firstName} ${voter.lastName}`);
      if (voter.residentialAddress) expect(everything).not.toContain(voter.residentialAddress);
      for (const phone of voter.phones) expect(everything).not.toContain(phone.e164.slice(2));
    }
  });

  it('should answer 401 without a session, and 403 to a volunteer, who never gets a list of voters', async () => {
    const anonymous = await request(server()).get('/api/voters').query({ alliance: slug }).expect(401);
    expect(anonymous.body).toMatchObject({ code: 'unauthenticated' });
    await request(server()).get('/api/voters/export').query({ alliance: slug }).expect(401);
    const identity = new IdentityFactory(owner.get(DataSource));
    const member = await identity.member(mainId, (await identity.anchor(mainId)).id);
    const volunteer = await signInAs(server(), owner.get(DataSource), [{ allianceId: mainId, organizationId: member.id, role: MembershipRole.Volunteer }]);
    for (const path of ['/api/voters', '/api/voters/export']) {
      const refused = await volunteer.agent.get(path).query({ alliance: slug }).expect(403);
      expect(refused.body).toMatchObject({ code: 'forbidden', message: expect.stringContaining('does not allow') });
    }
  });

  it('should record every export in the audit log, with the filter and without voter data', async () => {
    await lead.agent.get('/api/voters/export').query({ alliance: slug, county }).expect(200);
    const events: Array<{ actor_user_id: string; details: Record<string, unknown> }> = await owner
      .get(DataSource)
      .query(`SELECT actor_user_id, details FROM audit_event WHERE alliance_id = $1 AND action = 'voters.exported' ORDER BY id DESC LIMIT 1`, [mainId]);
    expect(events).toEqual([{ actor_user_id: lead.userId, details: { filter: { county } } }]);
  });

  it('should document both endpoints in the OpenAPI document', async () => {
    const { body } = await lead.agent.get('/api/docs-json').expect(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/voters', '/api/voters/export']));
    const parameters = (body.paths['/api/voters'].get.parameters as Array<{ name: string }>).map((parameter) => parameter.name);
    expect(parameters).toEqual(
      expect.arrayContaining([
        'alliance',
        'county',
        'precinct',
        'zip',
        'city',
        'party',
        'ageMin',
        'ageMax',
        'propensity',
        'raceEthnicity',
        'hasPhone',
        'after',
        'limit',
      ]),
    );
    expect(Object.keys(body.paths['/api/voters/export'].get.responses['200'].content)).toEqual(['text/csv']);
  });
});
