import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { InvitationRepository } from '../invitations/invitation.repository';
import { PasswordResetRepository } from '../password-resets/password-reset.repository';
import { MembershipRepository } from './membership.repository';
import { UserRepository } from './user.repository';

/** The repositories of one transaction: what they do together commits or rolls back together. */
export interface IdentityTransaction {
  readonly users: UserRepository;
  readonly memberships: MembershipRepository;
  readonly invitations: InvitationRepository;
  readonly passwordResets: PasswordResetRepository;
}

/** Runs work that spans people, memberships and single-use links in one transaction. */
@Injectable()
export class IdentityTransactionRunner {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  run<T>(work: (transaction: IdentityTransaction) => Promise<T>): Promise<T> {
    return this.manager.transaction((manager) =>
      work({
        users: new UserRepository(manager),
        memberships: new MembershipRepository(manager),
        invitations: new InvitationRepository(manager),
        passwordResets: new PasswordResetRepository(manager),
      }),
    );
  }
}
