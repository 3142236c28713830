import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { TelephonyPort, TelephonyRequestError, voterLegTwiml } from '@app/telephony';
import { CallStateChannel } from '../realtime/call-state.channel';
import { type CallRecord, CallRepository } from './call.repository';

/** How long the voter's phone rings before the carrier gives up: the law asks for at least 15 s. */
export const RING_TIMEOUT_SECONDS = 25;

/**
 * The dialer worker's side of a call: ask the carrier, once. The row was written before; a job
 * that finds it already asked (by itself before a crash, or by a duplicate job) never asks again,
 * because a second request could ring the voter twice.
 */
@Injectable()
export class CallDialingService {
  private readonly logger = new Logger(CallDialingService.name);

  constructor(
    private readonly calls: CallRepository,
    private readonly telephony: TelephonyPort,
    private readonly channel: CallStateChannel,
    private readonly config: AppConfig,
  ) {}

  async place(callId: string): Promise<'placed' | 'skipped' | 'failed'> {
    const claimed = await this.calls.claimForRequest(callId);
    if (claimed === null) return this.settleInterrupted(callId);
    if (claimed.hangupRequestedAt !== null) {
      await this.publish(await this.calls.recordFailed(callId, null, 'Hung up before the call was placed'));
      return 'skipped';
    }
    try {
      const webhooks = `${this.config.telephony.webhookBaseUrl}/api/webhooks/twilio/calls/${claimed.id}`;
      const placed = await this.telephony.placeCall({
        to: claimed.toPhone,
        from: claimed.fromPhone,
        // Preview: the volunteer who clicked is waiting in their conference. Dialer calls find their volunteer when answered.
        ...(claimed.dialKind === 'preview' ? { twiml: voterLegTwiml(claimed.callingSessionId ?? claimed.id) } : { answerUrl: `${webhooks}/answer` }),
        statusCallbackUrl: webhooks,
        machineDetection: true,
        ringTimeoutSeconds: RING_TIMEOUT_SECONDS,
      });
      await this.publish(await this.calls.recordPlaced(callId, placed.providerCallSid));
      return 'placed';
    } catch (error) {
      if (!(error instanceof TelephonyRequestError)) throw error;
      // The carrier answered that it made no call (throttled, or down for a moment): asking again is safe.
      if (!error.permanent && error.status !== undefined) {
        await this.calls.unclaim(callId);
        throw error;
      }
      this.logger.warn({ message: 'call not placed', callId, code: error.code, permanent: error.permanent });
      await this.publish(await this.calls.recordFailed(callId, error.code ?? null, error.message));
      return 'failed';
    }
  }

  /** Cancels a call the carrier was never asked for; one already asked for is left alone (it may be ringing). */
  async cancelUnplaced(callId: string): Promise<'ended' | 'skipped'> {
    const canceled = await this.calls.cancelUnplaced(callId);
    if (canceled === null) return 'skipped';
    await this.publish(canceled);
    return 'ended';
  }

  /** Hangs up (or cancels) a call the volunteer ended. */
  async end(callId: string): Promise<'ended' | 'skipped'> {
    const call = await this.calls.findById(callId);
    if (call === null) return 'skipped';
    if (call.status === 'created') {
      await this.publish(await this.calls.cancelUnplaced(callId));
      return 'ended';
    }
    if (call.providerCallSid === null || call.endedAt !== null) return 'skipped';
    await this.telephony.endCall(call.providerCallSid);
    return 'ended';
  }

  /**
   * A call already claimed: placed, settled, or left `requesting` by a worker that died between
   * asking and storing the answer. That last one may or may not ring; it is marked failed rather
   * than asked again, and the carrier's callbacks (which name our call id) still update it.
   */
  private async settleInterrupted(callId: string): Promise<'skipped' | 'failed'> {
    const call = await this.calls.findById(callId);
    if (call === null || call.status !== 'requesting' || call.providerCallSid !== null) return 'skipped';
    await this.publish(await this.calls.recordFailed(callId, null, 'The worker stopped while placing this call; it was not placed again'));
    return 'failed';
  }

  private async publish(call: CallRecord | null): Promise<void> {
    if (call === null || call.callingSessionId === null) return;
    await this.channel.publish({
      sessionId: call.callingSessionId,
      callId: call.id,
      status: call.status,
      answeredBy: call.answeredBy,
      durationSeconds: call.durationSeconds,
    });
  }
}
