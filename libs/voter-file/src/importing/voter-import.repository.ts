import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { type RowAccessScope, RowScopeRunner } from '@app/database';
import type { LineProblem } from '../formats/normalized-voter';
import { VoterImportErrorEntity, type VoterImportErrorKind } from '../entities/voter-import-error.entity';
import { VoterImportEntity, VoterImportPhase, VoterImportStatus } from '../entities/voter-import.entity';

export type NewVoterImport = Pick<
  VoterImportEntity,
  'allianceId' | 'fileName' | 'filePath' | 'fileBytes' | 'format' | 'mapping' | 'fullRefresh' | 'maxErrorRate'
> & {
  readonly correlationId: string | null;
};

export type RecordedProblem = LineProblem & { readonly kind: VoterImportErrorKind };

export type VoterImportProgress = Pick<VoterImportEntity, 'bytesRead' | 'rowsRead' | 'rejected' | 'droppedPhones'>;

export type VoterImportOutcome = Partial<
  Pick<
    VoterImportEntity,
    'format' | 'inserted' | 'updated' | 'unchanged' | 'deactivated' | 'rejected' | 'droppedPhones' | 'historyRows' | 'unmatched' | 'rowsRead' | 'bytesRead'
  >
>;

@Injectable()
export class VoterImportRepository {
  private readonly imports: Repository<VoterImportEntity>;
  private readonly errors: Repository<VoterImportErrorEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rowScopes: RowScopeRunner,
  ) {
    this.imports = dataSource.getRepository(VoterImportEntity);
    this.errors = dataSource.getRepository(VoterImportErrorEntity);
  }

  create(values: NewVoterImport): Promise<VoterImportEntity> {
    return this.imports.save(this.imports.create(values));
  }

  findById(id: string): Promise<VoterImportEntity | null> {
    return this.imports.findOne({ where: { id } });
  }

  listForAlliance(allianceId: string, limit: number): Promise<VoterImportEntity[]> {
    return this.imports.find({ where: { allianceId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Queued → running, once: a job delivered twice finds the import already taken and does nothing. */
  async claim(id: string): Promise<boolean> {
    const result = await this.imports
      .createQueryBuilder()
      .update(VoterImportEntity)
      .set({ status: VoterImportStatus.Running, phase: VoterImportPhase.Reading, startedAt: () => 'now()' })
      .where('id = :id AND status = :queued', { id, queued: VoterImportStatus.Queued })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async recordFormat(id: string, format: VoterImportEntity['format']): Promise<void> {
    await this.imports.update({ id }, { format });
  }

  async recordProgress(id: string, progress: VoterImportProgress & { phase?: VoterImportPhase }): Promise<void> {
    await this.imports.update({ id, status: VoterImportStatus.Running }, progress);
  }

  async finish(
    id: string,
    status: VoterImportStatus.Rejected | VoterImportStatus.Failed,
    errorMessage: string,
    outcome: VoterImportOutcome = {},
  ): Promise<void> {
    await this.imports.update(
      { id, status: VoterImportStatus.Running },
      { ...outcome, status, errorMessage, phase: VoterImportPhase.Done, finishedAt: () => 'now()' },
    );
  }

  async failQueued(id: string, errorMessage: string): Promise<void> {
    await this.imports.update(
      { id, status: VoterImportStatus.Queued },
      { status: VoterImportStatus.Failed, phase: VoterImportPhase.Done, errorMessage, finishedAt: () => 'now()' },
    );
  }

  /** The success row update, as SQL the merge runs inside its own transaction so the two commit together. */
  succeededStatement(id: string, outcome: VoterImportOutcome): { sql: string; parameters: unknown[] } {
    const entries = Object.entries(outcome).filter(([, value]) => value !== undefined);
    const assignments = entries.map(([key], index) => `${key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)} = $${index + 2}`);
    return {
      // clock_timestamp(): this runs at the end of the import's long transaction, where now() is its start.
      sql: `UPDATE voter_import SET status = 'succeeded', phase = 'done', finished_at = clock_timestamp(), updated_at = clock_timestamp()${assignments.map((assignment) => `, ${assignment}`).join('')} WHERE id = $1`,
      parameters: [id, ...entries.map(([, value]) => value)],
    };
  }

  async recordProblems(importId: string, problems: readonly RecordedProblem[]): Promise<void> {
    if (problems.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO voter_import_error (import_id, line_number, column_name, reason, kind)
       SELECT $1, line_number, column_name, reason, kind
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS p (line_number, column_name, reason, kind, position)
       ORDER BY position`,
      [
        importId,
        problems.map((problem) => problem.lineNumber),
        problems.map((problem) => problem.column),
        problems.map((problem) => problem.reason),
        problems.map((problem) => problem.kind),
      ],
    );
  }

  /** Keyset pages by id: problems are stored in the order they were found, which is line order per kind. */
  /** Problems quote the file, so they are read under the row policies (alliance-wide readers only). */
  findProblems(importId: string, afterId: string | undefined, limit: number, scope: RowAccessScope): Promise<VoterImportErrorEntity[]> {
    return this.rowScopes.run(scope, (manager) => {
      const query = manager.getRepository(VoterImportErrorEntity).createQueryBuilder('error').where('error.importId = :importId', { importId });
      if (afterId !== undefined) query.andWhere('error.id > :afterId', { afterId });
      return query.orderBy('error.id', 'ASC').limit(limit).getMany();
    });
  }

  countProblems(importId: string, scope: RowAccessScope): Promise<number> {
    return this.rowScopes.run(scope, (manager) => manager.getRepository(VoterImportErrorEntity).count({ where: { importId } }));
  }
}
