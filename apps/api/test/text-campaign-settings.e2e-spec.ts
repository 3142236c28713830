import { DataSource } from 'typeorm';
import { MembershipRole } from '@app/identity';
import { IdentityFactory, type SignedInAgent, signInAs } from '@app/testing';
import { type ApiUnderTest, closeApiUnderTest, startApiUnderTest } from './api-under-test';

const SID = 'MG0123456789abcdef0123456789ABCDEF';
const INITIAL_MESSAGE = {
  template: 'Hi {voter.first_name|there}, this is {volunteer.first_name} with {organization.name}. Can we count on your vote on Nov 3?',
  variants: [
    { segmentKey: 'pro_tax_base', template: 'Hi {voter.first_name|there}, Measure A funds schools by taxing wealth. Will you vote yes?' },
    { segmentKey: 'balanced_suburbans', template: 'Hi {voter.first_name|there}, Measure A keeps local schools strong. Will you vote yes?' },
  ],
};
const CANNED_RESPONSES = [
  { key: 'wrong_number', title: 'Wrong number', body: 'Sorry to bother you! We’ll take this number off our list.' },
  { key: 'thanks', title: 'Thanks', body: 'Thank you, {voter.first_name|friend}! Every vote counts.' },
];

/**
 * A text campaign's settings through the api: an org lead creates one with its sending numbers,
 * messaging service, initial message (with per-segment variants), canned responses and
 * suppression, reads them back and changes some; each bad value is refused with a 400 naming its
 * field and changes nothing; a phone campaign takes none of them; activation needs an initial
 * message and something to send from; only the leads who manage the campaign may do any of it.
 */
describe('text campaign settings (api, real PostgreSQL)', () => {
  let parts: Partial<ApiUnderTest> = {};
  let sql: DataSource;
  let lead: SignedInAgent;
  let volunteer: SignedInAgent;
  let otherLead: SignedInAgent;
  let otherAllianceLead: SignedInAgent;

  beforeAll(async () => {
    parts = await startApiUnderTest();
    sql = parts.owner!.get(DataSource);
    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    const anchor = await identity.anchor(alliance.id);
    const member = await identity.member(alliance.id, anchor.id);
    const otherMember = await identity.member(alliance.id, anchor.id);
    const otherAlliance = await identity.alliance();
    const otherAnchor = await identity.anchor(otherAlliance.id);
    const otherAllianceMember = await identity.member(otherAlliance.id, otherAnchor.id);
    const server = parts.app!.getHttpServer();
    lead = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: member.id, role: MembershipRole.OrgLead }]);
    volunteer = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: member.id, role: MembershipRole.Volunteer }]);
    otherLead = await signInAs(server, sql, [{ allianceId: alliance.id, organizationId: otherMember.id, role: MembershipRole.OrgLead }]);
    otherAllianceLead = await signInAs(server, sql, [{ allianceId: otherAlliance.id, organizationId: otherAllianceMember.id, role: MembershipRole.OrgLead }]);
  }, 120_000);

  afterAll(async () => {
    await closeApiUnderTest(parts);
  });

  function send(method: 'post' | 'put' | 'patch', path: string, as: SignedInAgent = lead) {
    return as.agent[method](path).set('X-CSRF-Token', as.csrfToken);
  }
  const stored = async (id: string) => (await lead.agent.get(`/api/campaigns/${id}`).expect(200)).body;
  const row = async (id: string) =>
    (
      await sql.query(
        `SELECT channel, status, sending_numbers, messaging_service_sid, initial_message, canned_responses, suppress_texted_within_days,
                calling_window_start::text, calling_window_end::text, updated_at
           FROM campaign WHERE id = $1`,
        [id],
      )
    )[0];
  const createTextCampaign = async (slug: string, settings: Record<string, unknown> = {}) =>
    (
      await send('post', '/api/campaigns')
        .send({ slug, name: slug, channel: 'sms', ...settings })
        .expect(201)
    ).body;

  it('should create a text campaign with every texting setting, and read them back', async () => {
    const created = await send('post', '/api/campaigns')
      .send({
        slug: 'fall-texts',
        name: 'Fall texts',
        channel: 'sms',
        sendingNumbers: ['+14155550123', '+15595550100'],
        messagingServiceSid: SID,
        initialMessage: { ...INITIAL_MESSAGE, template: `  ${INITIAL_MESSAGE.template}\n` },
        cannedResponses: CANNED_RESPONSES,
        suppressTextedWithinDays: 14,
      })
      .expect(201);
    const expected = {
      channel: 'sms',
      status: 'draft',
      sendingNumbers: ['+14155550123', '+15595550100'],
      messagingServiceSid: SID,
      initialMessage: INITIAL_MESSAGE,
      cannedResponses: CANNED_RESPONSES,
      suppressTextedWithinDays: 14,
      // the texting default: no window was sent
      callingWindow: { start: '09:00', end: '20:00' },
    };
    expect(created.body).toMatchObject(expected);
    expect(await stored(created.body.id)).toMatchObject(expected);
    expect(await row(created.body.id)).toMatchObject({
      sending_numbers: ['+14155550123', '+15595550100'],
      initial_message: INITIAL_MESSAGE,
      canned_responses: CANNED_RESPONSES,
      calling_window_start: '09:00:00',
      calling_window_end: '20:00:00',
    });

    // A window of its own is kept; a phone campaign keeps the phone default and empty texting settings.
    const windowed = await createTextCampaign('windowed', { callingWindow: { start: '10:00', end: '19:30' } });
    expect(windowed.callingWindow).toStrictEqual({ start: '10:00', end: '19:30' });
    const phone = (await send('post', '/api/campaigns').send({ slug: 'calls', name: 'Calls' }).expect(201)).body;
    expect(phone).toMatchObject({
      channel: 'phone',
      callingWindow: { start: '09:00', end: '20:30' },
      sendingNumbers: [],
      messagingServiceSid: null,
      initialMessage: null,
      cannedResponses: [],
      suppressTextedWithinDays: null,
    });
  });

  it('should update the settings sent and keep the others, and clear with null and []', async () => {
    const campaign = await createTextCampaign('partial', {
      sendingNumbers: ['+14155550123'],
      initialMessage: INITIAL_MESSAGE,
      cannedResponses: CANNED_RESPONSES,
      suppressTextedWithinDays: 7,
    });

    const updated = await send('patch', `/api/campaigns/${campaign.id}`)
      .send({ messagingServiceSid: SID, suppressTextedWithinDays: 30, initialMessage: { template: 'Hi {voter.first_name|there}!' } })
      .expect(200);
    expect(updated.body).toMatchObject({
      sendingNumbers: ['+14155550123'],
      messagingServiceSid: SID,
      initialMessage: { template: 'Hi {voter.first_name|there}!', variants: [] },
      cannedResponses: CANNED_RESPONSES,
      suppressTextedWithinDays: 30,
      callingWindow: { start: '09:00', end: '20:00' },
    });

    const cleared = await send('patch', `/api/campaigns/${campaign.id}`)
      .send({ messagingServiceSid: null, suppressTextedWithinDays: null, cannedResponses: [], initialMessage: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ sendingNumbers: ['+14155550123'], messagingServiceSid: null, suppressTextedWithinDays: null, cannedResponses: [] });
    expect(cleared.body.initialMessage).toBeNull();
    expect(await row(campaign.id)).toMatchObject({ initial_message: null, canned_responses: [] });
  });

  it('should refuse each bad texting setting with a 400 naming the field, and change nothing', async () => {
    const campaign = await createTextCampaign('bounds', {
      sendingNumbers: ['+14155550123'],
      initialMessage: INITIAL_MESSAGE,
      cannedResponses: CANNED_RESPONSES,
    });
    const before = await row(campaign.id);
    const variants = (...segmentKeys: string[]) => ({ ...INITIAL_MESSAGE, variants: segmentKeys.map((segmentKey) => ({ segmentKey, template: 'Hi!' })) });
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ sendingNumbers: ['+14155550123', '415-555-0100'] }, 'sendingNumbers[1]', /sendingNumbers\[1\]: expected a phone number in E\.164/],
      [{ sendingNumbers: ['+14155550123', '+15595550100', '+14155550123'] }, 'sendingNumbers[2]', /\+14155550123 is already sendingNumbers\[0\]/],
      [{ sendingNumbers: null }, 'sendingNumbers', /sendingNumbers: expected a list/],
      [{ messagingServiceSid: 'MG123' }, 'messagingServiceSid', /messagingServiceSid must be a Messaging Service SID/],
      [
        { initialMessage: { template: 'Hi {voter.nickname}!' } },
        'initialMessage.template',
        /initialMessage\.template: uses \{voter\.nickname\}, which is not a merge field/,
      ],
      [{ initialMessage: { template: 'x'.repeat(1_601) } }, 'initialMessage.template', /initialMessage\.template: expected 1 to 1600 characters, got 1601/],
      [{ initialMessage: 'Hi!' }, 'initialMessage', /initialMessage must be an object/],
      [
        { initialMessage: variants('pro_tax_base', 'aspiring_poc', 'pro_tax_base') },
        'initialMessage.variants[2].segmentKey',
        /initialMessage\.variants\[2\]\.segmentKey: "pro_tax_base" already has a variant in initialMessage\.variants\[0\]/,
      ],
      [{ initialMessage: variants('surfers') }, 'initialMessage.variants[0].segmentKey', /expected one of the taxonomy's segments \(pro_tax_base, /],
      [
        { initialMessage: { template: 'Hi', variants: [{ segmentKey: 'aspiring_poc', template: 'Hi {{voter.first_name}}' }] } },
        'initialMessage.variants[0].template',
        /initialMessage\.variants\[0\]\.template: writes \{\{voter\.first_name\}\} with double braces/,
      ],
      [
        { cannedResponses: [...CANNED_RESPONSES, { key: 'thanks', title: 'Again', body: 'Thanks again' }] },
        'cannedResponses[2].key',
        /cannedResponses\[2\]\.key: "thanks" is already the key of cannedResponses\[1\]/,
      ],
      [
        { cannedResponses: [{ key: 'long', title: 'x'.repeat(81), body: 'Hi' }] },
        'cannedResponses[0].title',
        /cannedResponses\[0\]\.title: expected 1 to 80 characters/,
      ],
      [
        { cannedResponses: [{ key: 'bad', title: 'Bad', body: 'Hi {texter.name}' }] },
        'cannedResponses[0].body',
        /cannedResponses\[0\]\.body: uses \{texter\.name\}/,
      ],
      [{ suppressTextedWithinDays: 0 }, 'suppressTextedWithinDays', /suppressTextedWithinDays must be at least 1 day/],
      [{ suppressTextedWithinDays: 366 }, 'suppressTextedWithinDays', /suppressTextedWithinDays must be at most 365 days/],
      [{ channel: 'phone' }, 'channel', /channel: a campaign's channel is chosen when it is created/],
      // One good setting beside a bad one: nothing is saved, not even the good one.
      [{ suppressTextedWithinDays: 3, sendingNumbers: ['+1415'] }, 'sendingNumbers[0]', /sendingNumbers\[0\]/],
    ];
    for (const [body, field, message] of cases) {
      const refused = await send('patch', `/api/campaigns/${campaign.id}`).send(body).expect(400);
      expect({ body, message: refused.body.message }).toEqual({ body, message: expect.stringMatching(message) });
      // The library names the field in its details; the request's validation names it in its message.
      expect({ body, named: refused.body.details?.field ?? refused.body.message }).toEqual({ body, named: expect.stringContaining(field) });
    }
    expect(await row(campaign.id)).toEqual(before);

    // A new campaign with a bad setting is not created at all.
    const refused = await send('post', '/api/campaigns')
      .send({ slug: 'never', name: 'Never', channel: 'sms', sendingNumbers: ['+1 415 555 0123'] })
      .expect(400);
    expect(refused.body.details).toMatchObject({ field: 'sendingNumbers[0]' });
    expect(await sql.query(`SELECT 1 FROM campaign WHERE slug = 'never'`)).toHaveLength(0);
  });

  it('should refuse texting settings on a phone campaign, naming the field, and change nothing', async () => {
    const refused = await send('post', '/api/campaigns')
      .send({ slug: 'phone-texts', name: 'Phone', channel: 'phone', initialMessage: INITIAL_MESSAGE })
      .expect(400);
    expect(refused.body.message).toMatch(/^initialMessage: a texting setting, for sms campaigns only; this campaign's channel is phone/);
    expect(refused.body.details).toMatchObject({ field: 'initialMessage' });
    expect(await sql.query(`SELECT 1 FROM campaign WHERE slug = 'phone-texts'`)).toHaveLength(0);

    const phone = (await send('post', '/api/campaigns').send({ slug: 'phone-only', name: 'Phone only' }).expect(201)).body;
    const before = await row(phone.id);
    for (const body of [{ sendingNumbers: ['+14155550123'] }, { suppressTextedWithinDays: 5 }, { cannedResponses: [] }, { channel: 'sms' }]) {
      const field = Object.keys(body)[0];
      const update = await send('patch', `/api/campaigns/${phone.id}`).send(body).expect(400);
      expect({ body, details: update.body.details }).toEqual({ body, details: expect.objectContaining({ field }) });
    }
    expect(await row(phone.id)).toEqual(before);
  });

  it('should activate a text campaign only with an initial message and a number or messaging service, naming what is missing', async () => {
    const bare = await createTextCampaign('bare');
    const activate = (id: string) => send('post', `/api/campaigns/${id}/status`).send({ status: 'active' });

    const refused = await activate(bare.id).expect(400);
    expect(refused.body.message).toMatch(
      /cannot be activated: it needs an initial message \(initialMessage\); it needs at least one sending number \(sendingNumbers\)/,
    );
    expect(refused.body.details).toMatchObject({ field: 'initialMessage', fields: ['initialMessage', 'sendingNumbers'] });

    await send('patch', `/api/campaigns/${bare.id}`).send({ initialMessage: INITIAL_MESSAGE }).expect(200);
    const noSender = await activate(bare.id).expect(400);
    expect(noSender.body.details).toMatchObject({ field: 'sendingNumbers', fields: ['sendingNumbers'] });
    expect((await row(bare.id)).status).toBe('draft');

    // A messaging service is enough to send from.
    await send('patch', `/api/campaigns/${bare.id}`).send({ messagingServiceSid: SID }).expect(200);
    expect((await activate(bare.id).expect(200)).body).toMatchObject({ status: 'active', channel: 'sms' });

    const numbered = await createTextCampaign('numbered', { sendingNumbers: ['+14155550123'] });
    expect((await activate(numbered.id).expect(400)).body.details).toMatchObject({ fields: ['initialMessage'] });
    await send('patch', `/api/campaigns/${numbered.id}`).send({ initialMessage: INITIAL_MESSAGE }).expect(200);
    expect((await activate(numbered.id).expect(200)).body.status).toBe('active');

    // Once active, it keeps what it texts with.
    const before = await row(numbered.id);
    for (const body of [{ initialMessage: null }, { sendingNumbers: [] }]) {
      const field = Object.keys(body)[0];
      const update = await send('patch', `/api/campaigns/${numbered.id}`).send(body).expect(400);
      expect({ body, details: update.body.details }).toEqual({ body, details: expect.objectContaining({ field }) });
    }
    expect(await row(numbered.id)).toEqual(before);
  });

  it('should let only the leads who manage the campaign create, read or change its texting settings', async () => {
    const campaign = await createTextCampaign('guarded', { sendingNumbers: ['+14155550123'] });
    const before = await row(campaign.id);

    for (const [who, status] of [
      [volunteer, 403],
      [otherLead, 403],
      // another alliance's campaign answers as a missing one
      [otherAllianceLead, 404],
    ] as const) {
      await send('patch', `/api/campaigns/${campaign.id}`, who)
        .send({ sendingNumbers: ['+15595550100'] })
        .expect(status);
      await who.agent.get(`/api/campaigns/${campaign.id}`).expect(status);
    }
    await send('post', '/api/campaigns', volunteer)
      .send({ slug: 'volunteer-texts', name: 'Mine', channel: 'sms', sendingNumbers: ['+14155550123'] })
      .expect(403);
    expect(await row(campaign.id)).toEqual(before);
    expect(await sql.query(`SELECT 1 FROM campaign WHERE slug = 'volunteer-texts'`)).toHaveLength(0);
  });
});
