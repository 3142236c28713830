import {
  ApiError,
  apiErrorFrom,
  csrfToken,
  describeError,
  getJson,
  isAbortError,
  parseJson,
  reportUnauthenticated,
  requestAlliance,
  sendJson,
  withAlliance,
} from './api.client';

export interface SegmentDefinition {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** `#rrggbb`; the segment's colour in every chart and badge. */
  readonly colour: string;
}

export interface ValuesAnswer {
  readonly key: string;
  readonly label: string;
  /** P(this answer | the voter is in the segment), by segment key; a segment left out is uninformative. */
  readonly likelihoods: Readonly<Record<string, number>>;
}

export interface ValuesQuestion {
  readonly key: string;
  readonly prompt: string;
  readonly answers: readonly ValuesAnswer[];
}

export interface SegmentTaxonomy {
  readonly id: string;
  readonly version: number;
  readonly segments: readonly SegmentDefinition[];
  readonly valuesQuestions: readonly ValuesQuestion[];
  readonly createdAt: string;
}

export const NUMERIC_RULE_FIELDS = ['age', 'registeredYears', 'generalVotes', 'primaryVotes'] as const;
export const LISTED_RULE_FIELDS = ['party', 'raceEthnicity', 'gender', 'propensity', 'county', 'urbanicity'] as const;
export type NumericRuleField = (typeof NUMERIC_RULE_FIELDS)[number];
export type ListedRuleField = (typeof LISTED_RULE_FIELDS)[number];
export type RuleField = NumericRuleField | ListedRuleField;

/** The values the voter table allows for each listed field; counties are free text. */
export const RULE_FIELD_VALUES: Readonly<Record<Exclude<ListedRuleField, 'county'>, readonly string[]>> = {
  party: ['democratic', 'republican', 'unaffiliated', 'libertarian', 'green', 'other', 'unknown'],
  raceEthnicity: ['hispanic', 'white', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other', 'unknown'],
  gender: ['female', 'male', 'unknown'],
  propensity: ['new', 'occasional', 'frequent'],
  urbanicity: ['urban', 'suburban', 'rural'],
};

/** The inclusive bounds the API accepts for each numeric field. */
export const NUMERIC_FIELD_LIMITS: Readonly<Record<NumericRuleField, readonly [number, number]>> = {
  age: [0, 130],
  registeredYears: [0, 130],
  generalVotes: [0, 10],
  primaryVotes: [0, 10],
};

/**
 * A bound as typed: a number when it reads as one, otherwise the text itself, so the API refuses
 * it naming the field rather than the console guessing what was meant.
 */
export type RuleBound = number | string;

export type RuleCondition =
  | { readonly field: NumericRuleField; readonly min?: RuleBound; readonly max?: RuleBound }
  | { readonly field: ListedRuleField; readonly values: readonly string[] };

export interface SegmentRule {
  readonly segment: string;
  readonly conditions: readonly RuleCondition[];
}

export interface RuleModelDefinition {
  readonly rules: readonly SegmentRule[];
  readonly fallbackSegment: string;
}

export interface RuleCounts {
  /** Active voters counted (those the person may see). */
  readonly total: number;
  readonly bySegment: Readonly<Record<string, number>>;
  /** Voters each rule takes (the first rule a voter matches decides). */
  readonly byRule: readonly number[];
  /** Voters no rule takes. */
  readonly fallback: number;
  /** Each rule in words. */
  readonly rules: readonly string[];
}

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface ClassificationReport {
  readonly rows: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** Null when the model gives hard calls only (a rule model). */
  readonly logLoss: number | null;
  /** [actual][predicted], in `evaluation.segments` order. */
  readonly confusionMatrix: readonly (readonly number[])[];
  readonly perClass: ReadonlyArray<{ readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }>;
  readonly calibration: readonly CalibrationBin[];
}

export interface SegmentModelEvaluation {
  readonly segments: readonly string[];
  readonly respondents: number;
  readonly folds: number;
  readonly seed: number;
  readonly chosenL2: number;
  readonly grid: ReadonlyArray<{ readonly l2: number; readonly logLoss: number; readonly accuracy: number }>;
  readonly model: ClassificationReport;
  readonly baseline: ClassificationReport;
  readonly rules: { readonly modelId: string; readonly version: number; readonly name: string; readonly report: ClassificationReport } | null;
}

export interface PollSummary {
  readonly fileName: string;
  readonly rows: number;
  readonly matched: number;
  readonly unmatched: number;
  readonly inactive: number;
  readonly unmatchedExamples: readonly string[];
  readonly bySegment: Readonly<Record<string, number>>;
}

export type SegmentApplicationStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface SegmentApplication {
  readonly id: string;
  readonly modelId: string;
  readonly status: SegmentApplicationStatus;
  /** Known once the run starts. */
  readonly votersTotal: number | null;
  readonly votersDone: number;
  readonly distribution: Readonly<Record<string, number>> | null;
  readonly seconds: number | null;
  readonly errorMessage: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface FeatureWeight {
  readonly feature: string;
  readonly label: string;
  readonly effect: number;
}

export interface ModelExplanation {
  readonly kind: 'rules' | 'trained';
  readonly segments: ReadonlyArray<{
    readonly segment: string;
    readonly name: string;
    readonly moreLikely: readonly FeatureWeight[];
    readonly lessLikely: readonly FeatureWeight[];
    readonly sentence: string;
  }>;
  /** For a rule model: each rule in words, then the fallback. */
  readonly rules: readonly string[];
}

export type SegmentModelKind = 'rules' | 'trained';
export type SegmentModelStatus = 'queued' | 'training' | 'ready' | 'failed';

export interface SegmentModel {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly kind: SegmentModelKind;
  readonly status: SegmentModelStatus;
  readonly taxonomyId: string;
  /** The model whose segments volunteers see and later imports get. */
  readonly active: boolean;
  /** Rules for a rule model; the weights of a trained one (not read by the console). */
  readonly definition: RuleModelDefinition | Record<string, unknown> | null;
  readonly evaluation: SegmentModelEvaluation | null;
  readonly poll: PollSummary | null;
  readonly trainingSeconds: number | null;
  readonly errorMessage: string | null;
  readonly createdAt: string;
  readonly latestApplication: SegmentApplication | null;
  /** Only on a model fetched by itself. */
  readonly explanation?: ModelExplanation;
}

export type DistributionDimension = 'county' | 'organization';

export interface SegmentDistribution {
  readonly modelId: string;
  readonly by: DistributionDimension;
  /** Largest first. */
  readonly rows: ReadonlyArray<{ readonly key: string; readonly label: string; readonly total: number; readonly counts: Readonly<Record<string, number>> }>;
}

export function isTraining(model: Pick<SegmentModel, 'status'>): boolean {
  return model.status === 'queued' || model.status === 'training';
}

export function isApplying(application: Pick<SegmentApplication, 'status'> | null): boolean {
  return application !== null && (application.status === 'queued' || application.status === 'running');
}

export function isRuleDefinition(definition: SegmentModel['definition']): definition is RuleModelDefinition {
  return definition !== null && Array.isArray((definition as { rules?: unknown }).rules);
}

/** The alliance to name in a request body, when the person belongs to several. */
function allianceField(): { alliance?: string } {
  const alliance = requestAlliance();
  return alliance === null ? {} : { alliance };
}

export function getTaxonomy(signal?: AbortSignal): Promise<SegmentTaxonomy> {
  return getJson(withAlliance('/api/segments/taxonomy'), signal);
}

export function saveTaxonomy(segments: readonly SegmentDefinition[], valuesQuestions: readonly ValuesQuestion[]): Promise<SegmentTaxonomy> {
  return sendJson('PUT', '/api/segments/taxonomy', { ...allianceField(), segments, valuesQuestions });
}

export function listSegmentModels(signal?: AbortSignal): Promise<{ models: SegmentModel[] }> {
  return getJson(withAlliance('/api/segment-models'), signal);
}

export function getSegmentModel(id: string, signal?: AbortSignal): Promise<SegmentModel> {
  return getJson(`/api/segment-models/${encodeURIComponent(id)}`, signal);
}

export function countRules(definition: RuleModelDefinition, signal?: AbortSignal): Promise<RuleCounts> {
  return sendJson('POST', '/api/segment-models/rule-counts', { ...allianceField(), definition }, { signal });
}

export function createRuleModel(name: string, definition: RuleModelDefinition): Promise<SegmentModel> {
  return sendJson('POST', '/api/segment-models/rules', { ...allianceField(), name, definition });
}

export function applySegmentModel(id: string): Promise<SegmentApplication> {
  return sendJson('POST', `/api/segment-models/${encodeURIComponent(id)}/applications`);
}

export function getSegmentApplication(id: string, signal?: AbortSignal): Promise<SegmentApplication> {
  return getJson(`/api/segment-applications/${encodeURIComponent(id)}`, signal);
}

export function getSegmentDistribution(id: string, by: DistributionDimension, signal?: AbortSignal): Promise<SegmentDistribution> {
  return getJson(`/api/segment-models/${encodeURIComponent(id)}/distribution?by=${by}`, signal);
}

export function segmentExportUrl(id: string): string {
  return `/api/segment-models/${encodeURIComponent(id)}/export`;
}

/**
 * Sends a values poll (CSV `voter_id,segment`) as multipart/form-data to train a model from it.
 * fetch, not the JSON helpers: the browser must set the multipart boundary itself. Polls are small,
 * so no upload progress is shown. The fields go before the file so the server reads them first.
 */
export async function uploadValuesPoll(file: File, name: string | null, signal?: AbortSignal): Promise<SegmentModel> {
  const form = new FormData();
  const alliance = requestAlliance();
  if (alliance !== null) form.append('alliance', alliance);
  if (name !== null) form.append('name', name);
  form.append('poll', file, file.name);
  const token = csrfToken();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token !== null) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch('/api/segment-models/trained', { method: 'POST', headers, body: form, credentials: 'same-origin', signal });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw ApiError.unreachable();
  }
  const body = parseJson(await response.text().catch(() => ''));
  if (!response.ok) {
    reportUnauthenticated(response.status, token);
    throw apiErrorFrom(response.status, body);
  }
  if (body === undefined) throw new ApiError('The server accepted the poll but sent an answer the console could not read.', response.status);
  return body as SegmentModel;
}

/** `details.field` of a refusal ("segments[2].colour", "rules[1].conditions[0].min"), when the API named one. */
export function fieldOfError(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const field = error.details?.field;
  return typeof field === 'string' ? field : null;
}

/**
 * One line for a failed save or count. A refusal of what was typed (400) needs no reference to
 * quote, since the person can fix it themselves; anything else keeps it, for asking for help.
 */
export function describeRefusal(error: unknown): string {
  return error instanceof ApiError && error.status === 400 ? error.message : describeError(error);
}
