import type { VoterAttributes } from '../features/voter-attributes';
import { voterAttributesFixture } from '../features/voter-attributes.fixture';
import { VOTER_FEATURES } from '../features/voter-feature.encoder';
import type { RuleModelDefinition } from '../rules/segment-rule';
import { classifierFor, mostProbable, RULE_CONFIDENCE } from './segment-classifier';
import type { TrainedModelDefinition } from './segment-model';

const SEGMENT_KEYS = ['pro_tax_base', 'aspiring_poc', 'balanced_suburbans', 'other'];

const voterWith = (overrides: Partial<VoterAttributes> = {}): VoterAttributes => voterAttributesFixture(overrides);

const RULES: RuleModelDefinition = {
  rules: [
    { segment: 'aspiring_poc', conditions: [{ field: 'raceEthnicity', values: ['black', 'hispanic'] }] },
    { segment: 'balanced_suburbans', conditions: [{ field: 'urbanicity', values: ['suburban'] }] },
  ],
  fallbackSegment: 'other',
};

/**
 * A trained model over every current feature whose coefficients are all zero except those given,
 * by segment index and feature name.
 */
function trainedDefinition(
  segments: readonly string[],
  weights: ReadonlyArray<{ readonly segment: number; readonly feature: string; readonly weight: number }>,
  intercepts: readonly number[] = segments.map(() => 0),
): TrainedModelDefinition {
  const names = VOTER_FEATURES.map((feature) => feature.name);
  const coefficients = segments.map(() => names.map(() => 0));
  for (const { segment, feature, weight } of weights) {
    const column = names.indexOf(feature);
    if (column === -1) throw new Error(`no feature ${feature}`);
    coefficients[segment][column] = weight;
  }
  return {
    featureSetVersion: 1,
    features: VOTER_FEATURES.map((feature) => ({ name: feature.name, label: feature.label, group: feature.group, mean: 0, standardDeviation: 1 })),
    segments,
    coefficients,
    intercepts,
    l2: 0.01,
    asOf: '2026-01-01',
  };
}

function probabilitiesOf(classifier: ReturnType<typeof classifierFor>, voter: VoterAttributes): number[] {
  const out = new Float64Array(classifier.segmentKeys.length);
  classifier.probabilitiesInto(voter, out);
  return Array.from(out);
}

function expectProbabilities(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 12));
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe('classifierFor', () => {
  it('should refuse a model that has no definition yet', () => {
    expect(() => classifierFor({ kind: 'trained', definition: null }, SEGMENT_KEYS)).toThrow('not ready');
    expect(() => classifierFor({ kind: 'rules', definition: null }, SEGMENT_KEYS)).toThrow('not ready');
  });

  describe('for a rule model', () => {
    const classifier = classifierFor({ kind: 'rules', definition: RULES }, SEGMENT_KEYS);
    const rest = (1 - RULE_CONFIDENCE) / 3;

    it('should classify into the taxonomy’s segments', () => {
      expect(classifier.segmentKeys).toEqual(SEGMENT_KEYS);
    });

    it('should give the matched rule’s segment RULE_CONFIDENCE and share the rest equally', () => {
      expectProbabilities(probabilitiesOf(classifier, voterWith({ raceEthnicity: 'black' })), [rest, RULE_CONFIDENCE, rest, rest]);
      expectProbabilities(probabilitiesOf(classifier, voterWith({ urbanicity: 'suburban' })), [rest, rest, RULE_CONFIDENCE, rest]);
      expect(RULE_CONFIDENCE).toBeGreaterThan(rest);
    });

    it('should give the fallback segment RULE_CONFIDENCE when no rule matches', () => {
      expectProbabilities(probabilitiesOf(classifier, voterWith({ raceEthnicity: 'white', urbanicity: 'rural' })), [rest, rest, rest, RULE_CONFIDENCE]);
    });

    it('should give probabilities that sum to 1', () => {
      for (const voter of [voterWith({ raceEthnicity: 'hispanic' }), voterWith({ urbanicity: 'suburban' }), voterWith({ urbanicity: 'rural' })]) {
        expect(sum(probabilitiesOf(classifier, voter))).toBeCloseTo(1, 12);
      }
    });

    it('should overwrite whatever the buffer held before', () => {
      const out = new Float64Array(4).fill(9);
      classifier.probabilitiesInto(voterWith({ raceEthnicity: 'black' }), out);
      expectProbabilities(Array.from(out), [rest, RULE_CONFIDENCE, rest, rest]);
    });

    it('should share the rest between however many segments the taxonomy has', () => {
      const twoSegments = classifierFor({ kind: 'rules', definition: { rules: [], fallbackSegment: 'second' } }, ['first', 'second']);
      expectProbabilities(probabilitiesOf(twoSegments, voterWith()), [1 - RULE_CONFIDENCE, RULE_CONFIDENCE]);
    });
  });

  describe('for a trained model', () => {
    it('should classify into the segments the model was trained on', () => {
      const definition = trainedDefinition(['first', 'second', 'third'], []);
      expect(classifierFor({ kind: 'trained', definition }, SEGMENT_KEYS).segmentKeys).toEqual(['first', 'second', 'third']);
    });

    it('should give the softmax of intercept plus coefficients times features', () => {
      const definition = trainedDefinition(SEGMENT_KEYS.slice(0, 3), [{ segment: 0, feature: 'party_democratic', weight: 2 }]);
      const classifier = classifierFor({ kind: 'trained', definition }, SEGMENT_KEYS);

      // Democrat: logits (2, 0, 0).
      const democratic = Math.exp(2) / (Math.exp(2) + 2);
      const otherwise = 1 / (Math.exp(2) + 2);
      expectProbabilities(probabilitiesOf(classifier, voterWith({ party: 'democratic' })), [democratic, otherwise, otherwise]);
      // Republican: logits (0, 0, 0).
      expectProbabilities(probabilitiesOf(classifier, voterWith({ party: 'republican' })), [1 / 3, 1 / 3, 1 / 3]);
    });

    it('should add the intercepts to the logits', () => {
      const definition = trainedDefinition(SEGMENT_KEYS.slice(0, 3), [], [0, Math.log(2), 0]);
      const classifier = classifierFor({ kind: 'trained', definition }, SEGMENT_KEYS);
      expectProbabilities(probabilitiesOf(classifier, voterWith()), [0.25, 0.5, 0.25]);
    });

    it('should scale a numeric feature by its coefficient', () => {
      // Logits (0.1 · age, 0): at 40, P(first) = e^4 / (e^4 + 1).
      const definition = trainedDefinition(['first', 'second'], [{ segment: 0, feature: 'age', weight: 0.1 }]);
      const classifier = classifierFor({ kind: 'trained', definition }, SEGMENT_KEYS);
      const first = Math.exp(4) / (Math.exp(4) + 1);
      expectProbabilities(probabilitiesOf(classifier, voterWith({ age: 40 })), [first, 1 - first]);
    });

    it('should give probabilities that sum to 1', () => {
      const definition = trainedDefinition(
        SEGMENT_KEYS,
        [
          { segment: 0, feature: 'party_democratic', weight: 1.3 },
          { segment: 1, feature: 'person_of_color_democratic', weight: 2.1 },
          { segment: 2, feature: 'general_votes', weight: 0.4 },
          { segment: 3, feature: 'precinct_share_republican', weight: -0.7 },
        ],
        [0.2, -0.5, 0.1, 0],
      );
      const classifier = classifierFor({ kind: 'trained', definition }, SEGMENT_KEYS);
      for (const voter of [voterWith(), voterWith({ raceEthnicity: 'black' }), voterWith({ party: 'republican', generalVotes: 8 })]) {
        expect(sum(probabilitiesOf(classifier, voter))).toBeCloseTo(1, 12);
      }
    });

    it('should refuse a model whose feature list differs from the current one', () => {
      const definition = trainedDefinition(SEGMENT_KEYS, []);
      const missing = { ...definition, features: definition.features.slice(1) };
      const renamed = { ...definition, features: definition.features.map((feature, index) => (index === 5 ? { ...feature, name: 'party_dem' } : feature)) };
      const reordered = { ...definition, features: [definition.features[1], definition.features[0], ...definition.features.slice(2)] };
      const extra = { ...definition, features: [...definition.features, { ...definition.features[0], name: 'income' }] };
      for (const changed of [missing, renamed, reordered, extra]) {
        expect(() => classifierFor({ kind: 'trained', definition: changed }, SEGMENT_KEYS)).toThrow(
          'this model was trained on another feature set; train it again to use it',
        );
      }
    });
  });
});

describe('mostProbable', () => {
  it('should return the index of the largest probability', () => {
    expect(mostProbable(Float64Array.from([0.2, 0.5, 0.3]), 3)).toBe(1);
    expect(mostProbable(Float64Array.from([0.1, 0.2, 0.7]), 3)).toBe(2);
    expect(mostProbable(Float64Array.from([0.6, 0.3, 0.1]), 3)).toBe(0);
  });

  it('should give a tie to the earlier segment', () => {
    expect(mostProbable(Float64Array.from([0.4, 0.4, 0.2]), 3)).toBe(0);
    expect(mostProbable(Float64Array.from([0.1, 0.45, 0.45]), 3)).toBe(1);
    expect(mostProbable(Float64Array.from([0.25, 0.25, 0.25, 0.25]), 4)).toBe(0);
  });

  it('should look only at the first `segments` values', () => {
    expect(mostProbable(Float64Array.from([0.3, 0.4, 0.9]), 2)).toBe(1);
  });
});
