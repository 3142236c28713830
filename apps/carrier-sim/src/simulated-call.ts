import type { AnsweredBy, CallPlan, MachineDetection } from './call-plan.draw';
import type { SeededRandom } from './seeded-random';
import type { CallbackDelivery, CallbackMethod } from './status-callback.sender';
import type { TimerHandle } from './timer.registry';

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type CallEvent = (typeof CALL_EVENTS)[number];

const TERMINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function isTerminal(status: CallStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** What Create Call asked for, validated. */
export interface CallRequest {
  readonly to: string;
  readonly from: string;
  readonly url: string | null;
  readonly method: CallbackMethod;
  readonly twiml: string | null;
  readonly applicationSid: string | null;
  readonly statusCallback: string | null;
  readonly statusCallbackMethod: CallbackMethod;
  /** The events asked for; `completed` is sent whether asked for or not. */
  readonly statusCallbackEvents: readonly CallEvent[];
  readonly timeoutSeconds: number;
  readonly machineDetection: MachineDetection | null;
}

/** A later instruction for a live call (Url or Twiml update), such as a redirect into a conference. */
export interface CallInstruction {
  readonly at: string;
  readonly url: string | null;
  readonly method: CallbackMethod | null;
  readonly twiml: string | null;
}

export interface CallTimelineEntry {
  readonly event: CallEvent;
  readonly status: string;
  readonly at: string;
}

/** One simulated outbound call: what was asked, where it stands, and what it has sent. */
export interface SimulatedCall {
  readonly sid: string;
  readonly accountSid: string;
  readonly request: CallRequest;
  readonly random: SeededRandom;
  readonly createdAt: number;
  status: CallStatus;
  updatedAt: number;
  /** Current instructions: the create request's, replaced by updates. */
  url: string | null;
  twiml: string | null;
  statusCallback: string | null;
  statusCallbackMethod: CallbackMethod;
  dequeuedAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  answeredBy: AnsweredBy | null;
  plan: CallPlan | null;
  nextSequenceNumber: number;
  /** The one play-out step waiting to happen; canceled by a hang-up. */
  pendingStep: TimerHandle | undefined;
  readonly timeline: CallTimelineEntry[];
  readonly callbacks: CallbackDelivery[];
  readonly instructions: CallInstruction[];
}

/** Whole seconds from pick-up to the end, rounded up; null for a call nobody answered. */
export function callDurationSeconds(call: SimulatedCall): number | null {
  if (call.answeredAt === null || call.endedAt === null) return null;
  return Math.ceil((call.endedAt - call.answeredAt) / 1000);
}
