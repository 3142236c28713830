import { drawMessagePlan } from './message-plan.draw';
import { DEFAULT_MAX_RETAINED, dropOldestFinished } from './record-retention.util';
import type { Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';
import type { MessageRequest, MessageStatus, SimulatedMessage } from './simulated-message';
import type { SimulatorLog } from './simulator-log';
import type { SimulatorCounters } from './simulator.stats';
import { countSegments } from './sms-segments.util';
import type { StatusCallbackSender } from './status-callback.sender';
import type { TimerRegistry } from './timer.registry';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';
import { newSid, TWILIO_API_VERSION } from './twilio-format.util';

/** The number a messaging service "picks" when the request names no From. */
export const MESSAGING_SERVICE_NUMBER = '+15005550006';

export interface MessageFlowDependencies {
  readonly accountSid: string;
  readonly timers: TimerRegistry;
  readonly sender: StatusCallbackSender;
  readonly counters: SimulatorCounters;
  readonly log: SimulatorLog;
  readonly scenario: () => Scenario;
  readonly random: () => SeededRandom;
  /** Settled texts kept for GET and /sim/messages; the oldest go first. */
  readonly maxRetained?: number;
}

/**
 * The life of each outbound text: queued → sent → delivered, or → sent → undelivered, or → failed,
 * as the scenario's message outcome says (with its ErrorCode). Texts are not paced yet.
 */
export class MessageFlow {
  private readonly messages = new Map<string, SimulatedMessage>();

  constructor(private readonly dependencies: MessageFlowDependencies) {}

  create(request: MessageRequest): SimulatedMessage {
    const now = Date.now();
    const random = this.dependencies.random().fork();
    const message: SimulatedMessage = {
      sid: newSid('SM'),
      accountSid: this.dependencies.accountSid,
      request,
      random,
      plan: drawMessagePlan(this.dependencies.scenario(), random, request.to),
      numSegments: countSegments(request.body),
      createdAt: now,
      from: request.from,
      status: 'queued',
      updatedAt: now,
      sentAt: null,
      errorCode: null,
      pendingStep: undefined,
      callbacks: [],
    };
    this.messages.set(message.sid, message);
    dropOldestFinished(
      this.messages,
      (existing) => existing.status !== 'queued' && existing.status !== 'sent',
      this.dependencies.maxRetained ?? DEFAULT_MAX_RETAINED,
    );
    this.dependencies.counters.messagesCreated += 1;
    message.pendingStep = this.dependencies.timers.after(message.plan.sentMs, () => this.leaveCarrier(message));
    return message;
  }

  find(sid: string): SimulatedMessage {
    const message = this.messages.get(sid);
    if (!message) throw new TwilioApiException(404, TWILIO_ERROR.notFound, `The requested resource /Messages/${sid}.json was not found`);
    return message;
  }

  list(filter: { readonly to?: string } = {}): SimulatedMessage[] {
    return [...this.messages.values()].filter((message) => filter.to === undefined || message.request.to === filter.to);
  }

  reset(): void {
    this.messages.clear();
  }

  private leaveCarrier(message: SimulatedMessage): void {
    message.from ??= MESSAGING_SERVICE_NUMBER;
    if (message.plan.outcome === 'failed') {
      this.settle(message, 'failed', true);
      return;
    }
    message.sentAt = Date.now();
    this.settle(message, 'sent', false);
    message.pendingStep = this.dependencies.timers.after(message.plan.deliveredMs, () =>
      this.settle(message, message.plan.outcome === 'delivered' ? 'delivered' : 'undelivered', true),
    );
  }

  private settle(message: SimulatedMessage, status: MessageStatus, final: boolean): void {
    message.pendingStep = undefined;
    message.status = status;
    message.updatedAt = Date.now();
    if (status === 'failed' || status === 'undelivered') message.errorCode = message.plan.errorCode;
    if (final) this.dependencies.log({ level: 'debug', message: 'message settled', messageSid: message.sid, status });
    const url = message.request.statusCallback;
    if (url === null) return;
    const params: Record<string, string> = {
      AccountSid: message.accountSid,
      ApiVersion: TWILIO_API_VERSION,
      From: message.from ?? MESSAGING_SERVICE_NUMBER,
      MessageSid: message.sid,
      MessageStatus: status,
      SmsSid: message.sid,
      SmsStatus: status,
      To: message.request.to,
    };
    if (message.request.messagingServiceSid !== null) params.MessagingServiceSid = message.request.messagingServiceSid;
    if (message.errorCode !== null) params.ErrorCode = String(message.errorCode);
    this.dependencies.sender.send(message, { event: status, status, sequenceNumber: null, url, method: 'POST', params, final });
  }
}
