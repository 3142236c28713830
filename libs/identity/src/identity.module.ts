import { Module } from '@nestjs/common';
import { AllianceLookupService } from './alliance-lookup.service';
import { DemoAllianceSeeder } from './demo/demo-alliance-seeder.service';
import { IdentityRepository } from './identity.repository';
import { SessionRepository } from './sessions/session.repository';
import { SessionService } from './sessions/session.service';
import { SignInRateLimiter } from './sessions/sign-in-rate.limiter';

@Module({
  providers: [IdentityRepository, DemoAllianceSeeder, AllianceLookupService, SessionRepository, SignInRateLimiter, SessionService],
  exports: [IdentityRepository, DemoAllianceSeeder, AllianceLookupService, SessionService],
})
export class IdentityModule {}
