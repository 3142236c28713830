import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ProgressReconciliationRepository, type DriftedCell } from './progress-reconciliation.repository';
import { ProgressRollupRepository } from './progress-rollup.repository';
import { ATTEMPT_DEFINITIONS, ProgressRollupService } from './progress-rollup.service';

export interface ReconciliationReport {
  readonly id: string;
  readonly allianceId: string;
  readonly cellsChecked: number;
  readonly driftedCells: number;
  /** The first 50 drifted cells, stored and counted figure by figure. */
  readonly drift: readonly DriftedCell[];
  /** The rollups were counted afresh from the attempts and opt-outs because they drifted (and `rebuild` was asked). */
  readonly rebuilt: boolean;
}

/**
 * Compares an alliance's rollups with the raw attempts, text opt-outs and calling sessions and reports every cell
 * that differs; with `rebuild`, a drifted alliance's rollups are counted afresh. It compares in
 * one snapshot, without stopping the rollups (at ten million attempts the count takes minutes);
 * attempts and opt-outs still queued in that snapshot count on neither side.
 */
@Injectable()
export class ProgressReconciliationService {
  private readonly logger = new Logger(ProgressReconciliationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reconciliations: ProgressReconciliationRepository,
    private readonly rollupLock: ProgressRollupRepository,
    private readonly rollups: ProgressRollupService,
  ) {}

  async reconcile(allianceId: string, options: { rebuild?: boolean } = {}): Promise<ReconciliationReport> {
    const startedAt = new Date();
    // One snapshot: every rollup transaction takes its batch off the queue as it counts it, so any
    // snapshot sees each attempt either queued or counted, never half, and the rollups go on meanwhile.
    const [cells, volunteerTime] = await this.dataSource.transaction('REPEATABLE READ', async (manager) => [
      await this.reconciliations.compare(manager, allianceId, ATTEMPT_DEFINITIONS),
      await this.reconciliations.compareVolunteerTime(manager, allianceId),
    ]);
    const cellsChecked = cells.cellsChecked + volunteerTime.cellsChecked;
    const drifted = [...cells.drifted, ...volunteerTime.drifted];
    const rebuilt = options.rebuild === true && drifted.length > 0;
    if (rebuilt && cells.drifted.length > 0) {
      // Under the rollup's lock: no batch may be half counted into rollups being forgotten.
      await this.dataSource.transaction(async (manager) => {
        await this.rollupLock.waitForLock(manager);
        await this.reconciliations.resetAlliance(manager, allianceId);
      });
      await this.rollups.run();
    }
    if (rebuilt && volunteerTime.drifted.length > 0) await this.rebuildVolunteerTime(allianceId);
    const id = await this.reconciliations.record(this.dataSource.manager, { allianceId, startedAt, cellsChecked, drifted, rebuilt });
    if (drifted.length > 0) {
      this.logger.warn({ message: 'progress rollups drifted from the raw attempts', allianceId, cellsChecked, driftedCells: drifted.length, rebuilt });
    }
    return { id, allianceId, cellsChecked, driftedCells: drifted.length, drift: drifted.slice(0, 50), rebuilt };
  }

  /** The alliance's volunteer time added up again from its ended sessions (also for sessions written with the trigger off). */
  async rebuildVolunteerTime(allianceId: string): Promise<void> {
    await this.dataSource.transaction((manager) => this.reconciliations.rebuildVolunteerTime(manager, allianceId));
  }
}
