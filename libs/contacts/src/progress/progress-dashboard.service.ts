import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, DomainErrorCode, DomainException } from '@app/common';
import { RowScopeRunner } from '@app/database';
import type { Authorization } from '@app/identity';
import { type BurnUpPoint, burnUp, projectToTarget, type TargetProjection } from './burn-up.projection';
import {
  type AllianceFacts,
  type BucketTotals,
  type PartTarget,
  type ProgressDimension,
  ProgressFiguresRepository,
  type ScopeTotals,
  ZERO_TOTALS,
} from './progress-figures.repository';
import { ProgressRollupService } from './progress-rollup.service';
import { dayIn } from './reporting-day.util';
import { chooseScope, type ProgressScope, scopeReference, scopesVisibleTo, type ScopeOrganization } from './progress-scopes.policy';

/** A cell's figures with the rates a lead reads. */
export interface ProgressFigures extends ScopeTotals {
  /** Conversations per attempt; null before the first attempt. */
  readonly contactRate: number | null;
  /** Volunteer time on the phones (calling sessions, less pauses); null where it does not apply (a county, a day). */
  readonly volunteerHours: number | null;
  /** Phone conversations per volunteer hour; null without phone time. */
  readonly conversationsPerVolunteerHour: number | null;
}

export interface ScopeTarget {
  readonly voters: number;
  readonly targetDate: string;
  /** The alliance's own target row, or its contact goal by the end of the year; a part's target row. */
  readonly source: 'target' | 'alliance_goal';
}

export interface ProgressSummary {
  readonly asOf: Date;
  /** Today in the alliance's reporting zone (YYYY-MM-DD): days are counted there. */
  readonly today: string;
  readonly reportingTimeZone: string;
  readonly scope: ProgressScope & { readonly reference: string };
  /** Every scope the reader may choose, widest first. */
  readonly scopes: readonly (ProgressScope & { readonly reference: string })[];
  readonly target: ScopeTarget | null;
  readonly figures: ProgressFigures;
  /** Unique voters reached, day by day, from the first contact to today. */
  readonly burnUp: readonly BurnUpPoint[];
  readonly projection: TargetProjection | null;
  /** Attempts saved but not yet counted (the rollup counts them within a second or two). */
  readonly queuedAttempts: number;
}

export const BREAKDOWN_DIMENSIONS = ['organization', 'region', 'county', 'precinct', 'segment', 'campaign', 'channel', 'day'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export interface BreakdownRow extends ProgressFigures {
  /** The bucket: an organization's or campaign's id, a county, a segment key, a channel, a day; '' for unknown. */
  readonly key: string;
  readonly label: string;
  /** Of the scope's unique voters reached (an organization's or region's, a county's…); null on a day (new voters that day). */
  readonly share: number | null;
  readonly target: { readonly voters: number; readonly targetDate: string } | null;
  /** The scope to open on a click (an organization, a region), when the reader may see it. */
  readonly drillScope: string | null;
}

export interface ProgressBreakdown {
  readonly asOf: Date;
  readonly scope: ProgressScope & { readonly reference: string };
  readonly dimension: BreakdownDimension;
  readonly rows: readonly BreakdownRow[];
  /** Rows before the limit. */
  readonly totalRows: number;
}

export const BREAKDOWN_LIMIT = { default: 1_000, max: 10_000 } as const;

const UNKNOWN_LABEL: Partial<Record<BreakdownDimension, string>> = { county: 'Unknown county', precinct: 'Unknown precinct', segment: 'Not classified' };

interface ReadContext {
  readonly manager: EntityManager;
  readonly allianceId: string;
  readonly alliance: AllianceFacts;
  readonly organizations: readonly ScopeOrganization[];
  readonly scopes: readonly ProgressScope[];
  readonly scope: ProgressScope;
}

/**
 * What the progress dashboard reads: one scope's headline and burn-up, and its figures by one
 * dimension. Everything comes from the rollups by key (never a scan of attempts), inside the
 * reader's row scope; which scopes a reader may open is decided by `scopesVisibleTo`.
 */
@Injectable()
export class ProgressDashboardService {
  constructor(
    private readonly figures: ProgressFiguresRepository,
    private readonly rowScopes: RowScopeRunner,
    private readonly rollups: ProgressRollupService,
    private readonly clock: Clock,
  ) {}

  async scopes(authorization: Authorization): Promise<(ProgressScope & { reference: string })[]> {
    return this.rowScopes.run(authorization.rowScope, async (manager) => {
      const [alliance, organizations] = await Promise.all([
        this.figures.alliance(manager, authorization.allianceId),
        this.figures.organizations(manager, authorization.allianceId),
      ]);
      return scopesVisibleTo(authorization, alliance.name, organizations).map(withReference);
    });
  }

  async summary(authorization: Authorization, scopeReferenceInput: string | undefined): Promise<ProgressSummary> {
    const asOf = this.clock.now();
    const queuedAttempts = await this.rollups.queuedCount();
    return this.read(authorization, scopeReferenceInput, async (context) => {
      const today = dayIn(asOf, context.alliance.reportingTimeZone);
      const [totals, phone, days, target, seconds] = await Promise.all([
        this.figures.totals(context.manager, context.scope.kind, context.scope.id),
        this.figures.totalsOf(context.manager, context.scope.kind, [context.scope.id], 'phone'),
        this.figures.buckets(context.manager, context.scope.kind, context.scope.id, 'day'),
        this.targetOf(context, asOf),
        this.figures.volunteerSeconds(context.manager, context.allianceId, null, 'organization'),
      ]);
      const organizationIds = organizationsIn(context.scope, context.organizations);
      const volunteerSeconds = organizationIds === null ? sum([...seconds.values()]) : sum(organizationIds.map((id) => seconds.get(id) ?? 0));
      const daily = days.map((day) => ({ day: day.bucket, newlyReached: day.votersReached }));
      return {
        asOf,
        today,
        reportingTimeZone: context.alliance.reportingTimeZone,
        scope: withReference(context.scope),
        scopes: context.scopes.map(withReference),
        target,
        figures: withRates(totals, volunteerSeconds, phone.get(context.scope.id)?.conversations ?? 0),
        burnUp: burnUp(daily, today),
        projection: target === null ? null : projectToTarget({ daily, today, target: target.voters, targetDate: target.targetDate }),
        queuedAttempts,
      };
    });
  }

  /** `limit` 'all': every row (an export). */
  async breakdown(
    authorization: Authorization,
    scopeReferenceInput: string | undefined,
    dimension: string,
    limit?: number | 'all',
  ): Promise<ProgressBreakdown> {
    const chosen = parseDimension(dimension);
    const rowLimit = parseLimit(limit);
    const asOf = this.clock.now();
    return this.read(authorization, scopeReferenceInput, async (context) => {
      const rows = await this.rowsOf(context, chosen);
      return { asOf, scope: withReference(context.scope), dimension: chosen, rows: rows.slice(0, rowLimit), totalRows: rows.length };
    });
  }

  private async read<T>(authorization: Authorization, scopeReferenceInput: string | undefined, work: (context: ReadContext) => Promise<T>): Promise<T> {
    return this.rowScopes.run(authorization.rowScope, async (manager) => {
      const [alliance, organizations] = await Promise.all([
        this.figures.alliance(manager, authorization.allianceId),
        this.figures.organizations(manager, authorization.allianceId),
      ]);
      const scopes = scopesVisibleTo(authorization, alliance.name, organizations);
      const scope = chooseScope(scopes, scopeReferenceInput);
      return work({ manager, allianceId: authorization.allianceId, alliance, organizations, scopes, scope });
    });
  }

  private async targetOf(context: ReadContext, asOf: Date): Promise<ScopeTarget | null> {
    if (context.scope.kind === 'alliance') {
      const year = Number(dayIn(asOf, context.alliance.reportingTimeZone).slice(0, 4));
      return this.figures.allianceTarget(context.manager, context.scope.id, year);
    }
    const organization = context.organizations.find((each) => each.id === context.scope.id);
    // An anchor's target is its region's; a member's its own.
    if (context.scope.kind === 'organization' && organization?.kind === 'anchor') return null;
    const found = (await this.figures.partTargets(context.manager, context.allianceId)).find((target) => target.organizationId === context.scope.id);
    return found === undefined ? null : { voters: found.voters, targetDate: found.targetDate, source: 'target' };
  }

  private async rowsOf(context: ReadContext, dimension: BreakdownDimension): Promise<BreakdownRow[]> {
    if (dimension === 'organization' || dimension === 'region') return this.organizationRows(context, dimension);
    const { manager, scope } = context;
    const [buckets, scopeTotals] = await Promise.all([
      this.figures.buckets(manager, scope.kind, scope.id, dimension),
      this.figures.totals(manager, scope.kind, scope.id),
    ]);
    const labels = await this.labelsOf(context, dimension, buckets);
    const countyTargets =
      dimension === 'county' && scope.kind === 'alliance'
        ? new Map(
            (await this.figures.partTargets(manager, context.allianceId)).filter((target) => target.county !== null).map((target) => [target.county!, target]),
          )
        : new Map<string, PartTarget>();
    const seconds =
      dimension === 'campaign'
        ? await this.figures.volunteerSeconds(manager, context.allianceId, organizationsIn(scope, context.organizations), 'campaign')
        : null;
    const rows = buckets.map((bucket) => {
      const target = countyTargets.get(bucket.bucket);
      return {
        key: bucket.bucket,
        label: labels.get(bucket.bucket) ?? (bucket.bucket === '' ? (UNKNOWN_LABEL[dimension] ?? 'Unknown') : bucket.bucket),
        share: dimension === 'day' ? null : ratio(bucket.votersReached, scopeTotals.votersReached),
        target: target === undefined ? null : { voters: target.voters, targetDate: target.targetDate },
        drillScope: null,
        // A campaign is one channel: its conversations per hour are its own when it is a phone campaign.
        ...withRates(bucket, seconds === null ? null : (seconds.get(bucket.bucket) ?? 0), bucket.conversations),
      };
    });
    return dimension === 'day' ? rows : rows.sort((a, b) => b.votersReached - a.votersReached || a.label.localeCompare(b.label));
  }

  private async organizationRows(context: ReadContext, dimension: 'organization' | 'region'): Promise<BreakdownRow[]> {
    const { manager, scope, organizations, scopes } = context;
    const inScope = organizations.filter((organization) => {
      if (dimension === 'region') return organization.kind === 'anchor' && (scope.kind === 'alliance' || organization.id === scope.id);
      if (scope.kind === 'alliance') return true;
      if (scope.kind === 'region') return organization.id === scope.id || organization.parentAnchorId === scope.id;
      return organization.id === scope.id;
    });
    if (dimension === 'region' && scope.kind === 'organization') {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'dimension: an organization has no regions; choose the alliance or a region', {
        parameter: 'dimension',
      });
    }
    const ids = inScope.map((organization) => organization.id);
    const kind = dimension === 'region' ? 'region' : 'organization';
    const [totals, phone, scopeTotals, seconds, targets] = await Promise.all([
      this.figures.totalsOf(manager, kind, ids),
      this.figures.totalsOf(manager, kind, ids, 'phone'),
      this.figures.totals(manager, scope.kind, scope.id),
      this.figures.volunteerSeconds(manager, context.allianceId, null, 'organization'),
      this.figures.partTargets(manager, context.allianceId),
    ]);
    const targetOf = new Map(targets.filter((target) => target.organizationId !== null).map((target) => [target.organizationId!, target]));
    const visible = new Set(scopes.map(scopeReference));
    const rows = inScope.map((organization) => {
      const members =
        dimension === 'region' ? organizations.filter((each) => each.id === organization.id || each.parentAnchorId === organization.id) : [organization];
      const figures = totals.get(organization.id) ?? ZERO_TOTALS;
      // An anchor's target is its region's: shown on the region, not on the anchor's own figures.
      const target = dimension === 'region' || organization.kind === 'member' ? targetOf.get(organization.id) : undefined;
      const drill = scopeReference({ kind, id: organization.id });
      return {
        key: organization.id,
        label: dimension === 'region' ? `${organization.name} region` : organization.name,
        share: ratio(figures.votersReached, scopeTotals.votersReached),
        target: target === undefined ? null : { voters: target.voters, targetDate: target.targetDate },
        drillScope: visible.has(drill) && drill !== scopeReference(scope) ? drill : null,
        ...withRates(figures, sum(members.map((member) => seconds.get(member.id) ?? 0)), phone.get(organization.id)?.conversations ?? 0),
      };
    });
    return rows.sort((a, b) => b.votersReached - a.votersReached || a.label.localeCompare(b.label));
  }

  private async labelsOf(context: ReadContext, dimension: ProgressDimension, buckets: readonly BucketTotals[]): Promise<Map<string, string>> {
    if (dimension === 'campaign') {
      return this.figures.campaignNames(
        context.manager,
        context.allianceId,
        buckets.map((bucket) => bucket.bucket),
      );
    }
    if (dimension === 'segment') return this.figures.segmentNames(context.manager, context.allianceId);
    if (dimension === 'channel')
      return new Map([
        ['phone', 'Phone'],
        ['sms', 'Text'],
      ]);
    return new Map();
  }
}

function withReference(scope: ProgressScope): ProgressScope & { reference: string } {
  return { ...scope, reference: scopeReference(scope) };
}

/** The organizations whose calling time counts for a scope; null for the whole alliance. */
function organizationsIn(scope: ProgressScope, organizations: readonly ScopeOrganization[]): string[] | null {
  if (scope.kind === 'alliance') return null;
  if (scope.kind === 'region') return organizations.filter((each) => each.id === scope.id || each.parentAnchorId === scope.id).map((each) => each.id);
  return [scope.id];
}

function withRates(totals: ScopeTotals, volunteerSeconds: number | null, phoneConversations: number): ProgressFigures {
  const volunteerHours = volunteerSeconds === null ? null : volunteerSeconds / 3600;
  return {
    attempts: totals.attempts,
    conversations: totals.conversations,
    optOuts: totals.optOuts,
    votersAttempted: totals.votersAttempted,
    votersReached: totals.votersReached,
    openToReform: totals.openToReform,
    exclusiveReached: totals.exclusiveReached,
    contactRate: ratio(totals.conversations, totals.attempts),
    volunteerHours,
    conversationsPerVolunteerHour: volunteerHours === null || volunteerHours === 0 ? null : phoneConversations / volunteerHours,
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function parseDimension(value: string): BreakdownDimension {
  if ((BREAKDOWN_DIMENSIONS as readonly string[]).includes(value)) return value as BreakdownDimension;
  throw new DomainException(DomainErrorCode.ValidationFailed, `dimension: "${value}" is not one of ${BREAKDOWN_DIMENSIONS.join(', ')}`, {
    parameter: 'dimension',
  });
}

function parseLimit(value: number | 'all' | undefined): number {
  if (value === undefined) return BREAKDOWN_LIMIT.default;
  if (value === 'all') return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(value) || value < 1 || value > BREAKDOWN_LIMIT.max) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `limit: must be a whole number from 1 to ${BREAKDOWN_LIMIT.max}`, { parameter: 'limit' });
  }
  return value;
}
