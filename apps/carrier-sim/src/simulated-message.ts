import type { MessagePlan } from './message-plan.draw';
import type { SeededRandom } from './seeded-random';
import type { CallbackDelivery } from './status-callback.sender';
import type { TimerHandle } from './timer.registry';

export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';

/** Twilio's `direction`: what we sent through the API, what Twilio answered by itself (STOP/START/HELP), what came in. */
export type MessageDirection = 'outbound-api' | 'outbound-reply' | 'inbound';

/** What Create Message asked for, validated (an inbound text or an automatic reply is recorded in the same shape). */
export interface MessageRequest {
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly mediaUrls: readonly string[];
  readonly statusCallback: string | null;
  /** Seconds the text may wait in the queue (ValidityPeriod); null when not given (Twilio's default is 36,000). */
  readonly validityPeriod: number | null;
}

/** What the inbound webhook answered, for POST /sim/inbound and the text's snapshot. */
export interface InboundWebhookResult {
  readonly url: string;
  /** The HTTP status, or 0 when the receiver could not be reached. */
  readonly status: number;
  readonly ms: number;
  readonly error?: string;
}

export interface SimulatedMessage {
  readonly sid: string;
  readonly accountSid: string;
  readonly direction: MessageDirection;
  readonly request: MessageRequest;
  readonly random: SeededRandom;
  /** How an outbound text plays out; null for inbound texts and automatic replies, which do not. */
  readonly plan: MessagePlan | null;
  readonly numSegments: number;
  readonly createdAt: number;
  /** The request's From, or the number the messaging service picked once sent. */
  from: string | null;
  status: MessageStatus;
  updatedAt: number;
  sentAt: number | null;
  errorCode: number | null;
  pendingStep: TimerHandle | undefined;
  readonly callbacks: CallbackDelivery[];
  /** Inbound texts: what the messaging webhook answered (null until it has). */
  webhook: InboundWebhookResult | null;
}
