import { getJson, requestAlliance, sendJson, withAlliance } from './api.client';

export type ScopeKind = 'alliance' | 'region' | 'organization';

export interface ProgressScope {
  readonly kind: ScopeKind;
  readonly id: string;
  readonly name: string;
  /** The organization's short name (a region's: its anchor's); null for the alliance. */
  readonly slug: string | null;
  readonly parentAnchorId: string | null;
  /** How the API names it in `scope`. */
  readonly reference: string;
}

export interface ProgressFigures {
  readonly attempts: number;
  readonly conversations: number;
  readonly optOuts: number;
  readonly votersAttempted: number;
  readonly votersReached: number;
  readonly openToReform: number;
  readonly exclusiveReached: number;
  readonly contactRate: number | null;
  readonly volunteerHours: number | null;
  readonly conversationsPerVolunteerHour: number | null;
}

export interface BurnUpPoint {
  readonly day: string;
  readonly newlyReached: number;
  readonly reached: number;
}

export interface Projection {
  readonly reached: number;
  readonly target: number;
  readonly targetDate: string;
  readonly recentPerDay: number;
  readonly windowDays: number;
  readonly projectedAtTargetDate: number;
  readonly projectedReachDate: string | null;
  readonly requiredPerDay: number | null;
  readonly onTrack: boolean;
}

/** GET /api/progress/summary. */
export interface ProgressSummary {
  readonly asOf: string;
  readonly today: string;
  readonly reportingTimeZone: string;
  readonly scope: ProgressScope;
  readonly scopes: readonly ProgressScope[];
  readonly target: { readonly voters: number; readonly targetDate: string; readonly source: 'target' | 'alliance_goal' } | null;
  readonly figures: ProgressFigures;
  readonly burnUp: readonly BurnUpPoint[];
  readonly projection: Projection | null;
  readonly queuedAttempts: number;
}

export type Dimension = 'organization' | 'region' | 'county' | 'precinct' | 'segment' | 'campaign' | 'channel' | 'day';

export interface BreakdownRow extends ProgressFigures {
  readonly key: string;
  readonly label: string;
  readonly share: number | null;
  readonly target: { readonly voters: number; readonly targetDate: string } | null;
  readonly drillScope: string | null;
}

/** GET /api/progress/breakdown. */
export interface ProgressBreakdown {
  readonly asOf: string;
  readonly scope: ProgressScope;
  readonly dimension: Dimension;
  readonly rows: readonly BreakdownRow[];
  readonly totalRows: number;
}

function query(path: string, parameters: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  return withAlliance(text === '' ? path : `${path}?${text}`);
}

export function fetchProgressSummary(scope: string | undefined, signal?: AbortSignal): Promise<ProgressSummary> {
  return getJson(query('/api/progress/summary', { scope }), signal);
}

export function fetchProgressBreakdown(scope: string | undefined, dimension: Dimension, signal?: AbortSignal): Promise<ProgressBreakdown> {
  return getJson(query('/api/progress/breakdown', { scope, dimension, limit: '200' }), signal);
}

/** Where a table of the dashboard downloads as CSV (the API audits it). */
export function progressTableCsvHref(scope: string, table: Dimension | 'burn-up'): string {
  return query('/api/progress/export', { scope, table });
}

export function contactResultsCsvHref(scope: string, filters: { campaign?: string; from?: string; to?: string } = {}): string {
  return query('/api/progress/contact-results', { scope, ...filters });
}

export function setTarget(body: { organization?: string; county?: string; voters: number; targetDate: string }): Promise<unknown> {
  return sendJson('PUT', '/api/progress/targets', { alliance: requestAlliance() ?? undefined, ...body });
}
