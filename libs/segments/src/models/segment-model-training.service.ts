import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainException } from '@app/common';
import { JobName, JobProducer } from '@app/queue';
import { encodeVoter, FEATURE_SET_VERSION, VOTER_FEATURES } from '../features/voter-feature.encoder';
import { VoterAttributesRepository } from '../features/voter-attributes.repository';
import type { VoterAttributes } from '../features/voter-attributes';
import { SegmentTaxonomyService } from '../taxonomy/segment-taxonomy.service';
import { crossValidate, fitSoftmaxRegression, reportFromPredictions, type TrainingData } from '../training';
import { classifierFor, mostProbable } from './segment-classifier';
import type { SegmentModelEvaluation, SegmentModelRecord, TrainedModelDefinition, TrainingOptions } from './segment-model';
import { SegmentModelRepository } from './segment-model.repository';
import { DEFAULT_TRAINING_OPTIONS } from './segment-model.service';

/**
 * Trains a queued model from its poll: features of each matched respondent, k-fold
 * cross-validation over a regularisation grid (the out-of-fold predictions are the evaluation),
 * then one fit on every respondent at the chosen strength. Deterministic for a given poll and
 * seed. Runs as the owner (the worker or the cli), never inside a request.
 */
@Injectable()
export class SegmentModelTrainingService {
  private readonly logger = new Logger(SegmentModelTrainingService.name);

  constructor(
    private readonly models: SegmentModelRepository,
    private readonly taxonomies: SegmentTaxonomyService,
    private readonly attributes: VoterAttributesRepository,
    private readonly producer: JobProducer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Hands a queued model to the worker; the job id is the model's, so enqueuing twice trains once. */
  async enqueue(modelId: string): Promise<void> {
    try {
      await this.producer.enqueue(JobName.SegmentModelTraining, { modelId }, { jobId: `segment-model-training-${modelId}` });
    } catch (error) {
      await this.models.markFailed(modelId, 'Training could not be queued (the job queue is unavailable); upload the poll again.');
      throw error;
    }
  }

  /** Trains the model if it is queued (or was left mid-training); returns null when there was nothing to do. */
  async train(modelId: string): Promise<SegmentModelRecord | null> {
    const claimed = await this.models.claimForTraining(modelId);
    if (!claimed) return null;
    const started = performance.now();
    try {
      const { definition, evaluation } = await this.fit(claimed);
      const seconds = (performance.now() - started) / 1000;
      await this.models.markTrained(modelId, definition, evaluation, seconds);
      this.logger.log({ msg: 'segment model trained', modelId, respondents: evaluation.respondents, accuracy: evaluation.model.accuracy, seconds });
    } catch (error) {
      const message = error instanceof DomainException || error instanceof RangeError ? error.message : 'training failed unexpectedly; see the worker log';
      this.logger.error({ msg: 'segment model training failed', modelId, err: error });
      await this.models.markFailed(modelId, message);
    }
    return this.models.find(claimed.allianceId, modelId);
  }

  private async fit(model: SegmentModelRecord): Promise<{ definition: TrainedModelDefinition; evaluation: SegmentModelEvaluation }> {
    const options: TrainingOptions = { ...DEFAULT_TRAINING_OPTIONS, ...model.trainingOptions };
    const taxonomy = await this.taxonomies.find(model.allianceId, model.taxonomyId);
    const segments = taxonomy.segments.map((segment) => segment.key);
    const responses = await this.models.matchedPollResponses(model.id);
    const asOf = new Date();
    const found = await this.attributes.findByIds(
      this.dataSource.manager,
      model.allianceId,
      responses.map((response) => response.voterId),
      asOf,
    );
    // A respondent deactivated since the upload has no attributes now: left out, like any inactive voter.
    const respondents = responses.filter((response) => found.has(response.voterId));
    const voters: VoterAttributes[] = respondents.map((response) => found.get(response.voterId) as VoterAttributes);
    const labels = Int32Array.from(respondents.map((response) => segments.indexOf(response.segmentKey)));
    const columns = VOTER_FEATURES.length;
    const features = new Float64Array(voters.length * columns);
    voters.forEach((voter, row) => encodeVoter(voter, features, row * columns));
    const data: TrainingData = { features, rows: voters.length, columns, labels, classes: segments.length };

    const validation = crossValidate(data, { folds: options.folds, seed: options.seed, l2Grid: options.l2Grid });
    const final = fitSoftmaxRegression(data, { l2: validation.chosenL2 });
    const { means, deviations } = columnScales(features, voters.length, columns);
    const definition: TrainedModelDefinition = {
      featureSetVersion: FEATURE_SET_VERSION,
      features: VOTER_FEATURES.map((feature, index) => ({
        name: feature.name,
        label: feature.label,
        group: feature.group,
        mean: means[index],
        standardDeviation: deviations[index],
      })),
      segments,
      coefficients: segments.map((_, segment) => Array.from(final.model.coefficients.subarray(segment * columns, (segment + 1) * columns))),
      intercepts: Array.from(final.model.intercepts),
      l2: validation.chosenL2,
      asOf: asOf.toISOString().slice(0, 10),
    };
    const rules = await this.models.currentRules(model.allianceId, model.taxonomyId);
    let rulesEvaluation: SegmentModelEvaluation['rules'] = null;
    if (rules) {
      const classifier = classifierFor(rules, segments);
      const probabilities = new Float64Array(segments.length);
      const predicted = Int32Array.from(
        voters.map((voter) => (classifier.probabilitiesInto(voter, probabilities), mostProbable(probabilities, segments.length))),
      );
      rulesEvaluation = { modelId: rules.id, version: rules.version, name: rules.name, report: reportFromPredictions(labels, predicted, segments.length) };
    }
    return {
      definition,
      evaluation: {
        segments,
        respondents: voters.length,
        folds: options.folds,
        seed: options.seed,
        chosenL2: validation.chosenL2,
        grid: validation.grid,
        model: validation.report,
        baseline: validation.baseline,
        rules: rulesEvaluation,
      },
    };
  }
}

function columnScales(features: Float64Array, rows: number, columns: number): { means: number[]; deviations: number[] } {
  const means = new Array<number>(columns).fill(0);
  const squares = new Array<number>(columns).fill(0);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      const value = features[row * columns + column];
      means[column] += value;
      squares[column] += value * value;
    }
  }
  for (let column = 0; column < columns; column += 1) {
    means[column] /= Math.max(rows, 1);
    squares[column] = Math.sqrt(Math.max(squares[column] / Math.max(rows, 1) - means[column] * means[column], 0));
  }
  return { means, deviations: squares };
}
