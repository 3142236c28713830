import { ApiError, getJson, sendJson, withAlliance } from './api.client';
import type { CallableCampaign, SurveyChoice } from './calling.client';

/** What the texter's screen shows of a voter: a first name to greet and four digits to confirm, never the number. */
export interface TextingVoter {
  readonly firstName: string | null;
  readonly phoneLastDigits: string;
}

/** A batch of contacts handed to the texter (POST …/assignments). */
export interface Assignment {
  readonly assignmentId: string | null;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly requestedCount: number;
  /** Fewer than requested when the list is running out; 0 when nobody was left. */
  readonly assignedCount: number;
  /** The texter's conversations waiting for their first text, this batch's and any before. */
  readonly needsMessage: number;
}

/** The next conversation waiting for its first text, with the text exactly as it will be sent. */
export type NextInitial =
  | {
      readonly kind: 'conversation';
      readonly conversationId: string;
      readonly voter: TextingVoter;
      readonly body: string;
      readonly segmentKey: string | null;
      /** Waiting for their first text, this one included. */
      readonly waiting: number;
    }
  | { readonly kind: 'none'; readonly reason: 'campaign_not_active' | 'none_assigned'; readonly message: string };

export interface TextMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly kind: string;
  readonly body: string;
  readonly status: string;
  readonly segmentKey: string | null;
  readonly createdAt: string;
}

export interface SentText {
  readonly message: TextMessage;
  /** True when the server found the text already written (a double press, a retry): nothing was sent twice. */
  readonly repeated: boolean;
  /** Outside the voter's texting window the text waits until then; null when it goes now. */
  readonly heldUntil: string | null;
}

export type ConversationStatus = 'needs_message' | 'needs_response' | 'messaged' | 'closed';
export type ConversationClosedReason = 'texter' | 'opted_out' | 'undeliverable' | 'invalid_number' | 'not_mobile' | 'suppressed' | 'window';

export interface ConversationSummary {
  readonly id: string;
  readonly status: ConversationStatus;
  readonly closedReason: ConversationClosedReason | null;
  readonly firstName: string | null;
  readonly phoneLastDigits: string;
  readonly lastInboundAt: string | null;
  readonly lastOutboundAt: string | null;
  readonly updatedAt: string;
  readonly lastMessage: { readonly direction: 'outbound' | 'inbound'; readonly body: string; readonly createdAt: string } | null;
}

export interface ConversationPage {
  readonly items: readonly ConversationSummary[];
  readonly nextCursor: string | null;
}

export interface ConversationMessage {
  readonly id: string;
  readonly direction: 'outbound' | 'inbound';
  /** initial, reply, help_reply, opt_out_reply, opt_in_reply or inbound. */
  readonly kind: string;
  readonly body: string;
  /** An outbound text's status (created … delivered, undelivered, failed, canceled); received for inbound. */
  readonly status: string;
  readonly errorCode: string | null;
  /** A held text: not before this. */
  readonly sendAfter: string | null;
  readonly createdAt: string;
}

export interface CannedResponse {
  readonly key: string;
  readonly title: string;
  /** Merge fields already filled for this voter. */
  readonly body: string;
}

export interface TextingSurveyQuestion {
  readonly key: string;
  readonly kind: 'single_choice' | 'scale' | 'free_text' | 'values';
  readonly prompt: string;
  readonly choices: readonly SurveyChoice[];
}

export interface SurveyAnswer {
  readonly questionKey: string;
  readonly answer: string;
}

export interface ConversationDetail {
  readonly id: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: ConversationStatus;
  readonly closedReason: ConversationClosedReason | null;
  readonly voter: TextingVoter;
  /** The phone opted out of texts: no reply can be sent. */
  readonly optedOut: boolean;
  /** Oldest first. */
  readonly messages: readonly ConversationMessage[];
  readonly cannedResponses: readonly CannedResponse[];
  readonly surveyQuestions: readonly TextingSurveyQuestion[];
  /** What closing recorded; null while open. */
  readonly attempt: { readonly id: string; readonly disposition: string; readonly answers: readonly SurveyAnswer[] } | null;
}

export const TEXTING_DISPOSITIONS = ['texted', 'replied', 'refused', 'wrong_number', 'do_not_call'] as const;
export type TextingDisposition = (typeof TEXTING_DISPOSITIONS)[number];

export interface ClosedConversation {
  readonly conversationId: string;
  readonly attemptId: string;
  readonly disposition: string;
  readonly answers: readonly SurveyAnswer[];
  readonly repeated: boolean;
}

/** Live figures of a text campaign, for one organization or summed. */
export interface TextingFigures {
  readonly contacts: { readonly total: number; readonly assigned: number; readonly initialSent: number };
  /** Outbound texts by status. */
  readonly outboundByStatus: Readonly<Record<string, number>>;
  readonly failuresByErrorCode: ReadonlyArray<{ readonly status: string; readonly errorCode: string | null; readonly count: number }>;
  readonly replies: number;
  readonly needsResponse: number;
  readonly optOuts: number;
}

export interface TextingStats {
  readonly campaignId: string;
  readonly campaignStatus: string;
  readonly asOf: string;
  readonly totals: TextingFigures;
  readonly organizations: ReadonlyArray<TextingFigures & { readonly organizationId: string; readonly organizationName: string }>;
}

export interface UnmatchedText {
  readonly id: string;
  readonly phoneLastDigits: string;
  readonly ourNumber: string | null;
  readonly body: string;
  readonly receivedAt: string;
}

export interface OptOutEvent {
  readonly id: string;
  readonly channel: string;
  readonly action: 'opt_out' | 'opt_in';
  readonly source: 'keyword' | 'carrier' | 'admin' | 'texter';
  readonly messageId: string | null;
  readonly actorUserId: string | null;
  readonly reason: string | null;
  readonly createdAt: string;
}

export interface PhoneOptOutState {
  readonly phone: string;
  readonly optedOutOfTexts: boolean;
  /** Newest first. */
  readonly history: readonly OptOutEvent[];
}

const texting = '/api/texting';
const campaignPath = (campaignId: string) => `${texting}/campaigns/${encodeURIComponent(campaignId)}`;
const conversationPath = (conversationId: string) => `${texting}/conversations/${encodeURIComponent(conversationId)}`;

export function requestContacts(campaignId: string, count: number): Promise<Assignment> {
  return sendJson('POST', `${campaignPath(campaignId)}/assignments`, { count });
}

export function getNextInitial(campaignId: string, signal?: AbortSignal): Promise<NextInitial> {
  return getJson(`${campaignPath(campaignId)}/next-initial`, signal);
}

export function sendInitial(conversationId: string): Promise<SentText> {
  return sendJson('POST', `${conversationPath(conversationId)}/initial`);
}

export function listConversations(
  campaignId: string,
  status: Exclude<ConversationStatus, 'needs_message'>,
  options: { readonly cursor?: string; readonly limit?: number } = {},
  signal?: AbortSignal,
): Promise<ConversationPage> {
  const query = new URLSearchParams({ status });
  if (options.cursor !== undefined) query.set('cursor', options.cursor);
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  return getJson(`${campaignPath(campaignId)}/conversations?${query.toString()}`, signal);
}

export function getConversation(conversationId: string, signal?: AbortSignal): Promise<ConversationDetail> {
  return getJson(conversationPath(conversationId), signal);
}

/** `clientKey` is made once per composed reply: a retry or a double submit with the same key sends once. */
export function sendReply(conversationId: string, body: string, clientKey: string): Promise<SentText> {
  return sendJson('POST', `${conversationPath(conversationId)}/replies`, { body, clientKey });
}

export function closeConversation(
  conversationId: string,
  close: { readonly answers: readonly SurveyAnswer[]; readonly disposition?: TextingDisposition },
): Promise<ClosedConversation> {
  return sendJson('POST', `${conversationPath(conversationId)}/close`, close);
}

export function getTextingStats(campaignId: string, signal?: AbortSignal): Promise<TextingStats> {
  return getJson(`${campaignPath(campaignId)}/stats`, signal);
}

export function listUnmatchedTexts(cursor: string | null, signal?: AbortSignal): Promise<{ items: UnmatchedText[]; nextCursor: string | null }> {
  return getJson(withAlliance(`${texting}/unmatched${cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`}`), signal);
}

const optOutPath = (phone: string) => `/api/opt-outs/${encodeURIComponent(phone)}`;

export function getPhoneOptOuts(phone: string, signal?: AbortSignal): Promise<PhoneOptOutState> {
  return getJson(withAlliance(optOutPath(phone)), signal);
}

export function optOutPhone(phone: string, reason: string): Promise<PhoneOptOutState> {
  return sendJson('POST', withAlliance(optOutPath(phone)), { reason });
}

export function reverseOptOut(phone: string, reason: string): Promise<PhoneOptOutState> {
  return sendJson('POST', withAlliance(`${optOutPath(phone)}/reversal`), { reason });
}

/** The `details.reason` of a texting refusal (a 409), or null for any other failure. */
export function refusalReasonOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const reason = error.details?.reason;
  return typeof reason === 'string' ? reason : null;
}

/** A UUID for one composed reply; crypto.randomUUID needs a secure context, which plain http on a LAN is not. */
export function newClientKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The active text campaigns the signed-in person can text in (name and window only). */
export function listTextableCampaigns(signal?: AbortSignal): Promise<{ campaigns: CallableCampaign[] }> {
  return getJson(withAlliance('/api/campaigns/textable'), signal);
}
