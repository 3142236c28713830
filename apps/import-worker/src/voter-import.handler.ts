import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads, JobResult } from '@app/queue';
import { SegmentApplicationService } from '@app/segments';
import { VoterImportService, VoterImportStatus } from '@app/voter-file';

@Injectable()
export class VoterImportHandler {
  constructor(
    private readonly imports: VoterImportService,
    private readonly segments: SegmentApplicationService,
  ) {}

  /**
   * Runs the import the job names. The import row is the state: a redelivered job finds it no
   * longer queued and does nothing, and a rejected file is an answer, not a job failure to retry.
   */
  @JobHandler(JobName.VoterImport)
  async handle(payload: JobPayloads[JobName.VoterImport]): Promise<JobResult> {
    const before = await this.imports.findById(payload.importId);
    if (before.status !== VoterImportStatus.Queued) return JobResult.Skipped;
    const after = await this.imports.run(payload.importId);
    // New and changed voters get the active model's segment without waiting for a full re-apply.
    if (after.status === VoterImportStatus.Succeeded) await this.segments.enqueueImportClassification(after.id);
    return after.status === VoterImportStatus.Failed ? JobResult.Failed : JobResult.Success;
  }
}
