import { Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { IdentityModule } from '@app/identity';
import { TelephonyModule } from '@app/telephony';
import { ConversationRepository } from './conversations/conversation.repository';
import { MessageEventService } from './inbound/message-event.service';
import { MessageWebhookService } from './inbound/message-webhook.service';
import { MessageRepository } from './messages/message.repository';
import { OutboundMessageService } from './messages/outbound-message.service';
import { OptOutAdminService } from './opt-outs/opt-out-admin.service';
import { KeywordOptOutService } from './opt-outs/keyword-opt-out.service';
import { OptOutRepository } from './opt-outs/opt-out.repository';
import { PhoneConsequenceService } from './opt-outs/phone-consequence.service';
import { MessageSendService } from './sending/message-send.service';
import { MessageSweepService } from './sending/message-sweep.service';
import { PhoneLock } from './sending/phone-lock.service';
import { SendSlotReserver } from './sending/send-slot.reserver';

/** Texting's core: writing, pacing and sending texts, carrier events, keywords and opt-outs. Needs CoreModule (database, queues, Redis). */
@Module({
  imports: [TelephonyModule, ContactsModule, IdentityModule],
  providers: [
    ConversationRepository,
    MessageRepository,
    OptOutRepository,
    PhoneLock,
    SendSlotReserver,
    OutboundMessageService,
    PhoneConsequenceService,
    KeywordOptOutService,
    OptOutAdminService,
    MessageSendService,
    MessageSweepService,
    MessageEventService,
    MessageWebhookService,
  ],
  exports: [
    MessageRepository,
    ConversationRepository,
    OptOutRepository,
    PhoneLock,
    OutboundMessageService,
    KeywordOptOutService,
    OptOutAdminService,
    MessageSendService,
    MessageSweepService,
    MessageEventService,
    MessageWebhookService,
  ],
})
export class MessagingModule {}
