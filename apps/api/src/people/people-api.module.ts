import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { InvitationsController } from './invitations.controller';
import { MembershipsController } from './memberships.controller';
import { OrganizationsController } from './organizations.controller';
import { PasswordResetsController } from './password-resets.controller';
import { PeopleController } from './people.controller';

/** Organizations, people, memberships, invitations and password resets over HTTP. */
@Module({
  imports: [IdentityModule],
  controllers: [OrganizationsController, PeopleController, MembershipsController, InvitationsController, PasswordResetsController],
})
export class PeopleApiModule {}
