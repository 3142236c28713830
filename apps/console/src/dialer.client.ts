import { getJson } from './api.client';
import type { ManagedCampaign } from './campaigns.client';

export interface AbandonmentFigure {
  readonly liveAnswers: number;
  readonly abandoned: number;
  /** abandoned ÷ live answers; null without live answers. */
  readonly rate: number | null;
}

export interface DialerFigures {
  readonly volunteers: {
    readonly ready: number;
    readonly talking: number;
    readonly wrapUp: number;
    readonly paused: number;
    /** In a calling session, not ready yet. */
    readonly signedIn: number;
    readonly total: number;
  };
  readonly linesInFlight: number;
  readonly lastHour: {
    readonly dials: number;
    readonly settledDials: number;
    readonly answered: number;
    readonly liveAnswers: number;
    readonly answerRate: number | null;
    readonly humanAnswerRate: number | null;
    readonly abandonment: AbandonmentFigure;
    readonly conversations: number;
    readonly volunteerHours: number;
    readonly conversationsPerVolunteerHour: number | null;
  };
}

export interface DialerPool extends DialerFigures {
  readonly organizationId: string;
  readonly organizationName: string;
}

/** GET /api/campaigns/:id/dialer/live */
export interface DialerLiveStatus {
  readonly campaignId: string;
  readonly dialMode: string;
  readonly campaignStatus: string;
  readonly asOf: string;
  readonly abandonment: {
    readonly cap: number;
    readonly lastHour: AbandonmentFigure;
    readonly thirtyDays: AbandonmentFigure & { readonly ok: boolean };
  };
  readonly totals: DialerFigures;
  readonly pools: readonly DialerPool[];
}

export interface ComplianceCheck {
  readonly count: number;
  readonly ok: boolean;
}

/** GET /api/campaigns/:id/dialer/compliance */
export interface ComplianceEvidence {
  readonly campaignId: string;
  readonly from: string;
  readonly to: string;
  readonly dials: number;
  readonly unknownZoneDials: number;
  readonly abandonment: AbandonmentFigure & { readonly cap: number; readonly ok: boolean };
  readonly checks: {
    readonly wrongWindowDials: ComplianceCheck;
    readonly shortRings: ComplianceCheck;
    readonly automaticMobileDials: ComplianceCheck;
  };
}

const dialer = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}`;

export function getCampaign(campaignId: string, signal?: AbortSignal): Promise<ManagedCampaign> {
  return getJson(dialer(campaignId), signal);
}

export function getDialerLiveStatus(campaignId: string, signal?: AbortSignal): Promise<DialerLiveStatus> {
  return getJson(`${dialer(campaignId)}/dialer/live`, signal);
}

/** The rolling 30 days. */
export function getComplianceEvidence(campaignId: string, signal?: AbortSignal): Promise<ComplianceEvidence> {
  return getJson(`${dialer(campaignId)}/dialer/compliance`, signal);
}

/** The same evidence a day a row, as a file download (the session cookie goes with a plain link). */
export function complianceCsvHref(campaignId: string): string {
  return `${dialer(campaignId)}/dialer/compliance.csv`;
}
