import { Module } from '@nestjs/common';
import { DemoAllianceSeeder } from './demo/demo-alliance-seeder.service';
import { IdentityRepository } from './identity.repository';

@Module({
  providers: [IdentityRepository, DemoAllianceSeeder],
  exports: [IdentityRepository, DemoAllianceSeeder],
})
export class IdentityModule {}
