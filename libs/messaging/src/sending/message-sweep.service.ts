import { Injectable, Logger } from '@nestjs/common';
import { ProviderEventRepository } from '@app/contacts';
import { JobName, JobProducer } from '@app/queue';
import { TelephonyPort, TelephonyRequestError } from '@app/telephony';
import { MessageRepository } from '../messages/message.repository';
import { messageStatusFromCarrier } from '../messages/message-status';
import { NEW_TEXT_PRIORITY, sendJobId } from '../messages/outbound-message.service';
import { PhoneLock } from './phone-lock.service';

/** Past this a request's worker is gone (the carrier client gives up after 10 s), or a send job was lost. */
export const STRANDED_AFTER_MS = 30_000;
const BATCH = 500;
/** How far back the carrier's list is read for a text we may have sent: the voter's most recent texts. */
const CARRIER_LOOKBACK = 20;

export interface SweepReport {
  readonly recovered: number;
  readonly resent: number;
  readonly requeued: number;
  readonly events: number;
}

/**
 * What a killed worker or a lost Redis leaves behind, found from the database (the system of
 * record): a text left `requesting` is looked for at the carrier, adopted if the carrier has it and
 * sent again only if it does not, so no voter is texted twice and none is lost; an unsent text whose
 * job is overdue is enqueued again; a carrier event never applied is enqueued again.
 */
@Injectable()
export class MessageSweepService {
  private readonly logger = new Logger(MessageSweepService.name);

  constructor(
    private readonly events: ProviderEventRepository,
    private readonly messages: MessageRepository,
    private readonly telephony: TelephonyPort,
    private readonly lock: PhoneLock,
    private readonly producer: JobProducer,
  ) {}

  async sweep(now: Date = new Date()): Promise<SweepReport> {
    const olderThan = new Date(now.getTime() - STRANDED_AFTER_MS);
    const stranded = await this.messages.findStranded(olderThan, BATCH);
    let recovered = 0;
    let resent = 0;
    for (const messageId of stranded.requesting) {
      const outcome = await this.recover(messageId, olderThan);
      if (outcome === 'adopted') recovered += 1;
      if (outcome === 'released') resent += 1;
    }
    for (const messageId of stranded.unsent) {
      await this.producer.enqueue(
        JobName.SmsSend,
        { messageId },
        { deduplicationId: sendJobId(messageId, 'sweep'), deduplicationTtlMs: STRANDED_AFTER_MS, priority: NEW_TEXT_PRIORITY },
      );
    }
    const events = await this.events.findUnapplied(['message_status', 'inbound_message'], olderThan, BATCH);
    for (const event of events) {
      const name = event.kind === 'message_status' ? JobName.SmsStatus : JobName.SmsInbound;
      await this.producer.enqueue(name, { eventId: event.id }, { deduplicationId: `sms-event-${event.id}-sweep`, deduplicationTtlMs: STRANDED_AFTER_MS });
    }
    const report = { recovered, resent, requeued: stranded.unsent.length, events: events.length };
    if (recovered + resent + report.requeued + report.events > 0) this.logger.log({ message: 'sms sweep', ...report });
    return report;
  }

  /**
   * A text whose request's answer was never stored: under the phone's lock (so a live sender finishes
   * first), the carrier's recent texts to the voter are read; one with this body, created after we
   * asked, is ours. Found: adopted with its sid. Not found: back to unsent, and sent again.
   */
  async recover(messageId: string, olderThan: Date): Promise<'adopted' | 'released' | 'unchanged'> {
    const candidate = await this.messages.findToSend(messageId);
    if (candidate === null || candidate.status !== 'requesting') return 'unchanged';
    const outcome = await this.lock.hold(candidate.voterPhone, async (manager) => {
      const message = await this.messages.lockForUpdate(manager, messageId);
      if (message === null || message.status !== 'requesting' || message.updatedAt >= olderThan) return 'unchanged' as const;
      let carrierTexts;
      try {
        carrierTexts = await this.telephony.recentMessagesTo(message.voterPhone, CARRIER_LOOKBACK);
      } catch (error) {
        if (error instanceof TelephonyRequestError) {
          this.logger.warn({ message: 'could not ask the carrier about a stranded text', messageId, error: error.message });
          return 'unchanged' as const;
        }
        throw error;
      }
      const askedAt = (message.requestedAt ?? message.updatedAt).getTime() - 60_000;
      for (const text of carrierTexts) {
        if (!text.direction.startsWith('outbound') || text.body !== message.body || text.createdAt.getTime() < askedAt) continue;
        if (message.ourNumber !== null && text.from !== null && text.from !== message.ourNumber) continue;
        if (await this.messages.sidTaken(manager, text.providerMessageSid)) continue;
        await this.messages.markAccepted(
          manager,
          message.id,
          this.telephony.provider,
          text.providerMessageSid,
          messageStatusFromCarrier(text.status) ?? 'accepted',
          text.from,
        );
        return 'adopted' as const;
      }
      await this.messages.release(manager, message.id, new Date(), null, 'the request outlived its worker and the carrier has no such text');
      return 'released' as const;
    });
    if (outcome === 'released') await this.producer.enqueue(JobName.SmsSend, { messageId }, { jobId: sendJobId(messageId, `recovered-${Date.now()}`) });
    if (outcome !== 'unchanged') this.logger.warn({ message: 'stranded text recovered', messageId, outcome });
    return outcome;
  }
}
