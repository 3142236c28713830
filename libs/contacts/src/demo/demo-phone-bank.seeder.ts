import { Injectable } from '@nestjs/common';
import { CallListService, CampaignRepository, DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { AllianceLookupService, DEMO_ALLIANCE } from '@app/identity';
import { DEMO_CAMPAIGN } from '@app/turf';

/** A fictional 555-01xx number: valid in form, assigned to no one. */
export const DEMO_CALLER_ID = '+14155550100';

export interface DemoPhoneBankReport {
  readonly campaign: string;
  readonly status: string;
  readonly callList: { readonly total: number; readonly open: number; readonly added: number };
}

/**
 * Opens the demo campaign for calling: the starter script and survey, a caller id, active, and
 * its call list built from the demo turf. A visitor signs in as the volunteer and calls through
 * the carrier simulator. Running it again keeps what volunteers already did.
 */
@Injectable()
export class DemoPhoneBankSeeder {
  constructor(
    private readonly alliances: AllianceLookupService,
    private readonly campaigns: CampaignRepository,
    private readonly callLists: CallListService,
  ) {}

  async seed(): Promise<DemoPhoneBankReport> {
    const alliance = await this.alliances.resolve(DEMO_ALLIANCE.slug);
    const campaign = await this.campaigns.findBySlug(alliance.id, DEMO_CAMPAIGN.slug);
    if (campaign === null) throw new Error(`the demo campaign ${DEMO_CAMPAIGN.slug} is missing: seed the demo turf first`);
    if (campaign.script === null) await this.campaigns.updateScript(campaign.id, DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS);
    if (campaign.callerIds.length === 0) await this.campaigns.update(campaign.id, { callerIds: [DEMO_CALLER_ID] });
    const active = campaign.status === 'active' ? campaign : await this.campaigns.transition(campaign.id, ['draft', 'paused'], 'active');
    const callList = await this.callLists.refresh(alliance.id, campaign.id);
    return { campaign: campaign.slug, status: active?.status ?? campaign.status, callList };
  }
}
