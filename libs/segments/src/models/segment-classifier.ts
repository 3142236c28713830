import { encodeVoter, VOTER_FEATURES } from '../features/voter-feature.encoder';
import type { VoterAttributes } from '../features/voter-attributes';
import { firstMatchingRule } from '../rules/segment-rule.evaluator';
import type { RuleModelDefinition } from '../rules/segment-rule';
import { predictInto, type SoftmaxModel } from '../training';
import type { SegmentModelKind, SegmentModelDefinition, TrainedModelDefinition } from './segment-model';

/**
 * A rule is a hard call, but not a certain one: treating it as 85% sure lets a few answers in
 * conversation overturn it, where a probability of 1 would make every Bayesian update a no-op.
 */
export const RULE_CONFIDENCE = 0.85;

/** Turns a voter into probabilities over a model's segments (in `segmentKeys` order). */
export interface SegmentClassifier {
  readonly segmentKeys: readonly string[];
  probabilitiesInto(voter: VoterAttributes, out: Float64Array): void;
}

export function classifierFor(
  model: { readonly kind: SegmentModelKind; readonly definition: SegmentModelDefinition | null },
  taxonomySegmentKeys: readonly string[],
): SegmentClassifier {
  if (model.definition === null) throw new Error('a model that is not ready cannot classify');
  return model.kind === 'rules'
    ? new RuleClassifier(model.definition as RuleModelDefinition, taxonomySegmentKeys)
    : new TrainedClassifier(model.definition as TrainedModelDefinition);
}

class RuleClassifier implements SegmentClassifier {
  private readonly ruleSegment: Int32Array;
  private readonly fallback: number;
  private readonly other: number;

  constructor(
    private readonly definition: RuleModelDefinition,
    readonly segmentKeys: readonly string[],
  ) {
    this.ruleSegment = Int32Array.from(definition.rules.map((rule) => segmentKeys.indexOf(rule.segment)));
    this.fallback = segmentKeys.indexOf(definition.fallbackSegment);
    this.other = segmentKeys.length > 1 ? (1 - RULE_CONFIDENCE) / (segmentKeys.length - 1) : 0;
  }

  probabilitiesInto(voter: VoterAttributes, out: Float64Array): void {
    const rule = firstMatchingRule(this.definition, voter);
    const segment = rule === -1 ? this.fallback : this.ruleSegment[rule];
    out.fill(this.other, 0, this.segmentKeys.length);
    out[segment] = this.segmentKeys.length > 1 ? RULE_CONFIDENCE : 1;
  }
}

class TrainedClassifier implements SegmentClassifier {
  readonly segmentKeys: readonly string[];
  private readonly model: SoftmaxModel;
  private readonly features = new Float64Array(VOTER_FEATURES.length);

  constructor(definition: TrainedModelDefinition) {
    const expected = VOTER_FEATURES.map((feature) => feature.name).join(',');
    if (definition.features.map((feature) => feature.name).join(',') !== expected) {
      throw new Error('this model was trained on another feature set; train it again to use it');
    }
    this.segmentKeys = definition.segments;
    this.model = softmaxModelOf(definition);
  }

  probabilitiesInto(voter: VoterAttributes, out: Float64Array): void {
    encodeVoter(voter, this.features, 0);
    predictInto(this.model, this.features, 0, out);
  }
}

export function softmaxModelOf(definition: TrainedModelDefinition): SoftmaxModel {
  return {
    classes: definition.segments.length,
    columns: definition.features.length,
    coefficients: Float64Array.from(definition.coefficients.flat()),
    intercepts: Float64Array.from(definition.intercepts),
  };
}

/** The most probable segment's index; ties go to the earlier segment. */
export function mostProbable(probabilities: Float64Array, segments: number): number {
  let best = 0;
  for (let index = 1; index < segments; index += 1) if (probabilities[index] > probabilities[best]) best = index;
  return best;
}
