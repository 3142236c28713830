import type { MessageAdmission } from './message-admission.service';
import { drawMessagePlan, type MessagePlan } from './message-plan.draw';
import { DEFAULT_MAX_RETAINED, dropOldestFinished } from './record-retention.util';
import type { Scenario } from './scenario';
import { SeededRandom } from './seeded-random';
import type { MessageDirection, MessageRequest, MessageStatus, SimulatedMessage } from './simulated-message';
import type { SimulatorLog } from './simulator-log';
import type { SimulatorCounters } from './simulator.stats';
import { countSegments } from './sms-segments.util';
import type { StatusCallbackSender } from './status-callback.sender';
import type { TimerRegistry } from './timer.registry';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';
import { newSid, TWILIO_API_VERSION } from './twilio-format.util';

/** The number a messaging service "picks" when the request names no From. */
export const MESSAGING_SERVICE_NUMBER = '+15005550006';

// Inbound texts and automatic replies send no status callbacks, so draw nothing; a shared sequence keeps them from shifting the main one.
const NO_DRAWS = new SeededRandom(0);

/** Twilio's ValidityPeriod when a request gives none: 36,000 s. */
export const DEFAULT_VALIDITY_PERIOD_SECONDS = 36_000;

export interface MessageFlowDependencies {
  readonly accountSid: string;
  readonly timers: TimerRegistry;
  readonly sender: StatusCallbackSender;
  readonly counters: SimulatorCounters;
  readonly log: SimulatorLog;
  readonly scenario: () => Scenario;
  readonly random: () => SeededRandom;
  /** Rate caps, transient failures, refused numbers and opt-outs, checked before a text is created. */
  readonly admission: MessageAdmission;
  /** Settled texts kept for GET and /sim/messages; the oldest go first. */
  readonly maxRetained?: number;
}

export interface MessageFilter {
  readonly to?: string;
  readonly from?: string;
}

/**
 * Every text the carrier knows. Outbound ones live queued → (queue wait) → sent → delivered, or →
 * sent → undelivered, or → failed, as the scenario's message outcome says (with its ErrorCode); one
 * whose queue wait outlasts its ValidityPeriod fails when the period runs out. Inbound texts and
 * Twilio's automatic replies are recorded as they are, already settled.
 */
export class MessageFlow {
  private readonly messages = new Map<string, SimulatedMessage>();

  constructor(private readonly dependencies: MessageFlowDependencies) {}

  /** Create Message: admitted (or refused with a TwilioApiException, creating nothing), then played out. */
  create(request: MessageRequest): SimulatedMessage {
    const now = Date.now();
    this.dependencies.admission.admit(request, now);
    const random = this.dependencies.random().fork();
    const plan = drawMessagePlan(this.dependencies.scenario(), random, request.to);
    const message = this.store({ direction: 'outbound-api', request, random, plan, status: 'queued', now });
    this.dependencies.counters.messagesCreated += 1;
    const validityMs = (request.validityPeriod ?? DEFAULT_VALIDITY_PERIOD_SECONDS) * 1000;
    message.pendingStep =
      plan.queueMs > validityMs
        ? this.dependencies.timers.after(validityMs, () => this.settle(message, 'failed', true, plan.expiredErrorCode))
        : this.dependencies.timers.after(plan.queueMs + plan.sentMs, () => this.leaveCarrier(message, plan));
    return message;
  }

  /** A text that came in from a handset, as Twilio stores it: `inbound`, `received`, date_sent now. */
  recordInbound(request: MessageRequest): SimulatedMessage {
    this.dependencies.counters.messagesReceived += 1;
    return this.store({ direction: 'inbound', request, random: NO_DRAWS, plan: null, status: 'received', now: Date.now() });
  }

  /** Twilio's own answer to a keyword: `outbound-reply`, sent and delivered at once, with no status callback. */
  recordReply(request: MessageRequest): SimulatedMessage {
    this.dependencies.counters.autoReplies += 1;
    return this.store({ direction: 'outbound-reply', request, random: NO_DRAWS, plan: null, status: 'delivered', now: Date.now() });
  }

  find(sid: string): SimulatedMessage {
    const message = this.messages.get(sid);
    if (!message) throw new TwilioApiException(404, TWILIO_ERROR.notFound, `The requested resource /Messages/${sid}.json was not found`);
    return message;
  }

  /** In creation order. */
  list(filter: MessageFilter = {}): SimulatedMessage[] {
    return [...this.messages.values()].filter(
      (message) => (filter.to === undefined || message.request.to === filter.to) && (filter.from === undefined || message.from === filter.from),
    );
  }

  reset(): void {
    this.messages.clear();
  }

  private store(fields: {
    direction: MessageDirection;
    request: MessageRequest;
    random: SeededRandom;
    plan: SimulatedMessage['plan'];
    status: MessageStatus;
    now: number;
  }): SimulatedMessage {
    const { request, now } = fields;
    const message: SimulatedMessage = {
      sid: newSid('SM'),
      accountSid: this.dependencies.accountSid,
      direction: fields.direction,
      request,
      random: fields.random,
      plan: fields.plan,
      numSegments: countSegments(request.body),
      createdAt: now,
      from: request.from,
      status: fields.status,
      updatedAt: now,
      sentAt: fields.status === 'queued' ? null : now,
      errorCode: null,
      pendingStep: undefined,
      callbacks: [],
      webhook: null,
    };
    this.messages.set(message.sid, message);
    dropOldestFinished(
      this.messages,
      (existing) => existing.status !== 'queued' && existing.status !== 'sent',
      this.dependencies.maxRetained ?? DEFAULT_MAX_RETAINED,
    );
    return message;
  }

  private leaveCarrier(message: SimulatedMessage, plan: MessagePlan): void {
    message.from ??= MESSAGING_SERVICE_NUMBER;
    if (plan.outcome === 'failed') {
      this.settle(message, 'failed', true, plan.errorCode);
      return;
    }
    message.sentAt = Date.now();
    this.settle(message, 'sent', false, null);
    message.pendingStep = this.dependencies.timers.after(plan.deliveredMs, () =>
      this.settle(message, plan.outcome === 'delivered' ? 'delivered' : 'undelivered', true, plan.errorCode),
    );
  }

  private settle(message: SimulatedMessage, status: MessageStatus, final: boolean, errorCode: number | null): void {
    message.pendingStep = undefined;
    message.status = status;
    message.updatedAt = Date.now();
    if (status === 'failed' || status === 'undelivered') message.errorCode = errorCode;
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
