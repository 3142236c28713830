import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainErrorCode, DomainException } from '@app/common';
import { JobName, JobProducer } from '@app/queue';
import { callOutcomeOf, TelephonyPort } from '@app/telephony';
import { ContactAttemptRepository } from '../attempts/contact-attempt.repository';
import { CallStateChannel } from '../realtime/call-state.channel';
import { CallRepository } from './call.repository';
import { callStateAfter } from './call-state.transition';
import { ProviderEventRepository } from './provider-event.repository';

const SID_PATTERN = /^CA[0-9a-fA-F]{32}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Carrier call events: the webhook stores each one (once per call and sequence number) and
 * enqueues it; the dialer worker applies it to the call row, once, whatever the order.
 */
@Injectable()
export class CallEventService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly telephony: TelephonyPort,
    private readonly events: ProviderEventRepository,
    private readonly calls: CallRepository,
    private readonly producer: JobProducer,
    private readonly channel: CallStateChannel,
    private readonly attempts: ContactAttemptRepository,
  ) {}

  /**
   * The webhook's whole job after the signature check: store, enqueue, answer. A repeat is stored
   * once; it is enqueued again only if its first application has not happened (the job id dedups).
   */
  async receiveStatusCallback(callId: string, parameters: Readonly<Record<string, string>>): Promise<{ eventId: string; repeated: boolean }> {
    const callSid = parameters.CallSid ?? '';
    const status = parameters.CallStatus ?? '';
    if (!UUID_PATTERN.test(callId) || !SID_PATTERN.test(callSid) || status === '') {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'A call status callback needs a call id, CallSid and CallStatus', { callSid });
    }
    const sequence = parameters.SequenceNumber;
    const { event, repeated } = await this.events.store({
      provider: this.telephony.provider,
      kind: 'call_status',
      providerId: callSid,
      eventKey: sequence !== undefined && /^\d{1,9}$/.test(sequence) ? `seq:${sequence}` : `status:${status}`,
      subjectId: callId,
      status,
      payload: parameters,
    });
    if (event.appliedAt === null) await this.producer.enqueue(JobName.CallEvent, { eventId: event.id }, { jobId: `call-event-${event.id}` });
    return { eventId: event.id, repeated };
  }

  /** Applies one stored event; a second run finds it applied and does nothing. */
  async apply(eventId: string): Promise<'applied' | 'unchanged' | 'skipped'> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const event = await this.events.lockUnapplied(manager, eventId);
      if (event === null || event.subjectId === null) return { result: 'skipped' as const };
      const call = await this.calls.lockForUpdate(manager, event.subjectId);
      if (call === null || (call.providerCallSid !== null && call.providerCallSid !== event.providerId)) {
        await this.events.markApplied(manager, eventId);
        return { result: 'skipped' as const };
      }
      const payload = event.payload;
      const change = callStateAfter(call, {
        status: payload.CallStatus ?? '',
        answeredBy: payload.AnsweredBy && payload.AnsweredBy !== '' ? payload.AnsweredBy : null,
        sequenceNumber: payload.SequenceNumber !== undefined ? Number(payload.SequenceNumber) : null,
        durationSeconds: payload.CallDuration !== undefined && /^\d+$/.test(payload.CallDuration) ? Number(payload.CallDuration) : null,
        occurredAt: parseTimestamp(payload.Timestamp) ?? event.receivedAt,
      });
      await this.events.markApplied(manager, eventId);
      if (change === null) return { result: 'unchanged' as const };
      const updated = await this.calls.applyChange(manager, call.id, change, event.providerId);
      const outcome = callOutcomeOf(updated.status, updated.answeredBy);
      if (outcome !== null) await this.attempts.recordCallOutcome(manager, call.id, outcome);
      return { result: 'applied' as const, updated };
    });
    if (outcome.result === 'applied' && outcome.updated.callingSessionId !== null) {
      await this.channel.publish({
        sessionId: outcome.updated.callingSessionId,
        callId: outcome.updated.id,
        status: outcome.updated.status,
        answeredBy: outcome.updated.answeredBy,
        durationSeconds: outcome.updated.durationSeconds,
      });
    }
    return outcome.result;
  }
}

function parseTimestamp(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
