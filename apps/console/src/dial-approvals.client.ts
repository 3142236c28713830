import { getJson, sendJson } from './api.client';

/** What a clicker sees of the voter whose dial waits for approval: never the whole number, never more than a greeting needs. */
export interface VoterToApprove {
  readonly campaignContactId: string;
  readonly firstName: string | null;
  readonly city: string | null;
  readonly phoneLast4: string;
  readonly lineType: 'mobile' | 'voip' | 'unknown';
}

/** GET /api/calling-sessions/:id/approvals/next */
export type NextApproval =
  | { readonly kind: 'voter'; readonly voter: VoterToApprove; readonly approvedCount: number }
  | { readonly kind: 'none'; readonly reason: string; readonly message: string; readonly approvedCount: number };

export interface DialApproval {
  readonly id: string;
  readonly campaignContactId: string;
  readonly approvedAt: string;
  readonly expiresAt: string;
  /** Approved before (a second click): the same approval. */
  readonly repeated: boolean;
}

const approvals = (sessionId: string) => `/api/calling-sessions/${encodeURIComponent(sessionId)}/approvals`;

export function getNextApproval(sessionId: string, signal?: AbortSignal): Promise<NextApproval> {
  return getJson(`${approvals(sessionId)}/next`, signal);
}

export function approveDial(sessionId: string, campaignContactId: string): Promise<DialApproval> {
  return sendJson('POST', approvals(sessionId), { campaignContactId });
}
