import { Injectable } from '@nestjs/common';
import { ProgressReconciliationService, ProgressRollupService } from '@app/contacts';
import { IdentityRepository } from '@app/identity';
import { JobHandler, JobName, type JobPayloads, JobResult, QueueProbeService } from '@app/queue';

/**
 * The progress queue. A rollup counts what the attempts' trigger queued, each batch leaving the
 * queue in the transaction that counts it, so a rollup run twice (or by two workers) counts
 * nothing twice; a reconciliation only reads and records what it found.
 */
@Injectable()
export class ProgressJobsHandler {
  constructor(
    private readonly rollups: ProgressRollupService,
    private readonly reconciliations: ProgressReconciliationService,
    private readonly identity: IdentityRepository,
    private readonly probes: QueueProbeService,
  ) {}

  @JobHandler(JobName.ProgressQueueProbe)
  probe(payload: JobPayloads[JobName.ProgressQueueProbe]): Promise<JobResult> {
    return this.probes.markProcessed(payload.probeId, 'import-worker');
  }

  @JobHandler(JobName.ProgressRollup)
  async rollup(): Promise<JobResult> {
    const outcome = await this.rollups.run({ keepUp: true });
    return outcome.counted + outcome.optOuts > 0 ? JobResult.Success : JobResult.Skipped;
  }

  @JobHandler(JobName.ProgressReconcile)
  async reconcile(payload: JobPayloads[JobName.ProgressReconcile]): Promise<JobResult> {
    const allianceIds = payload.allianceId === undefined ? await this.identity.listAllianceIds() : [payload.allianceId];
    for (const allianceId of allianceIds) await this.reconciliations.reconcile(allianceId);
    return allianceIds.length > 0 ? JobResult.Success : JobResult.Skipped;
  }
}
