import { Injectable } from '@nestjs/common';
import { CallListService, CampaignRepository, DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { AllianceLookupService, DEMO_ALLIANCE } from '@app/identity';
import { DEMO_CAMPAIGN } from '@app/turf';
import { DemoTextingRepository } from './demo-texting.repository';

export const DEMO_TEXT_CAMPAIGN = { slug: 'demo-texts-2026', name: '2026 Reform Texting' } as const;
/** Fictional 555-01xx numbers: valid in form, assigned to no one. */
export const DEMO_SENDING_NUMBERS = ['+14155550111', '+14155550112'] as const;
const DEMO_TEXTER_EMAIL = 'volunteer@demo.crossroads.test';

export interface DemoTextingReport {
  readonly campaign: string;
  readonly status: string;
  readonly contacts: number;
}

/**
 * Opens a text campaign for the demo volunteer's organization: two sending numbers, an initial text
 * with a variant per values segment, canned responses, the starter survey, the 09:00–20:00 window,
 * and the organization's turf of the phone campaign as its contacts. Running it again keeps what
 * texters already did.
 */
@Injectable()
export class DemoTextingSeeder {
  constructor(
    private readonly alliances: AllianceLookupService,
    private readonly campaigns: CampaignRepository,
    private readonly callLists: CallListService,
    private readonly demo: DemoTextingRepository,
  ) {}

  async seed(): Promise<DemoTextingReport> {
    const alliance = await this.alliances.resolve(DEMO_ALLIANCE.slug);
    const organizationId = await this.demo.organizationOfLogin(alliance.id, DEMO_TEXTER_EMAIL);
    const phoneCampaign = await this.campaigns.findBySlug(alliance.id, DEMO_CAMPAIGN.slug);
    if (organizationId === null || phoneCampaign === null) throw new Error('seed the demo alliance, its turf and phone bank before its text campaign');
    const campaign =
      (await this.campaigns.findBySlug(alliance.id, DEMO_TEXT_CAMPAIGN.slug)) ??
      (await this.campaigns.insert(alliance.id, DEMO_TEXT_CAMPAIGN.slug, DEMO_TEXT_CAMPAIGN.name, {
        organizationId,
        channel: 'sms',
        sendingNumbers: [...DEMO_SENDING_NUMBERS],
        callingWindow: { startMinute: 9 * 60, endMinute: 20 * 60 },
        initialMessage: {
          template:
            'Hi {voter.first_name|there}, this is {volunteer.first_name} with {organization.name}. Can we count on you to vote this fall? Reply STOP to opt out.',
          variants: [
            {
              segmentKey: 'pro_tax_base',
              template:
                'Hi {voter.first_name|there}, {volunteer.first_name} with {organization.name} here: the reform funds schools fairly. Will you vote for it? Reply STOP to opt out.',
            },
            {
              segmentKey: 'balanced_suburbans',
              template:
                'Hi {voter.first_name|there}, {volunteer.first_name} with {organization.name} here: the reform keeps local budgets accountable. Can we count on your vote? Reply STOP to opt out.',
            },
          ],
        },
        cannedResponses: [
          { key: 'thanks', title: 'Thanks', body: 'Thank you, {voter.first_name|friend}! We appreciate you.' },
          { key: 'where-to-vote', title: 'Where to vote', body: 'You can find your polling place at vote.ca.gov. Thanks for voting!' },
          { key: 'wrong-number', title: 'Wrong number', body: 'Sorry for the mix-up, we will take this number off our list.' },
        ],
      }));
    if (campaign === null) throw new Error(`could not create the demo text campaign ${DEMO_TEXT_CAMPAIGN.slug}`);
    if (campaign.surveyQuestions === null || (Array.isArray(campaign.surveyQuestions) && campaign.surveyQuestions.length === 0)) {
      // Scripts and survey questions are saved together; a text campaign's texters read only the questions.
      await this.campaigns.updateScript(campaign.id, campaign.script ?? DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS);
    }
    await this.demo.copyTurf(alliance.id, phoneCampaign.id, campaign.id, organizationId);
    const active = campaign.status === 'active' ? campaign : await this.campaigns.transition(campaign.id, ['draft', 'paused'], 'active');
    const callList = await this.callLists.refresh(alliance.id, campaign.id);
    return { campaign: campaign.slug, status: active?.status ?? campaign.status, contacts: callList.total };
  }
}
