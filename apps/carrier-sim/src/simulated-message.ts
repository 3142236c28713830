import type { MessagePlan } from './message-plan.draw';
import type { SeededRandom } from './seeded-random';
import type { CallbackDelivery } from './status-callback.sender';
import type { TimerHandle } from './timer.registry';

export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

/** What Create Message asked for, validated. */
export interface MessageRequest {
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly mediaUrls: readonly string[];
  readonly statusCallback: string | null;
}

export interface SimulatedMessage {
  readonly sid: string;
  readonly accountSid: string;
  readonly request: MessageRequest;
  readonly random: SeededRandom;
  readonly plan: MessagePlan;
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
}
