import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { type ProviderEventRecord, ProviderEventRepository } from '@app/contacts';
import { ConversationRepository } from '../conversations/conversation.repository';
import { classifyInboundKeyword, type InboundKeyword } from '../keywords/inbound-keyword.classifier';
import { phoneConsequenceOf } from '../messages/carrier-error.policy';
import { MessageRepository, type OutboundMessageKind } from '../messages/message.repository';
import { advancesMessageStatus, isFinalMessageStatus, messageStatusFromCarrier } from '../messages/message-status';
import { OutboundMessageService } from '../messages/outbound-message.service';
import { KeywordOptOutService } from '../opt-outs/keyword-opt-out.service';
import { OptOutRepository } from '../opt-outs/opt-out.repository';
import { PhoneConsequenceService } from '../opt-outs/phone-consequence.service';

export type EventApplication = 'applied' | 'unchanged' | 'skipped';

const REPLY_KIND: Readonly<Record<InboundKeyword, OutboundMessageKind>> = { 'opt-out': 'opt_out_reply', 'opt-in': 'opt_in_reply', help: 'help_reply' };

/**
 * Applies stored carrier events in the sms worker, once each (the event row is locked and marked
 * applied in the same transaction): delivery statuses move a text forward only; inbound texts are
 * filed under their conversation (or kept unmatched for the alliance's admins) and keywords acted on.
 */
@Injectable()
export class MessageEventService {
  private readonly logger = new Logger(MessageEventService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: ProviderEventRepository,
    private readonly messages: MessageRepository,
    private readonly conversations: ConversationRepository,
    private readonly consequences: PhoneConsequenceService,
    private readonly keywordOptOuts: KeywordOptOutService,
    private readonly optOuts: OptOutRepository,
    private readonly outbound: OutboundMessageService,
    private readonly config: AppConfig,
  ) {}

  async applyStatus(eventId: string): Promise<EventApplication> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.lockUnapplied(manager, eventId);
      if (event === null || event.kind !== 'message_status' || event.subjectId === null) return 'skipped';
      await this.events.markApplied(manager, eventId);
      const message = await this.messages.lockForUpdate(manager, event.subjectId);
      if (message === null || (message.providerMessageSid !== null && message.providerMessageSid !== event.providerId)) return 'skipped';
      const status = messageStatusFromCarrier(event.payload.MessageStatus ?? event.status ?? '');
      if (status === null || !advancesMessageStatus(message.status, status)) return 'unchanged';
      const errorCode = nonEmpty(event.payload.ErrorCode);
      const from = nonEmpty(event.payload.From);
      await this.messages.applyStatus(manager, message.id, {
        status,
        sid: event.providerId,
        from: from !== null && from.startsWith('+') ? from : null,
        errorCode,
        errorMessage: nonEmpty(event.payload.ErrorMessage),
        final: isFinalMessageStatus(status),
      });
      if (message.conversationId !== null && message.ourNumber === null && from !== null && from.startsWith('+')) {
        await this.conversations.learnSendingNumber(manager, message.conversationId, from);
      }
      if ((status === 'failed' || status === 'undelivered') && message.allianceId !== null) {
        await this.consequences.apply(manager, message.allianceId, message.voterPhone, phoneConsequenceOf(errorCode), message.id);
      }
      return 'applied';
    });
  }

  async applyInbound(eventId: string): Promise<EventApplication> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.lockUnapplied(manager, eventId);
      if (event === null || event.kind !== 'inbound_message') return { result: 'skipped' as const, replyId: null };
      await this.events.markApplied(manager, eventId);
      return this.fileInbound(manager, event);
    });
    if (outcome.replyId !== null) await this.outbound.enqueueSend(outcome.replyId);
    return outcome.result;
  }

  private async fileInbound(manager: EntityManager, event: ProviderEventRecord): Promise<{ result: EventApplication; replyId: string | null }> {
    const payload = event.payload;
    const voterPhone = payload.From;
    const ourNumber = payload.To;
    const service = nonEmpty(payload.MessagingServiceSid);
    const body = payload.Body ?? '';
    const conversation = await this.conversations.matchInbound(manager, voterPhone, ourNumber, service);
    const keyword = classifyInboundKeyword(body);
    const alliances =
      keyword === 'opt-out' || keyword === 'opt-in'
        ? await this.keywordOptOuts.apply(manager, {
            keyword,
            voterPhone,
            ourNumber,
            messagingServiceSid: service,
            receivedAt: event.receivedAt,
            alsoAlliances: conversation === null ? [] : [conversation.allianceId],
          })
        : [];
    const fallbackAlliance = conversation?.allianceId ?? alliances[0] ?? (await this.optOuts.alliancesTextingFrom(manager, ourNumber, service))[0] ?? null;
    const { message, created } = await this.messages.insertInbound(manager, {
      allianceId: fallbackAlliance,
      campaignId: conversation?.campaignId ?? null,
      organizationId: conversation?.organizationId ?? null,
      conversationId: conversation?.id ?? null,
      voterPhone,
      ourNumber,
      messagingServiceSid: service,
      // An empty body (a picture alone) still counts as a reply; the row needs some text.
      body: body.trim() === '' ? '[no text]' : body.slice(0, 1600),
      providerMessageSid: event.providerId,
      provider: event.provider,
      receivedAt: event.receivedAt,
    });
    if (!created) return { result: 'unchanged', replyId: null };
    if (keyword === 'opt-out' || keyword === 'opt-in') {
      // The alliances texting from this number (and the matched conversation's): the keyword was recorded in each.
      const texting = new Set([
        ...(conversation === null ? [] : [conversation.allianceId]),
        ...alliances,
        ...(await this.optOuts.alliancesTextingFrom(manager, ourNumber, service)),
      ]);
      await this.optOuts.linkKeywordEvents(manager, [...texting], voterPhone, message.id, event.receivedAt);
      // On a STOP every open conversation with the phone in them closes, not only the matched one: a STOP
      // written to another of a campaign's numbers matches no conversation.
      if (keyword === 'opt-out') for (const allianceId of texting) await this.conversations.closeForPhone(manager, allianceId, voterPhone, 'opted_out');
    }
    if (conversation === null) {
      this.logger.warn({ message: 'inbound text matched no conversation; kept for the alliance admins', messageId: message.id });
      return { result: 'applied', replyId: null };
    }
    await this.conversations.recordInbound(manager, conversation.id, event.receivedAt);
    if (keyword === null || this.config.messaging.keywordReplies === 'carrier') return { result: 'applied', replyId: null };
    if (!(await this.replyWanted(manager, keyword, conversation.allianceId, voterPhone, event.receivedAt))) return { result: 'applied', replyId: null };
    const reply = await this.outbound.write(manager, {
      allianceId: conversation.allianceId,
      campaignId: conversation.campaignId,
      organizationId: conversation.organizationId,
      conversationId: conversation.id,
      kind: REPLY_KIND[keyword],
      idempotencyKey: `keyword-reply:${event.providerId}`,
      voterPhone,
      ourNumber: conversation.sendingNumber ?? (service === null ? ourNumber : null),
      messagingServiceSid: conversation.sendingNumber === null ? conversation.messagingServiceSid : null,
      body: keyword === 'help' ? this.config.messaging.helpReply : keyword === 'opt-out' ? this.config.messaging.optOutReply : this.config.messaging.optInReply,
      segmentKey: null,
      sentByUserId: null,
    });
    return { result: 'applied', replyId: reply.created ? reply.message.id : null };
  }

  /**
   * A confirmation only for a change that happened: YES is also a survey answer, so it confirms
   * only when it lifted an opt-out (here or in the webhook, which got there first).
   */
  private async replyWanted(manager: EntityManager, keyword: InboundKeyword, allianceId: string, phone: string, receivedAt: Date): Promise<boolean> {
    if (keyword === 'help') return true;
    const optedOut = await this.optOuts.isOptedOut(manager, allianceId, phone);
    if (keyword === 'opt-out') return optedOut;
    return !optedOut && (await this.optOuts.changedSince(manager, allianceId, phone, receivedAt));
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
