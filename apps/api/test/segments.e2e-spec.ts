import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { allianceWideAccess } from '@app/database';
import { MembershipRole } from '@app/identity';
import { DEFAULT_TAXONOMY, SegmentApplicationService, SegmentModelTrainingService } from '@app/segments';
import { loadVoterTruth, pollCsv, samplePoll } from '@app/segments/synthetic-poll';
import { IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs, type TestContext } from '@app/testing';
import { closeApiUnderTest, startApiUnderTest } from './api-under-test';

describe('segments api', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let app: INestApplication;
  let sql: DataSource;
  let alliance: { id: string; slug: string };
  let dataLead: SignedInAgent;
  let orgLead: SignedInAgent;
  let memberCounty: string;
  let memberId: string;
  let activeVoters: number;
  let poll: string;

  beforeAll(async () => {
    ({ context, owner, app } = await startApiUnderTest());
    sql = owner.get(DataSource);
    const identity = new IdentityFactory(sql);
    alliance = await identity.alliance();
    await importSyntheticVoters(owner, context, { allianceId: alliance.id, rows: 4000, seed: 81 });
    [{ county: memberCounty }] = await sql.query(`SELECT county FROM voter WHERE alliance_id = $1 GROUP BY county ORDER BY count(*) DESC LIMIT 1`, [
      alliance.id,
    ]);
    const anchor = await identity.anchor(alliance.id, { regionCounties: [memberCounty] });
    const member = await identity.member(alliance.id, anchor.id);
    memberId = member.id;
    [{ active: activeVoters }] = await sql.query(`SELECT count(*)::int AS active FROM voter WHERE alliance_id = $1 AND active`, [alliance.id]);
    dataLead = await signInAs(app.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: null, role: MembershipRole.DataLead }]);
    orgLead = await signInAs(app.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: member.id, role: MembershipRole.OrgLead }]);
    const pool = new Pool({ connectionString: context.endpoints.databaseUrl, max: 1 });
    try {
      poll = pollCsv(samplePoll(await loadVoterTruth(pool, alliance.id), 1500, 5).rows);
    } finally {
      await pool.end();
    }
  }, 120_000);

  afterAll(() => closeApiUnderTest({ context, owner, app }));

  const post = (agent: SignedInAgent, path: string) => agent.agent.post(path).set('X-CSRF-Token', agent.csrfToken);
  const put = (agent: SignedInAgent, path: string) => agent.agent.put(path).set('X-CSRF-Token', agent.csrfToken);
  const countRows = async (table: string): Promise<number> => (await sql.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  it('should serve the default taxonomy, save an edit as a new version, and refuse a bad one naming the field without writing anything', async () => {
    const first = await dataLead.agent.get('/api/segments/taxonomy');
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(1);
    expect(first.body.segments.map((segment: { key: string }) => segment.key)).toEqual(['pro_tax_base', 'aspiring_poc', 'balanced_suburbans', 'other']);

    const edited = DEFAULT_TAXONOMY.segments.map((segment) => (segment.key === 'other' ? { ...segment, name: 'Everyone else (renamed)' } : segment));
    const saved = await put(dataLead, '/api/segments/taxonomy').send({ segments: edited, valuesQuestions: DEFAULT_TAXONOMY.valuesQuestions });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);

    const bad = await put(dataLead, '/api/segments/taxonomy').send({ segments: [...edited, { ...edited[0] }], valuesQuestions: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.details.field).toBe('segments[4].key');
    expect(bad.body.message).toContain('used twice');
    expect((await dataLead.agent.get('/api/segments/taxonomy')).body.version).toBe(2);

    expect((await put(orgLead, '/api/segments/taxonomy').send({ segments: edited })).status).toBe(403);
  });

  it('should count a rule list live, first match wins, and save it as a ready model', async () => {
    const definition = {
      rules: [
        { segment: 'aspiring_poc', conditions: [{ field: 'raceEthnicity', values: ['black', 'hispanic'] }] },
        { segment: 'pro_tax_base', conditions: [{ field: 'party', values: ['democratic'] }] },
      ],
      fallbackSegment: 'other',
    };
    const counts = await post(dataLead, '/api/segment-models/rule-counts').send({ definition });
    expect(counts.status).toBe(200);
    const [expected] = await sql.query(
      `SELECT count(*) FILTER (WHERE race_ethnicity IN ('black', 'hispanic'))::int AS first,
              count(*) FILTER (WHERE race_ethnicity NOT IN ('black', 'hispanic') AND party = 'democratic')::int AS second
       FROM voter WHERE alliance_id = $1 AND active`,
      [alliance.id],
    );
    expect(counts.body.byRule).toEqual([expected.first, expected.second]);
    expect(counts.body.total).toBe(activeVoters);
    expect(counts.body.bySegment).toEqual({
      pro_tax_base: expected.second,
      aspiring_poc: expected.first,
      balanced_suburbans: 0,
      other: activeVoters - expected.first - expected.second,
    });
    expect(counts.body.rules[0]).toBe('race or ethnicity black or hispanic → Aspiring People of Color');

    const invalid = await post(dataLead, '/api/segment-models/rule-counts').send({
      definition: { rules: [{ segment: 'aspiring_poc', conditions: [{ field: 'age', min: 60, max: 30 }] }], fallbackSegment: 'other' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.field).toBe('rules[0].conditions[0]');

    const created = await post(dataLead, '/api/segment-models/rules').send({ name: 'Starter', definition });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'rules', status: 'ready', version: 1, active: false });
  });

  it.each([
    ['an empty file', '', 'empty'],
    ['a header without respondents', 'voter_id,segment\n', 'no respondents'],
    ['a missing column', 'voter,segment\n1,other\n', 'voter_id and segment'],
    ['an unknown segment', 'voter_id,segment\nA1,other\nA2,progressive_left\n', '"progressive_left" (line 3)'],
    ['a repeated voter', 'voter_id,segment\nA1,other\nA1,other\n', 'A1 (lines 2 and 3)'],
    ['voter ids of another file', 'voter_id,segment\n' + Array.from({ length: 100 }, (_, index) => `NOPE${index},other`).join('\n'), 'match no voter'],
  ])('should refuse a poll with %s, say why, and create no model', async (_label, csv, message) => {
    const before = await countRows('segment_model');
    const response = await post(dataLead, '/api/segment-models/trained').attach('poll', Buffer.from(csv), 'poll.csv');
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(message);
    expect(await countRows('segment_model')).toBe(before);
    expect(await countRows('segment_poll_response')).toBe(0);
  });

  it('should accept a poll, count unmatched rows, train once however often the job runs, and apply to every voter without duplicates', async () => {
    const withStrangers = `${poll.trimEnd()}\nSTRANGER1,other\nSTRANGER2,pro_tax_base\n`;
    const uploaded = await post(dataLead, '/api/segment-models/trained').field('name', 'Poll of 1,500').attach('poll', Buffer.from(withStrangers), 'poll.csv');
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({
      kind: 'trained',
      status: 'queued',
      poll: { rows: 1502, matched: 1500, unmatched: 2, unmatchedExamples: ['STRANGER1', 'STRANGER2'] },
    });
    expect(await countRows('segment_poll_response')).toBe(1502);

    const training = owner.get(SegmentModelTrainingService);
    const trained = await training.train(uploaded.body.id);
    expect(await training.train(uploaded.body.id)).toBeNull();
    expect(trained?.status).toBe('ready');
    const model = (await dataLead.agent.get(`/api/segment-models/${uploaded.body.id}`)).body;
    expect(model.evaluation.respondents).toBe(1500);
    expect(model.evaluation.model.accuracy).toBeGreaterThan(model.evaluation.baseline.accuracy);
    expect(model.evaluation.rules).toMatchObject({ name: 'Starter' });
    expect(model.evaluation.model.confusionMatrix.flat().reduce((sum: number, each: number) => sum + each, 0)).toBe(1500);
    expect(model.explanation.segments).toHaveLength(4);
    expect(model.explanation.segments[0].sentence).toMatch(/^Voters are more likely to be Pro-Tax & Fiscal Base when /);

    const applications = owner.get(SegmentApplicationService);
    for (let round = 0; round < 2; round += 1) {
      const requested = await post(dataLead, `/api/segment-models/${model.id}/applications`);
      expect(requested.status).toBe(202);
      const finished = await applications.run(requested.body.id);
      expect(await applications.run(requested.body.id)).toBeNull();
      expect(finished).toMatchObject({ status: 'succeeded', votersDone: activeVoters });
      const progress = (await dataLead.agent.get(`/api/segment-applications/${requested.body.id}`)).body;
      expect(Object.values(progress.distribution as Record<string, number>).reduce((sum, each) => sum + each, 0)).toBe(activeVoters);
      const [rows] = await sql.query(`SELECT count(*)::int AS total, count(DISTINCT voter_id)::int AS voters FROM segment_assignment WHERE model_id = $1`, [
        model.id,
      ]);
      expect(rows).toEqual({ total: activeVoters, voters: activeVoters });
    }
    const listed = (await dataLead.agent.get('/api/segment-models')).body.models;
    expect(listed.filter((each: { active: boolean }) => each.active).map((each: { id: string }) => each.id)).toEqual([model.id]);

    const exported = await dataLead.agent.get(`/api/segment-models/${model.id}/export`);
    expect(exported.status).toBe(200);
    const lines = exported.text.trimEnd().split('\n');
    expect(lines[0]).toBe('voter_id,segment,probability');
    expect(lines).toHaveLength(activeVoters + 1);
    expect((await orgLead.agent.get(`/api/segment-models/${model.id}/export`)).status).toBe(403);
  });

  it('should find voters by their segment under the active model, in search and in a turf count', async () => {
    const [{ aspiring, modelId }] = await sql.query(
      `SELECT count(*)::int AS aspiring, min(sa.model_id::text) AS "modelId" FROM segment_assignment sa JOIN segment_model m ON m.id = sa.model_id AND m.active
       JOIN voter v ON v.alliance_id = sa.alliance_id AND v.id = sa.voter_id AND v.active
       WHERE sa.alliance_id = $1 AND sa.segment_key IN ('aspiring_poc', 'pro_tax_base')`,
      [alliance.id],
    );
    expect(modelId).toEqual(expect.any(String));
    expect(aspiring).toBeGreaterThan(0);
    const found = await dataLead.agent.get('/api/voters').query({ segment: 'aspiring_poc,pro_tax_base', limit: 1 });
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(aspiring);
    const refused = await dataLead.agent.get('/api/voters').query({ segment: 'Aspiring POC' });
    expect(refused.status).toBe(400);
    expect(refused.body.details.parameter).toBe('segment');
    const admin = await signInAs(app.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: null, role: MembershipRole.AllianceAdmin }]);
    const counted = await post(admin, '/api/turfs/count').send({ filter: { segment: ['aspiring_poc', 'pro_tax_base'] } });
    expect(counted.body).toEqual({ total: aspiring });
  });

  it('should give each reader the distribution of the voters they may see', async () => {
    const [{ id: modelId }] = await sql.query(`SELECT id FROM segment_model WHERE alliance_id = $1 AND active`, [alliance.id]);
    const whole = (await dataLead.agent.get(`/api/segment-models/${modelId}/distribution`).query({ by: 'county' })).body;
    expect(whole.rows.reduce((sum: number, row: { total: number }) => sum + row.total, 0)).toBe(activeVoters);
    const own = (await orgLead.agent.get(`/api/segment-models/${modelId}/distribution`)).body;
    expect(own.rows).toEqual([]);
    expect((await dataLead.agent.get(`/api/segment-models/${modelId}/distribution`).query({ by: 'precinct' })).status).toBe(400);
  });

  it("should update a voter's segment by Bayes' rule from an answer, once per source reference, and explain it", async () => {
    const [{ id: voterId }] = await sql.query(`SELECT id::text FROM voter WHERE alliance_id = $1 AND active ORDER BY id LIMIT 1`, [alliance.id]);
    const before = (await dataLead.agent.get(`/api/voters/${voterId}/segment`)).body;
    expect(before.model.kind).toBe('trained');
    expect(before.explanation.sentences.length).toBeGreaterThan(0);
    expect(before.evidence).toEqual([]);
    const question = DEFAULT_TAXONOMY.valuesQuestions[0];
    const answer = question.answers[0];
    const answered = await post(dataLead, `/api/voters/${voterId}/values-answers`).send({
      questionKey: question.key,
      answerKey: answer.key,
      source: 'phone',
      sourceReference: 'attempt-1',
    });
    expect(answered.status).toBe(200);
    const keys = Object.keys(before.modelProbabilities);
    const unnormalised = keys.map((key) => before.modelProbabilities[key] * (answer.likelihoods[key] ?? 1));
    const total = unnormalised.reduce((sum, each) => sum + each, 0);
    keys.forEach((key, index) => expect(answered.body.probabilities[key]).toBeCloseTo(unnormalised[index] / total, 3));
    expect(answered.body.evidence).toEqual([expect.objectContaining({ questionKey: question.key, answerKey: answer.key, source: 'phone' })]);

    const repeated = await post(dataLead, `/api/voters/${voterId}/values-answers`).send({
      questionKey: question.key,
      answerKey: answer.key,
      source: 'phone',
      sourceReference: 'attempt-1',
    });
    expect(repeated.body.evidence).toHaveLength(1);
    expect(repeated.body.probabilities).toEqual(answered.body.probabilities);
    const [{ evidenceCount }] = await sql.query(`SELECT evidence_count AS "evidenceCount" FROM segment_assignment WHERE voter_id = $1 AND model_id = $2`, [
      voterId,
      before.model.id,
    ]);
    expect(evidenceCount).toBe(1);

    const unknown = await post(dataLead, `/api/voters/${voterId}/values-answers`).send({ questionKey: 'favourite_colour', answerKey: 'blue' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('is not a values question');
    // An organization that may not see the voter cannot read or change their segment.
    expect((await orgLead.agent.get(`/api/voters/${voterId}/segment`)).status).toBe(404);
    expect((await post(orgLead, `/api/voters/${voterId}/values-answers`).send({ questionKey: question.key, answerKey: answer.key })).status).toBe(404);
  });

  it("should show a volunteer the segment of a voter their organization's turf holds, and take their answer, but no other voter's", async () => {
    const [first, second] = await sql.query(`SELECT id::text FROM voter WHERE alliance_id = $1 AND active ORDER BY id DESC LIMIT 2`, [alliance.id]);
    const [{ id: campaignId }] = await sql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'calls', 'Calls') RETURNING id`, [alliance.id]);
    const [{ id: turfId }] = await sql.query(
      `INSERT INTO turf (alliance_id, name, filter, status, voter_count, materialized_at) VALUES ($1, 'One voter', '{}', 'materialized', 1, now()) RETURNING id`,
      [alliance.id],
    );
    const [{ id: assignmentId }] = await sql.query(
      `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count) VALUES ($1, $2, $3, $4, 1) RETURNING id`,
      [alliance.id, campaignId, turfId, memberId],
    );
    await sql.query(`INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id) VALUES ($1, $2, $3, $4, $5)`, [
      campaignId,
      first.id,
      alliance.id,
      memberId,
      assignmentId,
    ]);
    const volunteer = await signInAs(app.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: memberId, role: MembershipRole.Volunteer }]);
    const shown = await volunteer.agent.get(`/api/voters/${first.id}/segment`);
    expect(shown.status).toBe(200);
    expect(shown.body.segment.key).toEqual(expect.any(String));
    expect(shown.body.explanation.sentences.length).toBeGreaterThan(0);
    const question = DEFAULT_TAXONOMY.valuesQuestions[2];
    const answered = await post(volunteer, `/api/voters/${first.id}/values-answers`).send({
      questionKey: question.key,
      answerKey: question.answers[1].key,
      source: 'phone',
    });
    expect(answered.status).toBe(200);
    expect(answered.body.evidence).toHaveLength(1);
    expect((await volunteer.agent.get(`/api/voters/${second.id}/segment`)).status).toBe(404);
    // Still never a list.
    expect((await volunteer.agent.get('/api/voters')).status).toBe(403);
    expect((await volunteer.agent.get('/api/segment-models')).status).toBe(403);
  });

  it('should train the same model from the same poll and seed', async () => {
    const training = owner.get(SegmentModelTrainingService);
    const trainOnce = async (): Promise<{ definition: { coefficients: number[][]; intercepts: number[] }; evaluation: unknown }> => {
      const uploaded = await post(dataLead, '/api/segment-models/trained').field('seed', '42').attach('poll', Buffer.from(poll), 'poll.csv');
      expect(uploaded.status).toBe(202);
      const trained = await training.train(uploaded.body.id);
      return trained as unknown as { definition: { coefficients: number[][]; intercepts: number[] }; evaluation: unknown };
    };
    const [first, second] = [await trainOnce(), await trainOnce()];
    expect(second.definition.coefficients).toEqual(first.definition.coefficients);
    expect(second.definition.intercepts).toEqual(first.definition.intercepts);
    expect(second.evaluation).toEqual(first.evaluation);
    expect((first.evaluation as { seed: number }).seed).toBe(42);
  });

  it('should classify the new voters of a later import with the active model, keeping answers already recorded', async () => {
    const [{ id: modelId }] = await sql.query(`SELECT id FROM segment_model WHERE alliance_id = $1 AND active`, [alliance.id]);
    const second = await importSyntheticVoters(owner, context, { allianceId: alliance.id, rows: 500, seed: 82 });
    const applications = owner.get(SegmentApplicationService);
    const classified = await applications.classifyImport(alliance.id, second.id);
    expect(classified?.voters).toBe(second.inserted + second.updated);
    expect(await applications.classifyImport(alliance.id, second.id)).toEqual(classified);
    const [{ missing }] = await sql.query(
      `SELECT count(*)::int AS missing FROM voter v WHERE v.alliance_id = $1 AND v.active
         AND NOT EXISTS (SELECT 1 FROM segment_assignment sa WHERE sa.model_id = $2 AND sa.voter_id = v.id)`,
      [alliance.id, modelId],
    );
    expect(missing).toBe(0);
    const [{ withEvidence }] = await sql.query(`SELECT count(*)::int AS "withEvidence" FROM segment_assignment WHERE model_id = $1 AND evidence_count > 0`, [
      modelId,
    ]);
    expect(withEvidence).toBe(2);
    // The owner actor used by the cli and workers acts alliance-wide.
    expect(allianceWideAccess(alliance.id).rowScope.kind).toBe('alliance');
  });
});
