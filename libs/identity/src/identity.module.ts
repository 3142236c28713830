import { Module } from '@nestjs/common';
import { AllianceLookupService } from './alliance-lookup.service';
import { AccessPolicyRepository } from './authorization/access-policy.repository';
import { AccessPolicyService } from './authorization/access-policy.service';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditLogService } from './audit/audit-log.service';
import { DemoAllianceSeeder } from './demo/demo-alliance-seeder.service';
import { IdentityRepository } from './identity.repository';
import { SessionRepository } from './sessions/session.repository';
import { SessionService } from './sessions/session.service';
import { SignInRateLimiter } from './sessions/sign-in-rate.limiter';

@Module({
  providers: [
    IdentityRepository,
    DemoAllianceSeeder,
    AllianceLookupService,
    SessionRepository,
    SignInRateLimiter,
    SessionService,
    AccessPolicyRepository,
    AccessPolicyService,
    AuditLogRepository,
    AuditLogService,
  ],
  exports: [IdentityRepository, DemoAllianceSeeder, AllianceLookupService, SessionService, AccessPolicyService, AuditLogService],
})
export class IdentityModule {}
