import { DomainErrorCode, DomainException } from '@app/common';
import { allianceWideAccess } from '@app/database';
import type { SegmentTaxonomyService } from '@app/segments';
import type { CampaignActor } from './campaign-actor';
import type { CampaignRecord, CampaignRepository, CampaignSettingsRow } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { DEFAULT_TEXTING_WINDOW } from './texting';

const ADMIN: CampaignActor = { userId: 'user-1', allianceId: 'alliance-1', allianceWide: true, actingOrganizations: [], ...allianceWideAccess('alliance-1') };

function campaignOf(fields: Partial<CampaignRecord>): CampaignRecord {
  return {
    id: 'campaign-1',
    allianceId: 'alliance-1',
    slug: 'fall',
    name: 'Fall',
    createdAt: new Date(),
    organizationId: null,
    channel: 'phone',
    dialMode: 'preview',
    status: 'draft',
    callerIds: ['+14155550123'],
    callingWindow: { startMinute: 540, endMinute: 1230 },
    retryPolicy: {},
    contactTarget: null,
    startsOn: null,
    endsOn: null,
    script: { startStepId: 'intro', steps: [] },
    surveyQuestions: [],
    scriptVersion: 1,
    updatedAt: new Date(),
    callsPerSecond: 1,
    powerLinesPerVolunteer: 1,
    maxLinesPerVolunteer: 8,
    abandonRateTarget: 0.025,
    identificationMessage: null,
    voicemailMessage: null,
    sendingNumbers: [],
    messagingServiceSid: null,
    initialMessage: null,
    cannedResponses: [],
    suppressTextedWithinDays: null,
    ...fields,
  };
}

const TEXT_CAMPAIGN = campaignOf({ channel: 'sms', callerIds: [], script: null, callingWindow: DEFAULT_TEXTING_WINDOW });
const INITIAL_MESSAGE = { template: 'Hi {voter.first_name|there}, this is {volunteer.first_name}. Will you vote?', variants: [] };

/** A repository holding one campaign, recording the moves and writes asked of it; a taxonomy of two segments. */
function serviceWith(campaign: CampaignRecord): { service: CampaignService; transition: jest.Mock; insert: jest.Mock; update: jest.Mock } {
  const transition = jest.fn(async () => ({ ...campaign, status: 'active' }));
  const insert = jest.fn(async (_alliance: string, _slug: string, _name: string, settings: CampaignSettingsRow) => ({ ...campaign, ...settings }));
  const update = jest.fn(async (_id: string, settings: CampaignSettingsRow) => ({ ...campaign, ...settings }));
  const repository = { findById: jest.fn(async () => campaign), transition, insert, update } as unknown as CampaignRepository;
  const taxonomies = {
    current: jest.fn(async () => ({ segments: [{ key: 'fiscal_base' }, { key: 'balanced_suburban' }] })),
  } as unknown as SegmentTaxonomyService;
  return { service: new CampaignService(repository, taxonomies), transition, insert, update };
}

/** The validation refusal `promise` rejects with; fails the test when it resolves or rejects with something else. */
async function refusalOf(promise: Promise<unknown>): Promise<DomainException> {
  const refusal = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(refusal instanceof DomainException)) throw new Error(`expected a DomainException, got ${String(refusal)}`);
  expect(refusal.code).toBe(DomainErrorCode.ValidationFailed);
  return refusal;
}

describe('CampaignService activation', () => {
  it('should activate power and predictive campaigns, not only preview ones', async () => {
    for (const campaign of [
      campaignOf({ dialMode: 'power' }),
      campaignOf({ dialMode: 'predictive', identificationMessage: 'This was Fresno Neighbors, call 559-555-0100' }),
    ]) {
      const { service, transition } = serviceWith(campaign);
      await expect(service.transition(ADMIN, campaign.id, 'activate')).resolves.toMatchObject({ status: 'active' });
      expect(transition).toHaveBeenCalledTimes(1);
    }
  });

  it('should refuse to activate a predictive campaign without an identification message, saying why, and move nothing', async () => {
    const { service, transition } = serviceWith(campaignOf({ dialMode: 'predictive', identificationMessage: null }));
    const refusal = await service.transition(ADMIN, 'campaign-1', 'activate').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainException);
    expect((refusal as DomainException).code).toBe(DomainErrorCode.ValidationFailed);
    expect((refusal as DomainException).message).toMatch(/cannot be activated: a predictive campaign needs an identification message/);
    expect(transition).not.toHaveBeenCalled();
  });
});

describe('CampaignService text campaigns', () => {
  it('should give a text campaign created without a window the texting default, 09:00-20:00, and store its settings', async () => {
    const { service, insert } = serviceWith(TEXT_CAMPAIGN);

    await service.createConfigured(ADMIN, 'texts', 'Texts', {
      channel: 'sms',
      sendingNumbers: ['+14155550123'],
      initialMessage: { template: `  ${INITIAL_MESSAGE.template}  ` },
      cannedResponses: [{ key: 'thanks', title: 'Thanks', body: 'Thank you, {voter.first_name}!' }],
      suppressTextedWithinDays: 7,
    });

    expect(insert.mock.calls[0][3]).toMatchObject({
      channel: 'sms',
      callingWindow: { startMinute: 9 * 60, endMinute: 20 * 60 },
      sendingNumbers: ['+14155550123'],
      initialMessage: { template: INITIAL_MESSAGE.template, variants: [] },
      cannedResponses: [{ key: 'thanks', title: 'Thanks', body: 'Thank you, {voter.first_name}!' }],
      suppressTextedWithinDays: 7,
    });
  });

  it('should fill a half-given window of a text campaign from the texting default, and keep a whole one', async () => {
    const { service, insert } = serviceWith(TEXT_CAMPAIGN);

    await service.createConfigured(ADMIN, 'late', 'Late', { channel: 'sms', callingWindow: { start: '10:00' } });
    await service.createConfigured(ADMIN, 'early', 'Early', { channel: 'sms', callingWindow: { start: '08:00', end: '21:00' } });

    expect(insert.mock.calls[0][3].callingWindow).toStrictEqual({ startMinute: 10 * 60, endMinute: 20 * 60 });
    expect(insert.mock.calls[1][3].callingWindow).toStrictEqual({ startMinute: 8 * 60, endMinute: 21 * 60 });
  });

  it('should leave a phone campaign created without a window to the phone default', async () => {
    const { service, insert } = serviceWith(campaignOf({}));

    await service.createConfigured(ADMIN, 'calls', 'Calls', {});
    await service.createConfigured(ADMIN, 'calls-half', 'Calls', { callingWindow: { start: '10:00' } });

    expect(insert.mock.calls[0][3].callingWindow).toBeUndefined();
    expect(insert.mock.calls[1][3].callingWindow).toStrictEqual({ startMinute: 10 * 60, endMinute: 20 * 60 + 30 });
  });

  it('should refuse texting settings on a phone campaign, naming each field, and write nothing', async () => {
    const { service, insert, update } = serviceWith(campaignOf({}));

    const created = await refusalOf(service.createConfigured(ADMIN, 'calls', 'Calls', { sendingNumbers: ['+14155550123'], suppressTextedWithinDays: 3 }));
    const updated = await refusalOf(service.update(ADMIN, 'campaign-1', { initialMessage: INITIAL_MESSAGE }));

    expect(created.message).toMatch(/^sendingNumbers: a texting setting, for sms campaigns only/);
    expect(created.details).toMatchObject({ field: 'sendingNumbers', fields: ['sendingNumbers', 'suppressTextedWithinDays'] });
    expect(updated.details).toMatchObject({ field: 'initialMessage' });
    expect(insert).not.toHaveBeenCalled();
    expect(update).not.toHaveBeenCalled();
  });

  it('should update only the texting settings sent', async () => {
    const { service, update } = serviceWith(campaignOf({ ...TEXT_CAMPAIGN, sendingNumbers: ['+14155550123'], initialMessage: INITIAL_MESSAGE }));

    await service.update(ADMIN, 'campaign-1', { messagingServiceSid: `MG${'ab'.repeat(16)}`, suppressTextedWithinDays: null });

    expect(update.mock.calls[0][1]).toStrictEqual(
      expect.objectContaining({
        messagingServiceSid: `MG${'ab'.repeat(16)}`,
        suppressTextedWithinDays: null,
        sendingNumbers: undefined,
        initialMessage: undefined,
      }),
    );
  });

  it('should refuse to change the channel of an existing campaign', async () => {
    const { service, update } = serviceWith(TEXT_CAMPAIGN);

    const refusal = await refusalOf(service.update(ADMIN, 'campaign-1', { channel: 'phone' }));

    expect(refusal.details).toMatchObject({ field: 'channel' });
    expect(update).not.toHaveBeenCalled();
    await expect(service.update(ADMIN, 'campaign-1', { channel: 'sms', name: 'Same channel' })).resolves.toBeDefined();
  });

  it('should check a variant of the initial message against the taxonomy’s segments', async () => {
    const { service, update } = serviceWith(TEXT_CAMPAIGN);
    const withVariant = (segmentKey: string) => ({ initialMessage: { ...INITIAL_MESSAGE, variants: [{ segmentKey, template: 'Hello {voter.first_name}' }] } });

    const refusal = await refusalOf(service.update(ADMIN, 'campaign-1', withVariant('surfers')));
    await service.update(ADMIN, 'campaign-1', withVariant('fiscal_base'));

    expect(refusal.message).toMatch(/^initialMessage\.variants\[0\]\.segmentKey: expected one of the taxonomy's segments \(fiscal_base, balanced_suburban\)/);
    expect(update).toHaveBeenCalledTimes(1);
  });

  it('should keep an active text campaign from losing its initial message or its last sender', async () => {
    const active = campaignOf({ ...TEXT_CAMPAIGN, status: 'active', initialMessage: INITIAL_MESSAGE, sendingNumbers: ['+14155550123'] });
    const { service, update } = serviceWith(active);

    const noMessage = await refusalOf(service.update(ADMIN, 'campaign-1', { initialMessage: null }));
    const noSender = await refusalOf(service.update(ADMIN, 'campaign-1', { sendingNumbers: [] }));
    await service.update(ADMIN, 'campaign-1', { sendingNumbers: [], messagingServiceSid: `MG${'0'.repeat(32)}` });

    expect(noMessage.details).toMatchObject({ field: 'initialMessage' });
    expect(noSender.message).toMatch(/^sendingNumbers: the campaign is active, so it needs at least one sending number/);
    expect(update).toHaveBeenCalledTimes(1);
  });

  it('should activate a text campaign with an initial message and a number or a messaging service to send from', async () => {
    for (const campaign of [
      campaignOf({ ...TEXT_CAMPAIGN, initialMessage: INITIAL_MESSAGE, sendingNumbers: ['+14155550123'] }),
      campaignOf({ ...TEXT_CAMPAIGN, initialMessage: INITIAL_MESSAGE, messagingServiceSid: `MG${'0'.repeat(32)}` }),
    ]) {
      const { service, transition } = serviceWith(campaign);
      await expect(service.transition(ADMIN, campaign.id, 'activate')).resolves.toMatchObject({ status: 'active' });
      expect(transition).toHaveBeenCalledTimes(1);
    }
  });

  it('should refuse to activate a text campaign without an initial message or a sender, naming what is missing, and move nothing', async () => {
    const cases: Array<[Partial<CampaignRecord>, string[]]> = [
      [{}, ['initialMessage', 'sendingNumbers']],
      [{ sendingNumbers: ['+14155550123'] }, ['initialMessage']],
      [{ initialMessage: INITIAL_MESSAGE }, ['sendingNumbers']],
    ];
    for (const [fields, missing] of cases) {
      const { service, transition } = serviceWith(campaignOf({ ...TEXT_CAMPAIGN, ...fields }));
      const refusal = await refusalOf(service.transition(ADMIN, 'campaign-1', 'activate'));
      expect(refusal.details).toMatchObject({ field: missing[0], fields: missing });
      for (const field of missing) expect(refusal.message).toContain(`(${field})`);
      expect(transition).not.toHaveBeenCalled();
    }
  });
});
