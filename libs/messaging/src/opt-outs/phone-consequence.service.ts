import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConversationRepository } from '../conversations/conversation.repository';
import { closedReasonOf, type PhoneConsequence, phoneStatusOf } from '../messages/carrier-error.policy';
import { MessageRepository } from '../messages/message.repository';
import { OptOutRepository } from './opt-out.repository';

/**
 * What a permanent carrier error says about a phone, kept for the whole alliance: 21610 opts it out
 * (the voter told the carrier STOP), an invalid or non-mobile number goes on phone_status; its open
 * conversations close. No later text, in any campaign, tries it again.
 */
@Injectable()
export class PhoneConsequenceService {
  private readonly logger = new Logger(PhoneConsequenceService.name);

  constructor(
    private readonly optOuts: OptOutRepository,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
  ) {}

  async apply(manager: EntityManager, allianceId: string, phone: string, consequence: PhoneConsequence, messageId: string): Promise<void> {
    if (consequence === null) return;
    if (consequence === 'opted-out') {
      await this.optOuts.optOut(manager, {
        allianceId,
        phone,
        source: 'carrier',
        messageId,
        reason: 'the carrier refused the text: recipient unsubscribed (21610)',
      });
    } else {
      await this.messages.markPhoneStatus(manager, allianceId, phone, phoneStatusOf(consequence));
    }
    const closed = await this.conversations.closeForPhone(manager, allianceId, phone, closedReasonOf(consequence));
    this.logger.log({ message: 'phone marked after a carrier error', consequence, messageId, conversationsClosed: closed });
  }
}
