import type { CallPlan } from './call-plan.draw';
import type { AnsweredBy } from './scenario';
import type { SeededRandom } from './seeded-random';
import type { CallbackDelivery, CallbackMethod } from './status-callback.sender';
import type { TimerHandle } from './timer.registry';
import type { TwimlVerb } from './twiml.parser';

export const CALL_STATUSES = ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;
export type CallEvent = (typeof CALL_EVENTS)[number];

/** Moments in a call's timeline that send no status callback: ground truth for tests. */
export type CallMilestone = 'picked-up' | 'verdict' | 'bridged' | 'left-conference';

export type MachineDetection = 'Enable' | 'DetectMessageEnd';

/** `outbound-api` for calls placed through the REST API, `inbound` for simulated browser (client) legs. */
export type CallDirection = 'outbound-api' | 'inbound';

const TERMINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function isTerminal(status: CallStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** The AMD tuning of Create Call, with Twilio's defaults filled in (read whether or not MachineDetection was asked for). */
export interface MachineDetectionOptions {
  /** AsyncAmd=true: the call's instructions run at pick-up and the verdict goes to `statusCallback` later. */
  readonly asynchronous: boolean;
  readonly statusCallback: string | null;
  readonly statusCallbackMethod: CallbackMethod;
  /** MachineDetectionTimeout: past this the verdict is `unknown`. */
  readonly timeoutSeconds: number;
  /** MachineDetectionSpeechThreshold: speech longer than this is a machine. */
  readonly speechThresholdMs: number;
  /** MachineDetectionSpeechEndThreshold: silence after speech that ends it (a human verdict comes this long after the greeting). */
  readonly speechEndThresholdMs: number;
  /** MachineDetectionSilenceTimeout: initial silence that gives `unknown`. */
  readonly silenceTimeoutMs: number;
}

/** What Create Call asked for, validated. */
export interface CallRequest {
  readonly to: string;
  readonly from: string;
  readonly url: string | null;
  readonly method: CallbackMethod;
  readonly twiml: string | null;
  readonly fallbackUrl: string | null;
  readonly fallbackMethod: CallbackMethod;
  readonly applicationSid: string | null;
  readonly statusCallback: string | null;
  readonly statusCallbackMethod: CallbackMethod;
  /** The events asked for; `completed` is sent whether asked for or not. */
  readonly statusCallbackEvents: readonly CallEvent[];
  readonly timeoutSeconds: number;
  readonly machineDetection: MachineDetection | null;
  readonly machineDetectionOptions: MachineDetectionOptions;
}

/** A later instruction for a live call (Url or Twiml update), such as a redirect into a conference. */
export interface CallInstruction {
  readonly at: string;
  readonly url: string | null;
  readonly method: CallbackMethod | null;
  readonly twiml: string | null;
}

export interface CallTimelineEntry {
  readonly event: CallEvent | CallMilestone;
  readonly status: string;
  readonly at: string;
  /** The conference, for bridged and left-conference. */
  readonly conference?: string;
}

/** Why a voice request was made: the answer, a <Redirect>, a REST update, the FallbackUrl, or a browser leg connecting. */
export type VoiceRequestReason = 'answer' | 'redirect' | 'update' | 'fallback' | 'client';

/** One request for TwiML, as /sim/calls shows it: the api's answer time is `latencyMs`. */
export interface VoiceRequestRecord {
  readonly reason: VoiceRequestReason;
  readonly url: string;
  readonly method: CallbackMethod;
  readonly params: Readonly<Record<string, string>>;
  readonly sentAt: string;
  respondedAt: string | null;
  latencyMs: number | null;
  /** The receiver's HTTP status; null when it never answered. */
  status: number | null;
  contentType: string | null;
  body: string | null;
  error: CallError | null;
}

/** An error Twilio would log in its debugger for the call (11200 HTTP retrieval failure, 12100 document parse failure, …). */
export interface CallError {
  readonly at: string;
  readonly code: number;
  readonly message: string;
  readonly url: string | null;
}

/** The TwiML document a call is running and where it stands in it. */
export interface TwimlExecution {
  /** Bumped by every new document, interruption and hang-up: a late answer or timer for an older one is dropped. */
  generation: number;
  verbs: readonly TwimlVerb[];
  /** The next verb to run. */
  index: number;
  /** Where the document came from; relative <Redirect> URLs resolve against it. */
  documentUrl: string | null;
  /** The FallbackUrl is asked at most once per set of instructions. */
  fallbackUsed: boolean;
  /** The conference the call is in now. */
  conference: string | null;
}

/** Timers a live call may have running at once besides its life-cycle step; all are cleared when it ends. */
export interface CallTimers {
  /** The verb being played (<Say>, <Play>, <Pause>). */
  verb?: TimerHandle;
  /** The callee's own hang-up (talkMs). */
  hangUp?: TimerHandle;
  /** An asynchronous detection verdict. */
  detection?: TimerHandle;
  /** maxCallMs from pick-up. */
  maxDuration?: TimerHandle;
}

/** One simulated call, outbound or a browser leg: what was asked, where it stands, and what it has sent. */
export interface SimulatedCall {
  readonly sid: string;
  readonly accountSid: string;
  readonly direction: CallDirection;
  readonly request: CallRequest;
  readonly random: SeededRandom;
  readonly createdAt: number;
  /** For a browser leg: its identity (From is `client:<identity>`), and the extra parameters it sends. */
  readonly clientIdentity: string | null;
  readonly clientParameters: Readonly<Record<string, string>>;
  status: CallStatus;
  updatedAt: number;
  /** Current instructions: the create request's, replaced by updates. */
  url: string | null;
  method: CallbackMethod;
  twiml: string | null;
  fallbackUrl: string | null;
  fallbackMethod: CallbackMethod;
  statusCallback: string | null;
  statusCallbackMethod: CallbackMethod;
  dequeuedAt: number | null;
  /** Pick-up (a browser leg: when its TwiML started); the call's duration counts from here. */
  answeredAt: number | null;
  endedAt: number | null;
  answeredBy: AnsweredBy | null;
  /** Ground truth: when the callee's greeting ended, when the detection verdict came, when the call was first bridged to someone. */
  greetingEndsAt: number | null;
  verdictAt: number | null;
  bridgedAt: number | null;
  /** Every call it shared a started conference with; empty for a callee that never heard anyone. */
  readonly bridgedWith: string[];
  /** When the callee's own talk clock (talkMs) started; restarted once at the first bridge. */
  talkStartedAt: number | null;
  /** Whether the call's instructions have started to run (at answer); updates before that wait for it. */
  instructionsStarted: boolean;
  execution: TwimlExecution;
  plan: CallPlan | null;
  nextSequenceNumber: number;
  /** The life-cycle step waiting to happen (ringing, pick-up, verdict); canceled by a hang-up. */
  pendingStep: TimerHandle | undefined;
  readonly timers: CallTimers;
  readonly timeline: CallTimelineEntry[];
  readonly callbacks: CallbackDelivery[];
  readonly instructions: CallInstruction[];
  readonly voiceRequests: VoiceRequestRecord[];
  readonly errors: CallError[];
}

/** Whole seconds from pick-up to the end, rounded up; null for a call nobody answered. */
export function callDurationSeconds(call: SimulatedCall): number | null {
  if (call.answeredAt === null || call.endedAt === null) return null;
  return Math.ceil((call.endedAt - call.answeredAt) / 1000);
}
