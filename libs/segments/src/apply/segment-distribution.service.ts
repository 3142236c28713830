import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { RowScopeRunner } from '@app/database';
import { AuditLogService } from '@app/identity';
import { SegmentModelRepository } from '../models/segment-model.repository';
import { assertAllianceWide, type SegmentActor } from '../segment-actor';
import { SegmentAssignmentRepository } from './segment-assignment.repository';

const EXPORT_PAGE_SIZE = 10_000;

export const DISTRIBUTION_DIMENSIONS = ['county', 'organization'] as const;
export type DistributionDimension = (typeof DISTRIBUTION_DIMENSIONS)[number];

export interface SegmentDistribution {
  readonly modelId: string;
  readonly by: DistributionDimension;
  readonly rows: ReadonlyArray<{ readonly key: string; readonly label: string; readonly total: number; readonly counts: Readonly<Record<string, number>> }>;
}

/** Where a model's segments fall: by county or by member organization's turf, within what the reader may see. */
@Injectable()
export class SegmentDistributionService {
  constructor(
    private readonly assignments: SegmentAssignmentRepository,
    private readonly models: SegmentModelRepository,
    private readonly rowScopes: RowScopeRunner,
    private readonly audit: AuditLogService,
  ) {}

  async distribution(actor: SegmentActor, modelId: string, by: DistributionDimension): Promise<SegmentDistribution> {
    if (!DISTRIBUTION_DIMENSIONS.includes(by)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `by must be one of ${DISTRIBUTION_DIMENSIONS.join(', ')}`, { field: 'by' });
    }
    const model = await this.models.find(actor.allianceId, modelId);
    if (!model) throw new NotFoundDomainException('segment model', modelId);
    const rows = await this.rowScopes.run(actor.rowScope, (manager) =>
      by === 'county'
        ? this.assignments.distributionByCounty(manager, actor.allianceId, modelId)
        : this.assignments.distributionByOrganization(manager, actor.allianceId, modelId),
    );
    const grouped = new Map<string, { key: string; label: string; total: number; counts: Record<string, number> }>();
    for (const row of rows) {
      const group = grouped.get(row.key) ?? { key: row.key, label: row.label, total: 0, counts: {} };
      group.counts[row.segmentKey] = row.voters;
      group.total += row.voters;
      grouped.set(row.key, group);
    }
    return { modelId, by, rows: [...grouped.values()].sort((left, right) => right.total - left.total) };
  }

  /** Every classified voter as `voter_id,segment,probability` (source voter ids); audited like any export. */
  async exportCsv(actor: SegmentActor, modelId: string): Promise<Readable> {
    assertAllianceWide(actor, 'Exporting segments');
    const model = await this.models.find(actor.allianceId, modelId);
    if (!model) throw new NotFoundDomainException('segment model', modelId);
    if (!(await this.assignments.hasPartition(modelId))) {
      throw new DomainException(DomainErrorCode.Conflict, `model ${model.version} has not been applied yet; apply it before exporting its segments`);
    }
    await this.audit.record(actor, 'segments.exported', { subjectType: 'segment_model', subjectId: modelId, details: { version: model.version } });
    const page = (after: string) =>
      this.rowScopes.run(actor.rowScope, (manager) => this.assignments.exportPage(manager, modelId, actor.allianceId, after, EXPORT_PAGE_SIZE));
    async function* records(): AsyncGenerator<{ voter_id: string; segment: string; probability: string }> {
      for (let rows = await page('0'); rows.length > 0; rows = rows.length < EXPORT_PAGE_SIZE ? [] : await page(rows[rows.length - 1].voterId)) {
        for (const row of rows) yield { voter_id: row.sourceVoterId, segment: row.segmentKey, probability: row.probability.toFixed(4) };
      }
    }
    // Source voter ids come from a file anyone could have written: a cell a spreadsheet would run is escaped.
    return Readable.from(records()).pipe(stringify({ header: true, columns: ['voter_id', 'segment', 'probability'], escape_formulas: true }));
  }
}
