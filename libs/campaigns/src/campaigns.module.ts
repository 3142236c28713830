import { Module } from '@nestjs/common';
import { CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';

@Module({
  providers: [CampaignRepository, CampaignService],
  exports: [CampaignService],
})
export class CampaignsModule {}
