import { Module } from '@nestjs/common';
import { AllianceLookupService } from './alliance-lookup.service';
import { DemoAllianceSeeder } from './demo/demo-alliance-seeder.service';
import { IdentityRepository } from './identity.repository';

@Module({
  providers: [IdentityRepository, DemoAllianceSeeder, AllianceLookupService],
  exports: [IdentityRepository, DemoAllianceSeeder, AllianceLookupService],
})
export class IdentityModule {}
