import { ApiError, getJson, requestAlliance, sendJson, withAlliance } from './api.client';
import type { ScriptStep } from './calling.client';

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'finished';
export type DialMode = 'preview' | 'power' | 'predictive';
/** A phone bank (calls) or a text campaign (peer-to-peer texts); chosen when the campaign is created. */
export type CampaignChannel = 'phone' | 'sms';

/** The first text of each conversation, with its wording for voters of one values segment. */
export interface InitialMessage {
  readonly template: string;
  readonly variants: ReadonlyArray<{ readonly segmentKey: string; readonly template: string }>;
}

/** A reply a texter sends with one click (merge fields allowed). */
export interface CannedResponseSetting {
  readonly key: string;
  readonly title: string;
  readonly body: string;
}

/** A campaign with its settings, as its leads see it (GET /api/campaigns and /api/campaigns/:id). */
export interface ManagedCampaign {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** The organization running it; null for an alliance-wide program. */
  readonly organizationId: string | null;
  readonly channel: CampaignChannel;
  readonly dialMode: DialMode;
  readonly status: CampaignStatus;
  readonly callerIds: readonly string[];
  readonly callingWindow: { readonly start: string; readonly end: string };
  readonly retryPolicy: Record<string, unknown>;
  readonly contactTarget: number | null;
  readonly startsOn: string | null;
  readonly endsOn: string | null;
  /** `{ startStepId, steps }` as saved, or null before the first save. */
  readonly script: unknown;
  readonly surveyQuestions: unknown;
  readonly scriptVersion: number;
  /** The dialer's pacing (power and predictive). */
  readonly callsPerSecond: number;
  readonly powerLinesPerVolunteer: number;
  readonly maxLinesPerVolunteer: number;
  /** A share of live answers, below the legal 0.03. */
  readonly abandonRateTarget: number;
  readonly identificationMessage: string | null;
  readonly voicemailMessage: string | null;
  /** Text campaigns: our numbers in E.164 (empty on a phone campaign). */
  readonly sendingNumbers?: readonly string[];
  readonly messagingServiceSid?: string | null;
  readonly initialMessage?: InitialMessage | null;
  readonly cannedResponses?: readonly CannedResponseSetting[];
  readonly suppressTextedWithinDays?: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a lead sets; a field left out keeps its value. Null clears the optional ones. */
export interface CampaignSettings {
  name?: string;
  organizationId?: string | null;
  callerIds?: string[];
  callingWindow?: { start: string; end: string };
  /** A whole number; text that is not one is sent as typed, for the API to refuse naming the field. */
  contactTarget?: number | string | null;
  startsOn?: string | null;
  endsOn?: string | null;
  dialMode?: DialMode;
  /** Numbers as typed; text that is not one is sent as typed, for the API to refuse naming the field. */
  callsPerSecond?: number | string;
  powerLinesPerVolunteer?: number | string;
  maxLinesPerVolunteer?: number | string;
  abandonRateTarget?: number | string;
  identificationMessage?: string | null;
  voicemailMessage?: string | null;
  /** Only when creating. */
  channel?: CampaignChannel;
  /** Text campaigns only. Values as typed where they may be wrong, for the API to refuse naming the field. */
  sendingNumbers?: string[];
  messagingServiceSid?: string | null;
  initialMessage?: InitialMessage | null;
  cannedResponses?: CannedResponseSetting[];
  suppressTextedWithinDays?: number | string | null;
}

/** How far a campaign's call list is in knowing its line types (GET /api/campaigns/:id/line-types). */
export interface LineTypeProgress {
  readonly total: number;
  readonly fromVoterFile: number;
  readonly lookedUp: number;
  readonly failed: number;
  readonly pending: number;
  readonly byLineType: { readonly landline: number; readonly mobile: number; readonly voip: number; readonly unknown: number; readonly notKnown: number };
}

export interface CallListCounts {
  readonly total: number;
  readonly open: number;
  readonly done: number;
  /** Only from a refresh. */
  readonly added?: number;
}

export interface ScriptPreview {
  readonly startStepId: string;
  readonly steps: readonly ScriptStep[];
  /** The taxonomy's segments, each of which may have its own wording. */
  readonly segmentKeys: readonly string[];
}

/** One problem with a script or its questions, at a path such as `steps[2].branches[0].next` or `questions[1].kind`. */
export interface ScriptIssue {
  readonly path: string;
  readonly message: string;
}

const campaign = (id: string) => `/api/campaigns/${encodeURIComponent(id)}`;

export function listManagedCampaigns(signal?: AbortSignal): Promise<{ campaigns: ManagedCampaign[] }> {
  return getJson(withAlliance('/api/campaigns'), signal);
}

/** Creates a phone bank, or a text campaign when `settings.channel` is sms. */
export function createPhoneCampaign(slug: string, settings: CampaignSettings & { name: string }): Promise<ManagedCampaign> {
  const alliance = requestAlliance();
  return sendJson('POST', '/api/campaigns', { ...(alliance === null ? {} : { alliance }), slug, ...settings });
}

export function updateCampaign(id: string, settings: CampaignSettings): Promise<ManagedCampaign> {
  return sendJson('PATCH', campaign(id), settings);
}

export function setCampaignStatus(id: string, status: 'active' | 'paused' | 'finished'): Promise<ManagedCampaign> {
  return sendJson('POST', `${campaign(id)}/status`, { status });
}

export function saveCampaignScript(id: string, script: unknown, surveyQuestions: unknown): Promise<ManagedCampaign> {
  return sendJson('PUT', `${campaign(id)}/script`, { script, surveyQuestions });
}

/** Renders a script (the one sent, or the saved one) for the sample voter, worded for a segment or not. */
export function previewCampaignScript(
  id: string,
  body: { script?: unknown; surveyQuestions?: unknown; segmentKey?: string },
  signal?: AbortSignal,
): Promise<ScriptPreview> {
  return sendJson('POST', `${campaign(id)}/script-preview`, body, { signal });
}

export function getCallListCounts(id: string, signal?: AbortSignal): Promise<CallListCounts> {
  return getJson(`${campaign(id)}/call-list`, signal);
}

export function getLineTypeProgress(id: string, signal?: AbortSignal): Promise<LineTypeProgress> {
  return getJson(`${campaign(id)}/line-types`, signal);
}

/** Adds voters turfed since the list was built; idempotent. */
export function refreshCallList(id: string): Promise<CallListCounts> {
  return sendJson('POST', `${campaign(id)}/call-list/refresh`);
}

/** The per-path problems a refusal of a script or its questions lists (details.issues), if any. */
export function scriptIssuesOf(error: unknown): ScriptIssue[] {
  if (!(error instanceof ApiError)) return [];
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is ScriptIssue =>
      typeof issue === 'object' && issue !== null && typeof (issue as ScriptIssue).path === 'string' && typeof (issue as ScriptIssue).message === 'string',
  );
}

/**
 * The settings a refusal names (details.fields, else details.field), such as `sendingNumbers[1]`
 * or `initialMessage.variants[0].template`, each with its part of the message when the message
 * lists problems as `path: problem; path: problem`.
 */
export function fieldProblemsOf(error: unknown): Map<string, string> {
  const problems = new Map<string, string>();
  if (!(error instanceof ApiError) || error.details === undefined) return problems;
  const { field, fields } = error.details;
  const named = Array.isArray(fields) ? fields.filter((each): each is string => typeof each === 'string') : typeof field === 'string' ? [field] : [];
  const parts = error.message.split(/;\s+/);
  for (const path of named) {
    const own = parts.filter((part) => part.startsWith(`${path}: `)).map((part) => part.slice(path.length + 2));
    problems.set(path, own.length > 0 ? own.join('; ') : error.message);
  }
  return problems;
}
