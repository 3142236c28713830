import { getJson, requestAlliance, sendJson, withAlliance } from './api.client';

/** A turf filter as the API takes it: the voter search's names, lists for the many-valued ones. */
export interface TurfFilter {
  county?: string[];
  precinct?: string[];
  zip?: string[];
  party?: string[];
  propensity?: string[];
  /** A number; text that is not one is sent as typed, for the API to refuse naming the field. */
  ageMin?: number | string;
  ageMax?: number | string;
  hasPhone?: boolean;
}

export interface NamedReference {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

export interface TurfAssignment {
  readonly id: string;
  readonly turfId: string;
  readonly turfName: string;
  readonly campaign: NamedReference;
  readonly organization: NamedReference;
  /** The voters it holds, or held once ended. */
  readonly voterCount: number;
  readonly assignedAt: string;
  readonly endedAt: string | null;
  readonly endReason: 'unassigned' | 'reassigned' | null;
}

export interface Turf {
  readonly id: string;
  readonly name: string;
  readonly status: 'draft' | 'materialized';
  /** Set once materialized. */
  readonly voterCount: number | null;
  /** As the API stored it (its own criteria names: counties, parties, …). */
  readonly filter: Record<string, unknown>;
  /** The anchor that cut it; null when the alliance did. */
  readonly cutByOrganizationId: string | null;
  readonly parentTurfId: string | null;
  readonly createdAt: string;
  readonly materializedAt: string | null;
  /** Current and past assignments the viewer may see. */
  readonly assignments: readonly TurfAssignment[];
}

export interface Campaign {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: string;
}

export const MAX_TURF_PARTS = 500;
export type SplitMethod = 'precinct' | 'equal';

/** The request body's common part: the alliance when the person has several, the anchor when they lead several. */
function scope(anchor: string | null): { alliance?: string; anchor?: string } {
  const alliance = requestAlliance();
  return { ...(alliance === null ? {} : { alliance }), ...(anchor === null ? {} : { anchor }) };
}

export function countTurf(filter: TurfFilter, anchor: string | null, signal?: AbortSignal): Promise<{ total: number }> {
  return sendJson('POST', '/api/turfs/count', { ...scope(anchor), filter }, { signal });
}

export function listTurfs(signal?: AbortSignal): Promise<{ turfs: Turf[] }> {
  return getJson(withAlliance('/api/turfs'), signal);
}

export function createTurf(name: string, filter: TurfFilter, anchor: string | null): Promise<Turf> {
  return sendJson('POST', '/api/turfs', { ...scope(anchor), name, filter });
}

export function materializeTurf(id: string): Promise<Turf> {
  return sendJson('POST', `/api/turfs/${encodeURIComponent(id)}/materialize`);
}

export function splitTurf(id: string, parts: number, method: SplitMethod): Promise<{ parts: Turf[] }> {
  return sendJson('POST', `/api/turfs/${encodeURIComponent(id)}/split`, { parts, method });
}

export function assignTurf(id: string, campaign: string, organization: string, skipConflicts = false): Promise<TurfAssignment> {
  return sendJson('POST', `/api/turfs/${encodeURIComponent(id)}/assignments`, { campaign, organization, ...(skipConflicts ? { skipConflicts } : {}) });
}

export function listTurfAssignments(query: { campaign?: string; organization?: string }, signal?: AbortSignal): Promise<{ assignments: TurfAssignment[] }> {
  const search = new URLSearchParams();
  if (query.campaign) search.set('campaign', query.campaign);
  if (query.organization) search.set('organization', query.organization);
  const text = search.toString();
  return getJson(withAlliance(text === '' ? '/api/turf-assignments' : `/api/turf-assignments?${text}`), signal);
}

export function unassignTurf(assignmentId: string): Promise<TurfAssignment> {
  return sendJson('DELETE', `/api/turf-assignments/${encodeURIComponent(assignmentId)}`);
}

export function reassignTurf(assignmentId: string, organization: string): Promise<TurfAssignment> {
  return sendJson('POST', `/api/turf-assignments/${encodeURIComponent(assignmentId)}/reassign`, { organization });
}

export function listCampaigns(signal?: AbortSignal): Promise<{ campaigns: Campaign[] }> {
  return getJson(withAlliance('/api/campaigns'), signal);
}

export function createCampaign(slug: string, name: string): Promise<Campaign> {
  const alliance = requestAlliance();
  return sendJson('POST', '/api/campaigns', { ...(alliance === null ? {} : { alliance }), slug, name });
}
