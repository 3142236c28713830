import { getJson, sendJson, withAlliance } from './api.client';

/** A phone campaign as a volunteer sees it (GET /api/campaigns/callable): its name and hours, not its settings. */
export interface CallableCampaign {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: string;
  /** Local times in each voter's own zone, "09:00" to "20:30". */
  readonly callingWindow: { readonly start: string; readonly end: string };
  /** preview: the volunteer clicks each call; power and predictive: the dialer connects voters who answer. */
  readonly dialMode: 'preview' | 'power' | 'predictive';
}

/** The carrier's words for a call's state, in the order a call moves through them. */
export type CallStatus =
  'created' | 'requesting' | 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface Call {
  readonly id: string;
  readonly leaseId: string;
  readonly status: CallStatus;
  /** "human" or "machine" once the carrier can tell. */
  readonly answeredBy: string | null;
  readonly durationSeconds: number | null;
  readonly errorMessage: string | null;
  readonly createdAt: string;
  readonly endedAt: string | null;
}

export interface SurveyChoice {
  readonly value: string;
  readonly label: string;
}

export type SurveyQuestionKind = 'single_choice' | 'scale' | 'free_text' | 'values';

export interface ScriptQuestion {
  readonly key: string;
  readonly kind: SurveyQuestionKind;
  /** Merge fields already filled in. */
  readonly prompt: string;
  /** Empty for free text. */
  readonly choices: readonly SurveyChoice[];
}

/** One step of a script, rendered for one voter (or the sample voter of a preview). */
export interface ScriptStep {
  readonly stepId: string;
  readonly title: string;
  readonly text: string;
  /** The values segment whose wording was used, or null for the base text. */
  readonly variantSegmentKey: string | null;
  readonly question: ScriptQuestion | null;
  readonly branches: ReadonlyArray<{ readonly answer: string; readonly next: string }>;
  /** Where an answer without a branch (or no answer) goes; null ends the script. */
  readonly next: string | null;
}

export interface RenderedScript {
  readonly startStepId: string;
  /** Every reachable step, in the order a walk from the start meets them. */
  readonly steps: readonly ScriptStep[];
}

export interface DispositionOption {
  readonly value: string;
  readonly label: string;
  /** One lower-case letter, distinct across dispositions. */
  readonly shortcutKey: string;
  readonly isConversation: boolean;
}

/** The one voter in front of the volunteer: never a list, and never the whole phone number. */
export interface CallCard {
  readonly leaseId: string;
  readonly leasedUntil: string;
  /** Earlier attempts on this voter in this campaign. */
  readonly attempts: number;
  readonly voter: {
    readonly id: string;
    readonly firstName: string | null;
    readonly lastName: string | null;
    readonly age: number | null;
    readonly city: string | null;
    /** Voters who share the phone, this one included. */
    readonly householdSize: number;
  };
  readonly phoneLastDigits: string;
  readonly segment: { readonly key: string; readonly name: string; readonly colour: string; readonly probability: number | null } | null;
  readonly script: RenderedScript;
  /** The call already placed for this card (after a reload), or null. */
  readonly call: Call | null;
  readonly dispositions: readonly DispositionOption[];
}

export type NoVoterReason = 'campaign_not_active' | 'session_not_active' | 'outside_calling_window' | 'no_voters_left' | 'waiting_for_dialer';

export type NextVoter =
  { readonly kind: 'card'; readonly card: CallCard } | { readonly kind: 'none'; readonly reason: NoVoterReason; readonly message: string };

export interface SessionStats {
  readonly calls: number;
  readonly attempts: number;
  readonly conversations: number;
  readonly talkSeconds: number;
  /** Time since the start, less the pauses. */
  readonly activeSeconds: number;
}

export type SessionStatus = 'active' | 'paused' | 'ended';

export interface CallingSession {
  readonly id: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: SessionStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** Power and predictive campaigns: where the dialer has the volunteer (leaving: stopped while calls dialed for them still ring); null when not taking calls (always in preview). */
  readonly dialerState: 'ready' | 'talking' | 'wrap-up' | 'leaving' | null;
  /** Only on GET /api/calling-sessions/:id. */
  readonly stats?: SessionStats;
}

export interface SurveyAnswer {
  readonly questionKey: string;
  readonly answer: string;
}

export interface SavedAttempt {
  readonly id: string;
  readonly disposition: string;
  readonly outcome: string | null;
  readonly callBackAt: string | null;
  readonly answers: readonly SurveyAnswer[];
  /** The save had already happened (a retry or a double press); nothing changed. */
  readonly repeated: boolean;
}

/** How the browser joins calls: the carrier simulator has no audio; real Twilio needs its Voice SDK. */
export interface VoiceAccess {
  readonly kind: 'simulated' | 'twilio-voice-sdk';
  readonly identity: string;
  readonly token?: string;
  readonly expiresInSeconds?: number;
}

const session = (id: string) => `/api/calling-sessions/${encodeURIComponent(id)}`;

export function listCallableCampaigns(signal?: AbortSignal): Promise<{ campaigns: CallableCampaign[] }> {
  return getJson(withAlliance('/api/campaigns/callable'), signal);
}

/** Opens a session in the campaign, or resumes the volunteer's open one there. */
export function startSession(campaignId: string): Promise<CallingSession> {
  return sendJson('POST', '/api/calling-sessions', { campaignId });
}

export function getSession(id: string, signal?: AbortSignal): Promise<CallingSession> {
  return getJson(session(id), signal);
}

export function setSessionStatus(id: string, status: SessionStatus): Promise<CallingSession> {
  return sendJson('POST', `${session(id)}/status`, { status });
}

/** Power and predictive campaigns: take calls (the dialer connects voters who answer), or stop after the current one is saved. */
export function setDialerState(id: string, state: 'ready' | 'not-ready'): Promise<CallingSession> {
  return sendJson('POST', `${session(id)}/dialer-state`, { state });
}

/** The voter to call now: the current one again until a disposition is saved or they are skipped. */
export function nextVoter(id: string): Promise<NextVoter> {
  return sendJson('POST', `${session(id)}/next`);
}

export function skipVoter(id: string, leaseId: string): Promise<null> {
  return sendJson('POST', `${session(id)}/skip`, { leaseId });
}

/** Asking twice places one call: the server keys it on the lease. */
export function placeCall(id: string, leaseId: string): Promise<Call> {
  return sendJson('POST', `${session(id)}/calls`, { leaseId });
}

export function getCall(id: string, callId: string, signal?: AbortSignal): Promise<Call> {
  return getJson(`${session(id)}/calls/${encodeURIComponent(callId)}`, signal);
}

export function hangUp(id: string, callId: string): Promise<Call> {
  return sendJson('POST', `${session(id)}/calls/${encodeURIComponent(callId)}/hangup`);
}

/** Saved once per lease: a repeat answers the first save. */
export function saveDisposition(
  id: string,
  body: { leaseId: string; disposition: string; answers: readonly SurveyAnswer[]; callBackAt?: string; readyForNext?: boolean },
): Promise<SavedAttempt> {
  return sendJson('POST', `${session(id)}/dispositions`, body);
}

export function getVoiceAccess(id: string, signal?: AbortSignal): Promise<VoiceAccess> {
  return getJson(`${session(id)}/voice-access`, signal);
}
