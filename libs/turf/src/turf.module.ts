import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { IdentityModule } from '@app/identity';
import { VoterFileModule } from '@app/voter-file';
import { DemoTurfSeeder } from './demo/demo-turf.seeder';
import { TurfAssignmentRepository } from './turf-assignment.repository';
import { TurfAssignmentService } from './turf-assignment.service';
import { TurfRepository } from './turf.repository';
import { TurfService } from './turf.service';

/** Turf: cutting, materializing, splitting and assigning voters to member organizations. */
@Module({
  imports: [IdentityModule, VoterFileModule, CampaignsModule],
  providers: [TurfRepository, TurfService, TurfAssignmentRepository, TurfAssignmentService, DemoTurfSeeder],
  exports: [TurfService, TurfAssignmentService, DemoTurfSeeder],
})
export class TurfModule {}
