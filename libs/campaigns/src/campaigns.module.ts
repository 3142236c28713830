import { Module } from '@nestjs/common';
import { CallListRepository } from './call-list/call-list.repository';
import { CallListService } from './call-list/call-list.service';
import { CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';

/** Campaigns, their settings and call lists. Needs CoreModule (database). */
@Module({
  providers: [CampaignRepository, CampaignService, CallListRepository, CallListService],
  exports: [CampaignService, CallListService],
})
export class CampaignsModule {}
