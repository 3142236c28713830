import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { AuditLogService } from '@app/identity';
import { JobName, JobProducer } from '@app/queue';
import { VoterAttributesRepository, type VoterSubset } from '../features/voter-attributes.repository';
import { posteriorOf } from '../evidence/bayesian-update';
import { classifierFor, mostProbable, type SegmentClassifier } from '../models/segment-classifier';
import type { SegmentModelRecord } from '../models/segment-model';
import { SegmentModelRepository } from '../models/segment-model.repository';
import { SegmentTaxonomyService } from '../taxonomy/segment-taxonomy.service';
import { assertAllianceWide, type SegmentActor } from '../segment-actor';
import type { SegmentApplicationRecord } from './segment-application';
import { SegmentApplicationRepository } from './segment-application.repository';
import { type AssignmentRow, SegmentAssignmentRepository } from './segment-assignment.repository';

export interface ApplicationProgress {
  readonly votersDone: number;
  readonly votersTotal: number;
}

const PROGRESS_EVERY = 25_000;
const IMPORT_BATCH = 5000;

/**
 * Applying a model to every active voter of its alliance: classify each voter as COPY streams
 * them out, fold in what conversations already told us about them, stream the rows into the
 * model's new partition, and swap it in with the model made active, all in one transaction.
 */
@Injectable()
export class SegmentApplicationService {
  private readonly logger = new Logger(SegmentApplicationService.name);

  constructor(
    private readonly applications: SegmentApplicationRepository,
    private readonly assignments: SegmentAssignmentRepository,
    private readonly models: SegmentModelRepository,
    private readonly taxonomies: SegmentTaxonomyService,
    private readonly attributes: VoterAttributesRepository,
    private readonly producer: JobProducer,
    private readonly audit: AuditLogService,
  ) {}

  async request(actor: SegmentActor, modelId: string, correlationId: string | null): Promise<SegmentApplicationRecord> {
    assertAllianceWide(actor, 'Applying a model');
    const model = await this.models.find(actor.allianceId, modelId);
    if (!model) throw new NotFoundDomainException('segment model', modelId);
    if (model.status !== 'ready') {
      throw new DomainException(DomainErrorCode.Conflict, `model ${model.version} is ${model.status}; only a ready model can be applied`, {
        status: model.status,
      });
    }
    const application = await this.applications.insert({ allianceId: actor.allianceId, modelId, requestedByUserId: actor.userId, correlationId });
    await this.audit.record(actor, 'segments.model_applied', { subjectType: 'segment_model', subjectId: modelId, details: { applicationId: application.id } });
    return application;
  }

  /** Hands a requested run to the worker; the job id is the run's, so enqueuing twice runs it once. */
  async enqueue(applicationId: string): Promise<void> {
    try {
      await this.producer.enqueue(JobName.SegmentApplication, { applicationId }, { jobId: `segment-application-${applicationId}` });
    } catch (error) {
      await this.applications.markFailed(applicationId, 'The run could not be queued (the job queue is unavailable); apply the model again.');
      throw error;
    }
  }

  async find(allianceId: string, id: string): Promise<SegmentApplicationRecord> {
    const application = await this.applications.find(id);
    if (!application || application.allianceId !== allianceId) throw new NotFoundDomainException('segment application', id);
    return application;
  }

  async allianceOf(id: string): Promise<string | null> {
    return (await this.applications.find(id))?.allianceId ?? null;
  }

  latestForModel(modelId: string): Promise<SegmentApplicationRecord | null> {
    return this.applications.latestForModel(modelId);
  }

  /**
   * Runs a requested application. Returns null when it was already finished (a redelivered job);
   * a run left `running` by a dead worker runs again from the start, which is safe because nothing
   * of it was committed.
   */
  async run(applicationId: string, onProgress?: (progress: ApplicationProgress) => void): Promise<SegmentApplicationRecord | null> {
    const requested = await this.applications.find(applicationId);
    if (!requested || requested.status === 'succeeded' || requested.status === 'failed') return null;
    const votersTotal = await this.assignments.countActiveVoters(requested.allianceId);
    const application = await this.applications.claim(applicationId, votersTotal);
    if (!application) return null;
    const started = performance.now();
    try {
      const model = await this.models.find(application.allianceId, application.modelId);
      if (!model || model.status !== 'ready') throw new DomainException(DomainErrorCode.Conflict, 'the model is no longer ready to apply');
      const classifier = await this.classifierOf(model);
      const evidence = await this.assignments.evidenceByVoter(model.allianceId);
      const writer = await this.assignments.openPartitionWriter(model.id, model.allianceId);
      const distribution: Record<string, number> = {};
      const segments = classifier.segmentKeys.length;
      const counts = new Float64Array(segments);
      try {
        let reported = 0;
        // One scratch array for every voter: a million short-lived arrays and row objects were a third of the run in garbage collection.
        const probabilities = new Float64Array(segments);
        for await (const voters of await this.attributes.stream(model.allianceId, { kind: 'all' }, new Date())) {
          for (const voter of voters) {
            classifier.probabilitiesInto(voter, probabilities);
            const answers = evidence.get(voter.voterId);
            const current = answers ? posteriorOf(probabilities, classifier.segmentKeys, answers) : probabilities;
            const segment = mostProbable(current, segments);
            counts[segment] += 1;
            const waiting = writer.writeVoter(voter.voterId, classifier.segmentKeys[segment], current[segment], probabilities, answers?.length ?? 0);
            if (waiting) await waiting;
          }
          if (writer.rows - reported >= PROGRESS_EVERY) {
            reported = writer.rows;
            onProgress?.({ votersDone: writer.rows, votersTotal });
            void this.applications.reportProgress(applicationId, writer.rows).catch(() => undefined);
          }
        }
      } catch (error) {
        await writer.abort();
        throw error;
      }
      classifier.segmentKeys.forEach((key, index) => (distribution[key] = counts[index]));
      const seconds = (performance.now() - started) / 1000;
      await writer.commit(async (manager) => {
        await this.models.activate(manager, model.allianceId, model.id);
        await this.applications.markSucceeded(manager, applicationId, { voters: writer.rows, distribution, seconds });
      });
      onProgress?.({ votersDone: writer.rows, votersTotal: writer.rows });
      this.logger.log({ msg: 'segment model applied', modelId: model.id, voters: writer.rows, seconds });
    } catch (error) {
      this.logger.error({ msg: 'segment model application failed', applicationId, err: error });
      await this.applications.markFailed(applicationId, error instanceof DomainException ? error.message : 'the run failed unexpectedly; see the worker log');
    }
    return this.applications.find(applicationId);
  }

  /** Enqueues the classification of an import's new and changed voters by the active model. */
  async enqueueImportClassification(importId: string): Promise<void> {
    await this.producer.enqueue(JobName.SegmentImportClassification, { importId }, { jobId: `segment-import-classification-${importId}` });
  }

  /**
   * Classifies the voters a later import inserted or changed with the alliance's active model, so
   * nobody waits for a full re-apply to see a new voter's segment. Idempotent: the rows are upserts.
   */
  async classifyImport(allianceId: string, importId: string): Promise<{ voters: number } | null> {
    const model = await this.models.active(allianceId);
    if (!model || !(await this.assignments.hasPartition(model.id))) return null;
    const classifier = await this.classifierOf(model);
    const evidence = await this.assignments.evidenceByVoter(allianceId);
    let batch: AssignmentRow[] = [];
    let voters = 0;
    for await (const rows of this.classifyAll(allianceId, { kind: 'import', importId }, classifier, evidence)) {
      for (const row of rows) {
        batch.push(row);
        voters += 1;
        if (batch.length === IMPORT_BATCH) {
          await this.assignments.upsert(model.id, allianceId, batch);
          batch = [];
        }
      }
    }
    await this.assignments.upsert(model.id, allianceId, batch);
    return { voters };
  }

  private async classifierOf(model: SegmentModelRecord): Promise<SegmentClassifier> {
    const taxonomy = await this.taxonomies.find(model.allianceId, model.taxonomyId);
    return classifierFor(
      model,
      taxonomy.segments.map((segment) => segment.key),
    );
  }

  private async *classifyAll(
    allianceId: string,
    subset: VoterSubset,
    classifier: SegmentClassifier,
    evidence: Map<string, Array<Readonly<Record<string, number>>>>,
  ): AsyncGenerator<AssignmentRow[]> {
    const segments = classifier.segmentKeys.length;
    for await (const voters of await this.attributes.stream(allianceId, subset, new Date())) {
      yield voters.map((voter) => {
        const probabilities = new Float64Array(segments);
        classifier.probabilitiesInto(voter, probabilities);
        const answers = evidence.get(voter.voterId);
        const current = answers ? posteriorOf(probabilities, classifier.segmentKeys, answers) : probabilities;
        const segment = mostProbable(current, segments);
        return {
          voterId: voter.voterId,
          segmentKey: classifier.segmentKeys[segment],
          probability: current[segment],
          modelProbabilities: probabilities,
          evidenceCount: answers?.length ?? 0,
        };
      });
    }
  }
}
