import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { IdentityModule } from '@app/identity';
import { TurfModule } from '@app/turf';
import { CampaignsController } from './campaigns.controller';
import { TurfAssignmentsController } from './turf-assignments.controller';
import { TurfsController } from './turfs.controller';

/** Campaigns and turf over HTTP. */
@Module({
  imports: [IdentityModule, TurfModule, CampaignsModule],
  controllers: [CampaignsController, TurfsController, TurfAssignmentsController],
})
export class TurfApiModule {}
