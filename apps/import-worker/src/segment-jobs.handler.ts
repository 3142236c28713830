import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads, JobResult } from '@app/queue';
import { SegmentApplicationService, SegmentModelTrainingService } from '@app/segments';
import { VoterImportService } from '@app/voter-file';

/**
 * Segment work on the imports queue. Each job names a row whose state decides what happens: a
 * finished model or run is skipped, one left mid-way by a dead worker is done again from the
 * start (nothing of it was committed), and import classification is a set of upserts.
 */
@Injectable()
export class SegmentJobsHandler {
  constructor(
    private readonly training: SegmentModelTrainingService,
    private readonly applications: SegmentApplicationService,
    private readonly imports: VoterImportService,
  ) {}

  @JobHandler(JobName.SegmentModelTraining)
  async train(payload: JobPayloads[JobName.SegmentModelTraining]): Promise<JobResult> {
    const model = await this.training.train(payload.modelId);
    if (!model) return JobResult.Skipped;
    return model.status === 'ready' ? JobResult.Success : JobResult.Failed;
  }

  @JobHandler(JobName.SegmentApplication)
  async apply(payload: JobPayloads[JobName.SegmentApplication]): Promise<JobResult> {
    const application = await this.applications.run(payload.applicationId);
    if (!application) return JobResult.Skipped;
    return application.status === 'succeeded' ? JobResult.Success : JobResult.Failed;
  }

  @JobHandler(JobName.SegmentImportClassification)
  async classifyImport(payload: JobPayloads[JobName.SegmentImportClassification]): Promise<JobResult> {
    const voterImport = await this.imports.findById(payload.importId);
    const classified = await this.applications.classifyImport(voterImport.allianceId, voterImport.id);
    return classified === null ? JobResult.Skipped : JobResult.Success;
  }
}
