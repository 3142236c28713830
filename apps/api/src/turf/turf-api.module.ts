import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { IdentityModule } from '@app/identity';
import { TurfModule } from '@app/turf';
import { TurfAssignmentsController } from './turf-assignments.controller';
import { TurfsController } from './turfs.controller';

/** Turf and its assignments over HTTP (campaigns are in phone-banking). */
@Module({
  imports: [IdentityModule, TurfModule, CampaignsModule],
  controllers: [TurfsController, TurfAssignmentsController],
})
export class TurfApiModule {}
