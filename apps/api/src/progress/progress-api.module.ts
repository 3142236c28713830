import { Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { IdentityModule } from '@app/identity';
import { ProgressController } from './progress.controller';

/** Progress to target: figures by scope, exports and targets. */
@Module({
  imports: [IdentityModule, ContactsModule],
  controllers: [ProgressController],
})
export class ProgressApiModule {}
