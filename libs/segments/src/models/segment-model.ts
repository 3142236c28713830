import type { FeatureGroup } from '../features/voter-feature.encoder';
import type { RuleModelDefinition } from '../rules/segment-rule';
import type { ClassificationReport } from '../training';

export type SegmentModelKind = 'rules' | 'trained';
export type SegmentModelStatus = 'queued' | 'training' | 'ready' | 'failed';

/** A trained model as stored: enough to classify a voter and to explain the call, nothing else. */
export interface TrainedModelDefinition {
  readonly featureSetVersion: number;
  /** The features in the order of each segment's coefficients, with the scale they were trained at. */
  readonly features: ReadonlyArray<{
    readonly name: string;
    readonly label: string;
    readonly group: FeatureGroup;
    readonly mean: number;
    readonly standardDeviation: number;
  }>;
  /** Segment keys in the order of `coefficients` and `intercepts`. */
  readonly segments: readonly string[];
  readonly coefficients: ReadonlyArray<readonly number[]>;
  readonly intercepts: readonly number[];
  readonly l2: number;
  /** The date ages and registration years were counted at when training. */
  readonly asOf: string;
}

export type SegmentModelDefinition = RuleModelDefinition | TrainedModelDefinition;

export interface TrainingOptions {
  readonly folds: number;
  readonly seed: number;
  readonly l2Grid: readonly number[];
}

/** What training found, next to the two things it has to beat. */
export interface SegmentModelEvaluation {
  readonly segments: readonly string[];
  readonly respondents: number;
  readonly folds: number;
  readonly seed: number;
  readonly chosenL2: number;
  readonly grid: ReadonlyArray<{ readonly l2: number; readonly logLoss: number; readonly accuracy: number }>;
  /** Out-of-fold: every respondent scored by a model that never saw them. */
  readonly model: ClassificationReport;
  /** Always the most common segment of the training folds. */
  readonly baseline: ClassificationReport;
  /** The alliance's current rule model on the same respondents, when it has one. */
  readonly rules: { readonly modelId: string; readonly version: number; readonly name: string; readonly report: ClassificationReport } | null;
}

/** How the poll matched the voter file. */
export interface PollSummary {
  readonly fileName: string;
  readonly rows: number;
  readonly matched: number;
  /** Rows whose voter id is no voter of the alliance; kept with the model, never used to train. */
  readonly unmatched: number;
  /** Rows whose voter is in the file but inactive (moved, removed): not classified, so not trained on. */
  readonly inactive: number;
  readonly unmatchedExamples: readonly string[];
  readonly bySegment: Readonly<Record<string, number>>;
}

export interface SegmentModelRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly taxonomyId: string;
  readonly version: number;
  readonly name: string;
  readonly kind: SegmentModelKind;
  readonly status: SegmentModelStatus;
  readonly definition: SegmentModelDefinition | null;
  readonly trainingOptions: Partial<TrainingOptions>;
  readonly evaluation: SegmentModelEvaluation | null;
  readonly poll: PollSummary | null;
  readonly trainingSeconds: number | null;
  readonly errorMessage: string | null;
  readonly active: boolean;
  readonly createdByUserId: string | null;
  readonly createdAt: Date;
  readonly trainedAt: Date | null;
}

export function isTrainedDefinition(model: { readonly kind: SegmentModelKind; readonly definition: SegmentModelDefinition | null }): boolean {
  return model.kind === 'trained' && model.definition !== null;
}
