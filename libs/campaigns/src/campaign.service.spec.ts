import { DomainErrorCode, DomainException } from '@app/common';
import { allianceWideAccess } from '@app/database';
import type { CampaignActor } from './campaign-actor';
import type { CampaignRecord, CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';

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
    ...fields,
  };
}

/** A repository holding one campaign, recording the moves asked of it. */
function serviceWith(campaign: CampaignRecord): { service: CampaignService; transition: jest.Mock } {
  const transition = jest.fn(async () => ({ ...campaign, status: 'active' }));
  const repository = { findById: jest.fn(async () => campaign), transition, update: jest.fn() } as unknown as CampaignRepository;
  return { service: new CampaignService(repository), transition };
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
