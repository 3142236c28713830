import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';

/** Organizations, people, memberships, invitations and password resets over HTTP. */
@Module({
  imports: [IdentityModule],
  controllers: [],
})
export class PeopleApiModule {}
