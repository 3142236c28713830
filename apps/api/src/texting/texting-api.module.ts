import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { IdentityModule } from '@app/identity';
import { TextingModule } from '@app/messaging';
import { TextingStatsController } from './texting-stats.controller';
import { TextingController } from './texting.controller';

/** Peer-to-peer texting for texters (batches, initial texts, inbox, replies, close) and for leads (live stats, unmatched texts). */
@Module({
  imports: [IdentityModule, CampaignsModule, TextingModule],
  controllers: [TextingController, TextingStatsController],
})
export class TextingApiModule {}
