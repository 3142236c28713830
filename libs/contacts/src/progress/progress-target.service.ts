import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, DomainErrorCode, DomainException } from '@app/common';
import { AuditLogService, type Authorization, countyKey } from '@app/identity';
import { parseDay } from './reporting-day.util';
import { type AllianceTarget, type PartTarget, ProgressFiguresRepository } from './progress-figures.repository';
import { ProgressTargetRepository, type StoredTarget, type TargetScope } from './progress-target.repository';

/** Whose target: none named is the alliance's goal; an anchor's is its region's (the anchor and its members together). */
export interface TargetScopeInput {
  /** An organization's slug. */
  readonly organization?: string;
  /** A county, as people type it (matched the way the voter file writes it). */
  readonly county?: string;
}

export interface TargetInput extends TargetScopeInput {
  readonly voters: number;
  /** YYYY-MM-DD. */
  readonly targetDate: string;
}

export const TARGET_VOTERS = { min: 1, max: 100_000_000 } as const;

/** Setting and removing targets: alliance admins and data leads, every change audited with what it replaced. */
@Injectable()
export class ProgressTargetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly targets: ProgressTargetRepository,
    private readonly figures: ProgressFiguresRepository,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** The alliance's goal (its target, or its contact goal by the end of the year) and every part's target. */
  async list(authorization: Authorization): Promise<{ alliance: AllianceTarget; parts: PartTarget[] }> {
    const manager = this.dataSource.manager;
    const [alliance, parts] = await Promise.all([
      this.figures.allianceTarget(manager, authorization.allianceId, this.clock.now().getUTCFullYear()),
      this.figures.partTargets(manager, authorization.allianceId),
    ]);
    return { alliance, parts };
  }

  async set(authorization: Authorization, input: TargetInput): Promise<StoredTarget & { readonly created: boolean }> {
    const voters = validVoters(input.voters);
    const targetDate = parseDay(input.targetDate, 'targetDate', 'field');
    const outcome = await this.dataSource.transaction(async (manager) => {
      await this.targets.lockAlliance(manager, authorization.allianceId);
      const scope = await this.scopeOf(manager, authorization.allianceId, input);
      const previous = await this.targets.find(manager, authorization.allianceId, scope);
      const stored = await this.targets.upsert(manager, authorization.allianceId, scope, { voters, targetDate, userId: authorization.userId });
      return { stored, previous };
    });
    await this.audit.record(authorization, 'progress.target_set', {
      subjectType: 'progress_target',
      subjectId: outcome.stored.id,
      details: {
        organizationId: outcome.stored.organizationId,
        county: outcome.stored.county,
        voters,
        targetDate,
        previous: outcome.previous === null ? null : { voters: outcome.previous.voters, targetDate: outcome.previous.targetDate },
      },
    });
    return { ...outcome.stored, created: outcome.previous === null };
  }

  /** Removes a target; the alliance's goal falls back to the alliance's contact goal by the end of the year. */
  async remove(authorization: Authorization, input: TargetScopeInput): Promise<void> {
    const removed = await this.dataSource.transaction(async (manager) => {
      await this.targets.lockAlliance(manager, authorization.allianceId);
      const scope = await this.scopeOf(manager, authorization.allianceId, input);
      const previous = await this.targets.find(manager, authorization.allianceId, scope);
      if (previous === null) return null;
      await this.targets.remove(manager, authorization.allianceId, scope);
      return previous;
    });
    if (removed === null) throw new DomainException(DomainErrorCode.NotFound, 'There is no such target to remove', { ...input });
    await this.audit.record(authorization, 'progress.target_removed', {
      subjectType: 'progress_target',
      subjectId: removed.id,
      details: { organizationId: removed.organizationId, county: removed.county, previous: { voters: removed.voters, targetDate: removed.targetDate } },
    });
  }

  private async scopeOf(manager: Parameters<ProgressTargetRepository['find']>[0], allianceId: string, input: TargetScopeInput): Promise<TargetScope> {
    const organization = blankToUndefined(input.organization);
    const county = blankToUndefined(input.county);
    if (organization !== undefined && county !== undefined) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'A target is for an organization or for a county, not both', { field: 'county' });
    }
    if (organization !== undefined) {
      const organizationId = await this.targets.organizationId(manager, allianceId, organization);
      if (organizationId === null) {
        throw new DomainException(DomainErrorCode.ValidationFailed, `organization: there is no organization "${organization}" in this alliance`, {
          field: 'organization',
        });
      }
      return { organizationId, county: null };
    }
    if (county !== undefined) {
      const key = countyKey(county);
      if (key.length > 100 || !(await this.targets.countyExists(manager, allianceId, key))) {
        throw new DomainException(DomainErrorCode.ValidationFailed, `county: no voter of this alliance lives in "${county}"`, { field: 'county' });
      }
      return { organizationId: null, county: key };
    }
    return { organizationId: null, county: null };
  }
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function validVoters(value: number): number {
  if (!Number.isInteger(value) || value < TARGET_VOTERS.min || value > TARGET_VOTERS.max) {
    throw new DomainException(
      DomainErrorCode.ValidationFailed,
      `voters: must be a whole number from ${TARGET_VOTERS.min} to ${TARGET_VOTERS.max.toLocaleString('en-US')}, got ${String(value)}`,
      { field: 'voters' },
    );
  }
  return value;
}
