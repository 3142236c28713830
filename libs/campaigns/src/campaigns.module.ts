import { Module } from '@nestjs/common';
import { SegmentsModule } from '@app/segments';
import { CallListRepository } from './call-list/call-list.repository';
import { CallListService } from './call-list/call-list.service';
import { CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { CampaignScriptService } from './campaign-script.service';

/** Campaigns, their settings and call lists. Needs CoreModule (database). */
@Module({
  imports: [SegmentsModule],
  providers: [CampaignRepository, CampaignService, CampaignScriptService, CallListRepository, CallListService],
  exports: [CampaignService, CampaignScriptService, CallListService, CampaignRepository],
})
export class CampaignsModule {}
