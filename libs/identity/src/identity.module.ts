import { Module } from '@nestjs/common';
import { AllianceLookupService } from './alliance-lookup.service';
import { AccessPolicyRepository } from './authorization/access-policy.repository';
import { AccessPolicyService } from './authorization/access-policy.service';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditLogService } from './audit/audit-log.service';
import { DemoAllianceSeeder } from './demo/demo-alliance-seeder.service';
import { IdentityRepository } from './identity.repository';
import { InvitationAcceptanceService } from './invitations/invitation-acceptance.service';
import { InvitationRepository } from './invitations/invitation.repository';
import { InvitationService } from './invitations/invitation.service';
import { ConsoleLinkFactory } from './notifications/console-link.factory';
import { LoggingNotifier } from './notifications/logging.notifier';
import { Notifier } from './notifications/notifier';
import { OrganizationRepository } from './organizations/organization.repository';
import { OrganizationService } from './organizations/organization.service';
import { PasswordResetRepository } from './password-resets/password-reset.repository';
import { PasswordResetService } from './password-resets/password-reset.service';
import { AddressAttemptGate } from './people/address-attempt.gate';
import { IdentityTransactionRunner } from './people/identity-transaction.runner';
import { MembershipRepository } from './people/membership.repository';
import { MembershipService } from './people/membership.service';
import { PersonProvisioningService } from './people/person-provisioning.service';
import { UserRepository } from './people/user.repository';
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
    OrganizationRepository,
    OrganizationService,
    UserRepository,
    MembershipRepository,
    IdentityTransactionRunner,
    MembershipService,
    PersonProvisioningService,
    AddressAttemptGate,
    ConsoleLinkFactory,
    // Until a deployment binds a mail notifier, links go to the log for an operator to pass on.
    { provide: Notifier, useClass: LoggingNotifier },
    InvitationRepository,
    InvitationService,
    InvitationAcceptanceService,
    PasswordResetRepository,
    PasswordResetService,
  ],
  exports: [
    IdentityRepository,
    DemoAllianceSeeder,
    AllianceLookupService,
    SessionService,
    AccessPolicyService,
    AuditLogService,
    OrganizationService,
    MembershipService,
    PersonProvisioningService,
    InvitationService,
    InvitationAcceptanceService,
    PasswordResetService,
    Notifier,
  ],
})
export class IdentityModule {}
