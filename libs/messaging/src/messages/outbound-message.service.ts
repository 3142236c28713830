import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobName, JobProducer } from '@app/queue';
import { type MessageRecord, MessageRepository, type NewOutboundMessage } from './message.repository';

/**
 * How every outbound text starts: the row first, under its idempotency key, inside the caller's
 * transaction; the send job after that commits (a lost job is found by the sweep, never a lost row).
 */
@Injectable()
export class OutboundMessageService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly producer: JobProducer,
  ) {}

  /** Writes the text once; `created` is false for a repeat, which returns the text already written. */
  write(manager: EntityManager, message: NewOutboundMessage): Promise<{ message: MessageRecord; created: boolean }> {
    return this.messages.insertOutbound(manager, message);
  }

  /** Call after the transaction that wrote the text committed. A repeat finds the job already there. */
  async enqueueSend(messageId: string): Promise<void> {
    await this.producer.enqueue(JobName.SmsSend, { messageId }, { jobId: sendJobId(messageId), priority: NEW_TEXT_PRIORITY });
  }
}

/**
 * A new text's first job is prioritized, which in BullMQ means it waits behind every unprioritized
 * job: texts whose sending slot has come (a delayed job, promoted to the back of the queue), carrier
 * callbacks and inbound texts. Without it, a backlog of 100,000 new texts would each reserve a slot
 * before any reserved slot is used, and callbacks would wait behind the backlog.
 */
export const NEW_TEXT_PRIORITY = 10;

export function sendJobId(messageId: string, suffix?: string): string {
  return suffix === undefined ? `sms-send-${messageId}` : `sms-send-${messageId}-${suffix}`;
}
