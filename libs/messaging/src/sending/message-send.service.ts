import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { parseClockTime } from '@app/campaigns';
import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { TelephonyPort, TelephonyRequestError } from '@app/telephony';
import { phoneConsequenceOf } from '../messages/carrier-error.policy';
import { type MessageRecord, MessageRepository, type MessageToSend } from '../messages/message.repository';
import { messageStatusFromCarrier, UNSENT_MESSAGE_STATUSES } from '../messages/message-status';
import { PhoneConsequenceService } from '../opt-outs/phone-consequence.service';
import { decideTextingWindow } from '../window/texting-window.policy';
import { PhoneLock } from './phone-lock.service';
import { SendSlotReserver } from './send-slot.reserver';

/** A reserved slot this close is waited for in the job; further ones delay the job to it. */
const MAX_IN_JOB_WAIT_MS = 250;
/**
 * A slot a job was delayed to stays its own this long after; a job later than that (a starved or
 * restarted worker) reserves anew rather than go out together with the texts due now: the
 * carrier's allowance for a burst is about a second's worth of its cap.
 */
const SLOT_GRACE_MS = 500;
/** Requests the carrier refused with an answer (a 5xx, a rate limit) are tried this many times in all. */
export const MAX_SEND_ATTEMPTS = 8;

/** Replies to keywords go even to a phone that just opted out: one confirmation is what the rules ask for. */
const SENT_WHILE_OPTED_OUT = new Set(['opt_out_reply', 'help_reply']);

export type SendOutcome =
  | { readonly kind: 'sent'; readonly providerMessageSid: string }
  | { readonly kind: 'deferred'; readonly slotAt: number }
  | { readonly kind: 'held'; readonly until: Date }
  | { readonly kind: 'canceled'; readonly reason: string }
  | { readonly kind: 'failed'; readonly errorCode: string | null }
  /** The carrier refused for now (a 5xx, a rate limit): try again at `at`. */
  | { readonly kind: 'retry'; readonly at: Date; readonly error: Error }
  /** The carrier did not answer: it may have the text. The sweep asks it before anything is sent again. */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'skipped' };

/**
 * Sends one text, in the order the rules need: the voter's window (hold, or send with a validity
 * period that expires at its close), the sending number's pace, then under the phone's lock the
 * opt-out check, the claim (`requesting`, so a crash leaves a trace) and the carrier request.
 */
@Injectable()
export class MessageSendService {
  private readonly logger = new Logger(MessageSendService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly slots: SendSlotReserver,
    private readonly lock: PhoneLock,
    private readonly telephony: TelephonyPort,
    private readonly consequences: PhoneConsequenceService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** `slotAt`: the slot a delayed job was given (epoch ms); absent, one is reserved. */
  async send(messageId: string, slotAt: number | undefined): Promise<SendOutcome> {
    // The voter's window runs on the injected clock (tests put it at noon); pacing runs on real time.
    const now = (): Date => this.clock.now();
    const message = await this.messages.findToSend(messageId);
    if (message === null || !UNSENT_MESSAGE_STATUSES.includes(message.status)) return { kind: 'skipped' };
    // Another job owns a text postponed to a later moment (its slot or its window): this one is a stray copy.
    if (
      message.status === 'created' &&
      message.sendAfter !== null &&
      message.sendAfter.getTime() > Date.now() + SLOT_GRACE_MS &&
      message.sendAfter.getTime() !== slotAt
    ) {
      return { kind: 'skipped' };
    }
    const window = { startMinute: parseClockTime(message.windowStart) ?? 0, endMinute: parseClockTime(message.windowEnd) ?? 0 };
    const decision = decideTextingWindow(message.timeZone, now(), window);
    if (decision.kind === 'hold') {
      await this.messages.postpone(message.id, 'held', decision.until);
      return { kind: 'held', until: decision.until };
    }
    if (decision.kind === 'never') {
      await this.messages.finish(this.dataSource.manager, message.id, 'canceled', 'window', 'the voter’s texting window never opens for this campaign');
      return { kind: 'canceled', reason: 'window' };
    }

    const sender = message.ourNumber ?? message.messagingServiceSid;
    if (sender === null) throw new Error(`text ${message.id} has neither a sending number nor a messaging service`);
    if (slotAt === undefined || Date.now() - slotAt > SLOT_GRACE_MS) {
      const slot = await this.slots.reserve(sender);
      if (slot.waitMs > MAX_IN_JOB_WAIT_MS) {
        const at = Date.now() + slot.waitMs;
        await this.messages.postpone(message.id, 'created', new Date(at));
        return { kind: 'deferred', slotAt: at };
      }
      if (slot.waitMs > 0) await sleep(slot.waitMs);
    } else if (slotAt > Date.now()) {
      await sleep(Math.min(slotAt - Date.now(), MAX_IN_JOB_WAIT_MS * 4));
    }

    return this.lock.hold(message.voterPhone, (manager) => this.sendLocked(manager, message, decision.validityPeriodSeconds));
  }

  private async sendLocked(manager: EntityManager, message: MessageToSend, validityPeriodSeconds: number): Promise<SendOutcome> {
    const allianceId = message.allianceId as string;
    const blocks = await this.messages.blocksFor(manager, allianceId, message.voterPhone);
    const blockedBy =
      blocks.optedOut && !SENT_WHILE_OPTED_OUT.has(message.kind)
        ? 'opted-out'
        : blocks.doNotCall
          ? 'do-not-call'
          : blocks.phoneStatus !== null
            ? `phone-${blocks.phoneStatus}`
            : null;
    if (blockedBy !== null) {
      const canceled = await this.messages.finish(manager, message.id, 'canceled', blockedBy, 'not sent: the phone may not be texted');
      return canceled ? { kind: 'canceled', reason: blockedBy } : { kind: 'skipped' };
    }
    const claimed = await this.messages.claim(manager, message.id, validityPeriodSeconds);
    if (claimed === null) return { kind: 'skipped' };

    try {
      const sent = await this.telephony.sendMessage({
        to: claimed.voterPhone,
        from: claimed.ourNumber !== null ? { number: claimed.ourNumber } : { messagingServiceSid: claimed.messagingServiceSid as string },
        body: claimed.body,
        statusCallbackUrl: `${this.config.telephony.webhookBaseUrl}/api/webhooks/twilio/messages/${claimed.id}/status`,
        validityPeriodSeconds,
      });
      await this.messages.markAccepted(
        manager,
        claimed.id,
        this.telephony.provider,
        sent.providerMessageSid,
        messageStatusFromCarrier(sent.status) ?? 'accepted',
        sent.from,
      );
      return { kind: 'sent', providerMessageSid: sent.providerMessageSid };
    } catch (error) {
      return this.refused(manager, claimed, error);
    }
  }

  private async refused(manager: EntityManager, message: MessageRecord, error: unknown): Promise<SendOutcome> {
    if (!(error instanceof TelephonyRequestError)) throw error;
    if (error.permanent) {
      await this.messages.finish(manager, message.id, 'failed', error.code ?? null, error.message);
      await this.consequences.apply(manager, message.allianceId as string, message.voterPhone, phoneConsequenceOf(error.code), message.id);
      this.logger.warn({ message: 'text refused for good', messageId: message.id, errorCode: error.code });
      return { kind: 'failed', errorCode: error.code ?? null };
    }
    if (error.status === undefined) {
      // Timed out or cut off: the carrier may have queued it. Left `requesting` for the sweep to ask.
      this.logger.warn({ message: 'carrier did not answer a text request', messageId: message.id, error: error.message });
      return { kind: 'unknown' };
    }
    if (message.sendAttempts >= MAX_SEND_ATTEMPTS) {
      await this.messages.finish(manager, message.id, 'failed', error.code ?? 'gave-up', `gave up after ${message.sendAttempts} attempts: ${error.message}`);
      return { kind: 'failed', errorCode: error.code ?? null };
    }
    const at = new Date(Date.now() + Math.min(60_000, 1_000 * 2 ** (message.sendAttempts - 1)));
    await this.messages.release(manager, message.id, at, error.code ?? null, error.message);
    return { kind: 'retry', at, error };
  }
}
