import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainErrorCode, DomainException } from '@app/common';
import { ProviderEventRepository } from '@app/contacts';
import { JobName, JobProducer } from '@app/queue';
import { TelephonyPort } from '@app/telephony';
import { classifyInboundKeyword } from '../keywords/inbound-keyword.classifier';
import { KeywordOptOutService } from '../opt-outs/keyword-opt-out.service';

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/**
 * The carrier's text webhooks, after the signature check: store the event once, enqueue it, answer.
 * One thing is done at once rather than by the worker: a STOP (or START) changes the phone's opt-out
 * state before the webhook answers, under the phone's lock, so no text queued before it goes out after.
 */
@Injectable()
export class MessageWebhookService {
  private readonly logger = new Logger(MessageWebhookService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly telephony: TelephonyPort,
    private readonly events: ProviderEventRepository,
    private readonly producer: JobProducer,
    private readonly keywordOptOuts: KeywordOptOutService,
  ) {}

  async receiveStatus(messageId: string, parameters: Readonly<Record<string, string>>): Promise<{ eventId: string; repeated: boolean }> {
    const sid = parameters.MessageSid ?? parameters.SmsSid ?? '';
    const status = parameters.MessageStatus ?? parameters.SmsStatus ?? '';
    if (!UUID.test(messageId) || !MESSAGE_SID.test(sid) || !/^[a-z_-]{1,32}$/.test(status)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'A text status callback needs a message id, MessageSid and MessageStatus', {
        messageSid: sid,
      });
    }
    const { event, repeated } = await this.events.store({
      provider: this.telephony.provider,
      kind: 'message_status',
      providerId: sid,
      eventKey: `status:${status}`,
      subjectId: messageId,
      status,
      payload: parameters,
    });
    if (event.appliedAt === null) await this.producer.enqueue(JobName.SmsStatus, { eventId: event.id }, { jobId: `sms-status-${event.id}` });
    return { eventId: event.id, repeated };
  }

  async receiveInbound(parameters: Readonly<Record<string, string>>): Promise<{ eventId: string; repeated: boolean }> {
    const sid = parameters.MessageSid ?? parameters.SmsMessageSid ?? parameters.SmsSid ?? '';
    const from = parameters.From ?? '';
    const to = parameters.To ?? '';
    const service = parameters.MessagingServiceSid && parameters.MessagingServiceSid !== '' ? parameters.MessagingServiceSid : null;
    const problems = [
      MESSAGE_SID.test(sid) ? null : 'MessageSid',
      E164.test(from) ? null : 'From',
      E164.test(to) ? null : 'To',
      service === null || MESSAGING_SERVICE_SID.test(service) ? null : 'MessagingServiceSid',
    ].filter((field): field is string => field !== null);
    if (problems.length > 0) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `An inbound text needs a valid ${problems.join(', ')}`, { messageSid: sid });
    }
    const { event, repeated } = await this.events.store({
      provider: this.telephony.provider,
      kind: 'inbound_message',
      providerId: sid,
      eventKey: 'received',
      subjectId: null,
      status: 'received',
      payload: parameters,
    });
    if (event.appliedAt === null) {
      const keyword = classifyInboundKeyword(parameters.Body ?? '');
      if (keyword === 'opt-out' || keyword === 'opt-in') {
        await this.dataSource.transaction((manager) =>
          this.keywordOptOuts.apply(manager, { keyword, voterPhone: from, ourNumber: to, messagingServiceSid: service, receivedAt: event.receivedAt }),
        );
      }
      await this.producer.enqueue(JobName.SmsInbound, { eventId: event.id }, { jobId: `sms-inbound-${event.id}` });
    } else if (repeated) {
      this.logger.debug({ message: 'inbound text repeated', eventId: event.id });
    }
    return { eventId: event.id, repeated };
  }
}
