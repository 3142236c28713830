import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { ContactsModule } from '@app/contacts';
import { DialerModule } from '@app/dialer';
import { IdentityModule } from '@app/identity';
import { MessagingModule } from '@app/messaging';
import { CallStateGateway } from './call-state.gateway';
import { CallingSessionsController } from './calling-sessions.controller';
import { CampaignsController } from './campaigns.controller';
import { DialApprovalsController } from './dial-approvals.controller';
import { DialerController } from './dialer.controller';
import { OptOutsController } from './opt-outs.controller';
import { FormBodyMiddleware } from './form-body.middleware';
import { TwilioWebhooksController } from './twilio-webhooks.controller';

/** Campaigns, calling sessions, carrier webhooks, the console's realtime call state, and the dialer's live view and compliance evidence. */
@Module({
  imports: [IdentityModule, CampaignsModule, ContactsModule, DialerModule, MessagingModule],
  controllers: [CampaignsController, CallingSessionsController, TwilioWebhooksController, DialerController, DialApprovalsController, OptOutsController],
  providers: [CallStateGateway],
})
export class PhoneBankingApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(FormBodyMiddleware).forRoutes({ path: 'webhooks/*path', method: RequestMethod.POST });
  }
}
