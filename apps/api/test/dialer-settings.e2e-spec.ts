import { DataSource } from 'typeorm';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { MembershipRole } from '@app/identity';
import { IdentityFactory, type SignedInAgent, signInAs } from '@app/testing';
import { type ApiUnderTest, closeApiUnderTest, startApiUnderTest } from './api-under-test';

const IDENTIFICATION = 'This was Fresno Neighbors calling about the election. Call us back at 559-555-0100.';

/**
 * A campaign's dialer settings through the api: power and predictive may be chosen, the pacing
 * settings and messages are read and written, bad values are refused with the field's name and
 * change nothing, and a predictive campaign never lacks its identification message.
 */
describe('campaign dialer settings (api, real PostgreSQL)', () => {
  let parts: Partial<ApiUnderTest> = {};
  let sql: DataSource;
  let lead: SignedInAgent;

  beforeAll(async () => {
    parts = await startApiUnderTest();
    sql = parts.owner!.get(DataSource);
    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    const anchor = await identity.anchor(alliance.id);
    const member = await identity.member(alliance.id, anchor.id);
    lead = await signInAs(parts.app!.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: member.id, role: MembershipRole.OrgLead }]);
  }, 120_000);

  afterAll(async () => {
    await closeApiUnderTest(parts);
  });

  function send(method: 'post' | 'put' | 'patch', path: string) {
    return lead.agent[method](path).set('X-CSRF-Token', lead.csrfToken);
  }
  const stored = async (id: string) => (await lead.agent.get(`/api/campaigns/${id}`).expect(200)).body;

  it('should create a predictive campaign with its pacing settings and messages, and read them back', async () => {
    const created = await send('post', '/api/campaigns')
      .send({
        slug: 'predictive',
        name: 'Predictive',
        dialMode: 'predictive',
        callsPerSecond: 2.5,
        maxLinesPerVolunteer: 6,
        powerLinesPerVolunteer: 2,
        abandonRateTarget: 0.02,
        identificationMessage: `  ${IDENTIFICATION}  `,
        voicemailMessage: 'Sorry we missed you. Call Fresno Neighbors at 559-555-0100.',
      })
      .expect(201);
    expect(created.body).toMatchObject({
      dialMode: 'predictive',
      callsPerSecond: 2.5,
      maxLinesPerVolunteer: 6,
      powerLinesPerVolunteer: 2,
      abandonRateTarget: 0.02,
      identificationMessage: IDENTIFICATION,
      voicemailMessage: 'Sorry we missed you. Call Fresno Neighbors at 559-555-0100.',
    });
    expect(await stored(created.body.id)).toMatchObject({ dialMode: 'predictive', abandonRateTarget: 0.02, identificationMessage: IDENTIFICATION });

    const defaults = await send('post', '/api/campaigns').send({ slug: 'defaults', name: 'Defaults', dialMode: 'power' }).expect(201);
    expect(defaults.body).toMatchObject({
      dialMode: 'power',
      callsPerSecond: 1,
      powerLinesPerVolunteer: 1,
      maxLinesPerVolunteer: 8,
      abandonRateTarget: 0.025,
      identificationMessage: null,
      voicemailMessage: null,
    });
  });

  it('should refuse a predictive campaign without an identification message, naming the field, and create nothing', async () => {
    const refused = await send('post', '/api/campaigns').send({ slug: 'silent', name: 'Silent', dialMode: 'predictive' }).expect(400);
    expect(refused.body.message).toMatch(/^identificationMessage: a predictive campaign needs an identification message/);
    expect(refused.body.details).toMatchObject({ field: 'identificationMessage' });
    expect(await sql.query(`SELECT 1 FROM campaign WHERE slug = 'silent'`)).toHaveLength(0);
  });

  it('should refuse each bad dialer setting with a 400 naming the field, and change nothing', async () => {
    const { body: campaign } = await send('post', '/api/campaigns').send({ slug: 'bounds', name: 'Bounds', dialMode: 'power' }).expect(201);
    const before = await stored(campaign.id);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ abandonRateTarget: 0.03 }, /abandonRateTarget must be above 0 and below 0\.03/],
      [{ abandonRateTarget: 0.031 }, /abandonRateTarget/],
      [{ abandonRateTarget: 0 }, /abandonRateTarget/],
      [{ abandonRateTarget: '0.02' }, /abandonRateTarget must be a number/],
      [{ callsPerSecond: 0 }, /callsPerSecond must be more than 0/],
      [{ callsPerSecond: 101 }, /callsPerSecond must be at most 100/],
      [{ powerLinesPerVolunteer: 2.5 }, /powerLinesPerVolunteer must be a whole number/],
      [{ powerLinesPerVolunteer: 5 }, /powerLinesPerVolunteer must be at most 4/],
      [{ powerLinesPerVolunteer: 0 }, /powerLinesPerVolunteer must be at least 1/],
      [{ maxLinesPerVolunteer: 0.5 }, /maxLinesPerVolunteer must be at least 1/],
      [{ maxLinesPerVolunteer: 21 }, /maxLinesPerVolunteer must be at most 20/],
      [{ identificationMessage: 'Too short' }, /identificationMessage: expected 10 to 500 characters, got 9/],
      [{ identificationMessage: 'x'.repeat(501) }, /identificationMessage must be at most 500 characters/],
      [{ identificationMessage: 42 }, /identificationMessage must be text/],
      [{ voicemailMessage: 'Bye' }, /voicemailMessage: expected 10 to 1000 characters/],
      [{ dialMode: 'turbo' }, /dialMode must be one of preview, power, predictive/],
      // One good field beside a bad one: nothing is saved, not even the good one.
      [{ callsPerSecond: 3, abandonRateTarget: 0.05 }, /abandonRateTarget/],
    ];
    for (const [body, message] of cases) {
      const refused = await send('patch', `/api/campaigns/${campaign.id}`).send(body).expect(400);
      expect({ body, message: refused.body.message }).toEqual({ body, message: expect.stringMatching(message) });
    }
    const after = await stored(campaign.id);
    expect(after).toEqual(before);
  });

  it('should update the dialer settings, switch modes, and keep a predictive campaign identified', async () => {
    const { body: campaign } = await send('post', '/api/campaigns').send({ slug: 'switch', name: 'Switch' }).expect(201);
    expect(campaign.dialMode).toBe('preview');

    // Preview to predictive without a message: refused, naming the message.
    const refused = await send('patch', `/api/campaigns/${campaign.id}`).send({ dialMode: 'predictive' }).expect(400);
    expect(refused.body.details).toMatchObject({ field: 'identificationMessage' });
    expect((await stored(campaign.id)).dialMode).toBe('preview');

    const predictive = await send('patch', `/api/campaigns/${campaign.id}`)
      .send({ dialMode: 'predictive', identificationMessage: IDENTIFICATION, abandonRateTarget: 0.0299, maxLinesPerVolunteer: 12.5, callsPerSecond: 0.5 })
      .expect(200);
    expect(predictive.body).toMatchObject({ dialMode: 'predictive', abandonRateTarget: 0.0299, maxLinesPerVolunteer: 12.5, callsPerSecond: 0.5 });

    // A predictive campaign may not lose its message, nor have it blanked.
    for (const identificationMessage of [null, '   ']) {
      const cleared = await send('patch', `/api/campaigns/${campaign.id}`).send({ identificationMessage }).expect(400);
      expect(cleared.body.details).toMatchObject({ field: 'identificationMessage' });
    }
    expect((await stored(campaign.id)).identificationMessage).toBe(IDENTIFICATION);

    // Back to power: the message may now go, and the voicemail message is cleared with null.
    const power = await send('patch', `/api/campaigns/${campaign.id}`)
      .send({ dialMode: 'power', identificationMessage: null, voicemailMessage: null, powerLinesPerVolunteer: 3 })
      .expect(200);
    expect(power.body).toMatchObject({ dialMode: 'power', identificationMessage: null, voicemailMessage: null, powerLinesPerVolunteer: 3 });
  });

  it('should activate power and predictive campaigns, which were preview-only before', async () => {
    for (const [slug, settings] of [
      ['go-power', { dialMode: 'power' }],
      ['go-predictive', { dialMode: 'predictive', identificationMessage: IDENTIFICATION }],
    ] as const) {
      const { body: campaign } = await send('post', '/api/campaigns')
        .send({ slug, name: slug, callerIds: ['+14155550123'], ...settings })
        .expect(201);
      await send('put', `/api/campaigns/${campaign.id}/script`).send({ script: DEFAULT_CALL_SCRIPT, surveyQuestions: DEFAULT_SURVEY_QUESTIONS }).expect(200);
      const active = await send('post', `/api/campaigns/${campaign.id}/status`).send({ status: 'active' }).expect(200);
      expect(active.body).toMatchObject({ status: 'active', dialMode: settings.dialMode });
      // The line-type progress of its (empty) call list is readable.
      expect((await lead.agent.get(`/api/campaigns/${campaign.id}/line-types`).expect(200)).body).toMatchObject({ total: 0, pending: 0 });
    }
  });
});
