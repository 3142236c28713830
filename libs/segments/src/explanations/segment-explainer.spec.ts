import type { VoterAttributes } from '../features/voter-attributes';
import { voterAttributesFixture } from '../features/voter-attributes.fixture';
import { VOTER_FEATURES } from '../features/voter-feature.encoder';
import type { SegmentModelDefinition, SegmentModelKind, SegmentModelRecord, TrainedModelDefinition } from '../models/segment-model';
import type { RuleModelDefinition } from '../rules/segment-rule';
import { DEFAULT_TAXONOMY } from '../taxonomy/default-taxonomy.constant';
import { explainModel, explainVoter } from './segment-explainer';

const SEGMENT_KEYS = DEFAULT_TAXONOMY.segments.map((segment) => segment.key);
const [PRO_TAX_BASE, ASPIRING_POC, BALANCED_SUBURBANS, OTHER] = [0, 1, 2, 3];

const voterWith = (overrides: Partial<VoterAttributes> = {}): VoterAttributes => voterAttributesFixture({ urbanicity: 'suburban', ...overrides });

function modelRecord(kind: SegmentModelKind, definition: SegmentModelDefinition): SegmentModelRecord {
  return {
    id: 'd7b1c1f6-3a44-4d5e-9f1e-0c2b4a7e9d10',
    allianceId: '8a6e0804-2bd0-4672-b79d-d4f5c7a0d1c1',
    taxonomyId: '2f0e8c55-7d1b-4d3e-8a62-5c9b1e4f7a21',
    version: 3,
    name: 'Spring poll',
    kind,
    status: 'ready',
    definition,
    trainingOptions: {},
    evaluation: null,
    poll: null,
    trainingSeconds: kind === 'trained' ? 12 : null,
    errorMessage: null,
    active: true,
    createdByUserId: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    trainedAt: kind === 'trained' ? new Date('2026-01-01T00:01:00Z') : null,
  };
}

interface FeatureSetting {
  /** The weight on the feature of each segment, in SEGMENT_KEYS order. */
  readonly weights: readonly number[];
  readonly mean: number;
  readonly standardDeviation: number;
}

/** A trained model over the current features: every weight 0, mean 0 and standard deviation 1 except where set. */
function trainedModel(settings: Readonly<Record<string, FeatureSetting>>): SegmentModelRecord {
  const definition: TrainedModelDefinition = {
    featureSetVersion: 1,
    features: VOTER_FEATURES.map((feature) => ({
      name: feature.name,
      label: feature.label,
      group: feature.group,
      mean: settings[feature.name]?.mean ?? 0,
      standardDeviation: settings[feature.name]?.standardDeviation ?? 1,
    })),
    segments: SEGMENT_KEYS,
    coefficients: SEGMENT_KEYS.map((_, segment) => VOTER_FEATURES.map((feature) => settings[feature.name]?.weights[segment] ?? 0)),
    intercepts: SEGMENT_KEYS.map(() => 0),
    l2: 0.01,
    asOf: '2026-01-01',
  };
  for (const name of Object.keys(settings)) if (!VOTER_FEATURES.some((feature) => feature.name === name)) throw new Error(`no feature ${name}`);
  return modelRecord('trained', definition);
}

/**
 * Party dominates: weights (2, 1, −1, 0) on party_democratic average 0.5, so relative to the average
 * segment they are (1.5, 0.5, −1.5, −0.5). Suburban counties lean a little to the pro-tax base: (0.6, 0, 0, 0)
 * averages 0.15, so (0.45, −0.15, −0.15, −0.15). Gender barely matters: (0.04, 0, 0, 0) → (0.03, −0.01, −0.01, −0.01).
 */
const PARTY_DOMINATED = trainedModel({
  party_democratic: { weights: [2, 1, -1, 0], mean: 0.4, standardDeviation: 0.49 },
  urbanicity_suburban: { weights: [0.6, 0, 0, 0], mean: 0.5, standardDeviation: 0.5 },
  gender_female: { weights: [0.04, 0, 0, 0], mean: 0.5, standardDeviation: 0.5 },
});

const RULES: RuleModelDefinition = {
  rules: [
    { segment: 'aspiring_poc', conditions: [{ field: 'raceEthnicity', values: ['black', 'hispanic'] }] },
    {
      segment: 'balanced_suburbans',
      conditions: [
        { field: 'age', min: 35, max: 64 },
        { field: 'urbanicity', values: ['suburban'] },
      ],
    },
  ],
  fallbackSegment: 'other',
};

describe('explainVoter', () => {
  describe('for a trained model', () => {
    it('should open with the dominant attribute pushing toward the segment it favours', () => {
      const explanation = explainVoter(PARTY_DOMINATED, DEFAULT_TAXONOMY, voterWith({ party: 'democratic', urbanicity: 'suburban' }), 'pro_tax_base');
      // Party: (1 − 0.4) × 1.5 = 0.9; urbanicity: (1 − 0.5) × 0.45 = 0.225; gender: (1 − 0.5) × 0.03 = 0.015, too small to mention.
      expect(explanation.kind).toBe('trained');
      expect(explanation.ruleIndex).toBeNull();
      expect(explanation.sentences).toEqual([
        'Being a registered Democrat pushed toward Pro-Tax & Fiscal Base (+0.90).',
        'Being in a suburban county pushed toward Pro-Tax & Fiscal Base (+0.23).',
      ]);
    });

    it('should list contributions per attribute, largest first, with their signs', () => {
      const explanation = explainVoter(PARTY_DOMINATED, DEFAULT_TAXONOMY, voterWith({ party: 'democratic', urbanicity: 'suburban' }), 'pro_tax_base');
      expect(explanation.contributions.slice(0, 3)).toEqual([
        { group: 'party', description: 'a registered Democrat', effect: 0.9 },
        { group: 'urbanicity', description: 'in a suburban county', effect: 0.225 },
        { group: 'gender', description: 'female', effect: 0.015 },
      ]);
      expect(explanation.contributions.slice(3).every((each) => each.effect === 0)).toBe(true);
      expect(new Set(explanation.contributions.map((each) => each.group)).size).toBe(explanation.contributions.length);
    });

    it('should say the dominant attribute pulled away when the voter lacks it', () => {
      const explanation = explainVoter(PARTY_DOMINATED, DEFAULT_TAXONOMY, voterWith({ party: 'republican', urbanicity: 'rural' }), 'pro_tax_base');
      // Party: (0 − 0.4) × 1.5 = −0.6; urbanicity: (0 − 0.5) × 0.45 = −0.225.
      expect(explanation.sentences).toEqual([
        'Being a registered Republican pulled away from Pro-Tax & Fiscal Base (-0.60).',
        'Being in a rural county pulled away from Pro-Tax & Fiscal Base (-0.23).',
      ]);
      expect(explanation.contributions[0]).toEqual({ group: 'party', description: 'a registered Republican', effect: -0.6 });
    });

    it('should measure against the average segment, so the same attribute can pull away from another segment', () => {
      const explanation = explainVoter(PARTY_DOMINATED, DEFAULT_TAXONOMY, voterWith({ party: 'democratic', urbanicity: 'suburban' }), 'balanced_suburbans');
      // Party: (1 − 0.4) × −1.5 = −0.9; urbanicity: (1 − 0.5) × −0.15 = −0.075.
      expect(explanation.sentences[0]).toBe('Being a registered Democrat pulled away from Balanced Suburbans (-0.90).');
      expect(explanation.contributions[0]).toEqual({ group: 'party', description: 'a registered Democrat', effect: -0.9 });
      expect(explanation.contributions[1]).toEqual({ group: 'urbanicity', description: 'in a suburban county', effect: -0.075 });
    });

    it('should name reasons toward the segment before reasons away from it', () => {
      const explanation = explainVoter(PARTY_DOMINATED, DEFAULT_TAXONOMY, voterWith({ party: 'democratic', urbanicity: 'rural' }), 'pro_tax_base');
      // Party: +0.9; urbanicity: (0 − 0.5) × 0.45 = −0.225.
      expect(explanation.sentences).toEqual([
        'Being a registered Democrat pushed toward Pro-Tax & Fiscal Base (+0.90).',
        'Being in a rural county pulled away from Pro-Tax & Fiscal Base (-0.23).',
      ]);
    });

    it('should give at most four reasons toward the segment and two away from it', () => {
      const favoursFirst = (weight: number): FeatureSetting => ({ weights: [weight, 0, 0, 0], mean: 0, standardDeviation: 1 });
      const model = trainedModel({
        party_democratic: favoursFirst(4),
        urbanicity_suburban: favoursFirst(3.6),
        gender_female: favoursFirst(3.2),
        propensity_frequent: favoursFirst(2.8),
        race_black: favoursFirst(2.4),
        primary_votes: favoursFirst(-0.8),
        general_votes: favoursFirst(-0.4),
        registered_years: favoursFirst(-0.04),
      });
      const voter = voterWith({
        party: 'democratic',
        urbanicity: 'suburban',
        gender: 'female',
        propensity: 'frequent',
        raceEthnicity: 'black',
        primaryVotes: 2,
      });
      const explanation = explainVoter(model, DEFAULT_TAXONOMY, voter, 'pro_tax_base');
      // Relative weights are 3/4 of each weight; primaries −0.6 × 2 = −1.2, general −0.3 × 3 = −0.9, registration −0.03 × 10 = −0.3.
      expect(explanation.sentences).toEqual([
        'Being a registered Democrat pushed toward Pro-Tax & Fiscal Base (+3.00).',
        'Being in a suburban county pushed toward Pro-Tax & Fiscal Base (+2.70).',
        'Being female pushed toward Pro-Tax & Fiscal Base (+2.40).',
        'Being a frequent voter pushed toward Pro-Tax & Fiscal Base (+2.10).',
        'Being a voter in 3 general and 2 primary election(s) of the last eight years pulled away from Pro-Tax & Fiscal Base (-2.10).',
        'Being registered 10 year(s) ago pulled away from Pro-Tax & Fiscal Base (-0.30).',
      ]);
      expect(explanation.contributions.find((each) => each.group === 'race and ethnicity')).toEqual({
        group: 'race and ethnicity',
        description: 'black (race or ethnicity)',
        effect: 1.8,
      });
    });

    it('should describe an urban voter with "an", as it does a suburban or rural one with "a"', () => {
      const model = trainedModel({ urbanicity_urban: { weights: [1, 0, 0, 0], mean: 0.3, standardDeviation: 0.46 } });
      const explanation = explainVoter(model, DEFAULT_TAXONOMY, voterWith({ urbanicity: 'urban' }), 'pro_tax_base');
      // (1 − 0.3) × 0.75 = 0.525.
      expect(explanation.sentences).toEqual(['Being in an urban county pushed toward Pro-Tax & Fiscal Base (+0.53).']);
    });

    it('should say nothing stands out for a voter at the average respondent', () => {
      const model = trainedModel({ party_democratic: { weights: [2, 1, -1, 0], mean: 1, standardDeviation: 0.49 } });
      const explanation = explainVoter(model, DEFAULT_TAXONOMY, voterWith({ party: 'democratic' }), 'aspiring_poc');
      expect(explanation.sentences).toEqual([
        'Nothing stands out: this voter is close to the average respondent, and Aspiring People of Color is the most common call for them.',
      ]);
      expect(explanation.contributions.every((each) => each.effect === 0)).toBe(true);
    });
  });

  describe('for a rule model', () => {
    const model = modelRecord('rules', RULES);

    it('should name the rule that matched, counting from 1', () => {
      const explanation = explainVoter(model, DEFAULT_TAXONOMY, voterWith({ age: 40, urbanicity: 'suburban', raceEthnicity: 'white' }), 'balanced_suburbans');
      expect(explanation).toEqual({
        kind: 'rules',
        sentences: ['Rule 2 of model 3 matched: age 35–64 and urbanicity suburban → Balanced Suburbans.'],
        contributions: [],
        ruleIndex: 1,
      });
    });

    it('should name the first rule when the voter meets more than one', () => {
      const explanation = explainVoter(model, DEFAULT_TAXONOMY, voterWith({ age: 40, urbanicity: 'suburban', raceEthnicity: 'black' }), 'aspiring_poc');
      expect(explanation.sentences).toEqual(['Rule 1 of model 3 matched: race or ethnicity black or hispanic → Aspiring People of Color.']);
      expect(explanation.ruleIndex).toBe(0);
    });

    it('should name the fallback segment when no rule matched', () => {
      const explanation = explainVoter(model, DEFAULT_TAXONOMY, voterWith({ age: 70, urbanicity: 'suburban', raceEthnicity: 'white' }), 'other');
      expect(explanation).toEqual({
        kind: 'rules',
        sentences: ['No rule of model 3 matched, so the fallback segment Everyone else applied.'],
        contributions: [],
        ruleIndex: -1,
      });
    });
  });
});

describe('explainModel', () => {
  it('should list each rule in order, then the fallback, for a rule model', () => {
    expect(explainModel(modelRecord('rules', RULES), DEFAULT_TAXONOMY)).toEqual({
      kind: 'rules',
      segments: [],
      rules: [
        '1. race or ethnicity black or hispanic → Aspiring People of Color',
        '2. age 35–64 and urbanicity suburban → Balanced Suburbans',
        'Otherwise → Everyone else',
      ],
    });
  });

  describe('for a trained model', () => {
    const explanation = explainModel(PARTY_DOMINATED, DEFAULT_TAXONOMY);

    it('should describe every segment in the model’s order', () => {
      expect(explanation.kind).toBe('trained');
      expect(explanation.rules).toEqual([]);
      expect(explanation.segments.map((each) => [each.segment, each.name])).toEqual([
        ['pro_tax_base', 'Pro-Tax & Fiscal Base'],
        ['aspiring_poc', 'Aspiring People of Color'],
        ['balanced_suburbans', 'Balanced Suburbans'],
        ['other', 'Everyone else'],
      ]);
    });

    it('should list the top positive feature first for the segment it favours, per standard deviation', () => {
      const proTaxBase = explanation.segments[PRO_TAX_BASE];
      // (w − mean w) × sd: party 1.5 × 0.49 = 0.735; suburban 0.45 × 0.5 = 0.225; female 0.03 × 0.5 = 0.015.
      expect(proTaxBase.moreLikely.map((each) => each.feature)).toEqual(['party_democratic', 'urbanicity_suburban', 'gender_female']);
      expect(proTaxBase.moreLikely[0].label).toBe('a registered Democrat');
      expect(proTaxBase.moreLikely[0].effect).toBeCloseTo(0.735, 10);
      expect(proTaxBase.moreLikely[1].effect).toBeCloseTo(0.225, 10);
      expect(proTaxBase.moreLikely[2].effect).toBeCloseTo(0.015, 10);
      expect(proTaxBase.lessLikely).toEqual([]);
      expect(proTaxBase.sentence).toBe(
        'Voters are more likely to be Pro-Tax & Fiscal Base when a registered Democrat, living in a suburban county, female; less likely when nothing in particular.',
      );
    });

    it('should list the most negative feature first among what makes a segment less likely', () => {
      const balancedSuburbans = explanation.segments[BALANCED_SUBURBANS];
      // Party −1.5 × 0.49 = −0.735; suburban −0.15 × 0.5 = −0.075; female −0.01 × 0.5 = −0.005.
      expect(balancedSuburbans.moreLikely).toEqual([]);
      expect(balancedSuburbans.lessLikely.map((each) => each.feature)).toEqual(['party_democratic', 'urbanicity_suburban', 'gender_female']);
      expect(balancedSuburbans.lessLikely[0].effect).toBeCloseTo(-0.735, 10);
      expect(balancedSuburbans.lessLikely[1].effect).toBeCloseTo(-0.075, 10);
      expect(balancedSuburbans.lessLikely[2].effect).toBeCloseTo(-0.005, 10);
      expect(balancedSuburbans.sentence).toBe(
        'Voters are more likely to be Balanced Suburbans when nothing in particular; less likely when a registered Democrat, living in a suburban county, female.',
      );
    });

    it('should weigh a feature against the average segment, not against zero', () => {
      // Aspiring: party weight 1 against an average of 0.5 → +0.5 × 0.49; "other": weight 0 → −0.5 × 0.49.
      const aspiring = explanation.segments[ASPIRING_POC];
      expect(aspiring.moreLikely).toHaveLength(1);
      expect(aspiring.moreLikely[0].feature).toBe('party_democratic');
      expect(aspiring.moreLikely[0].effect).toBeCloseTo(0.245, 10);
      const other = explanation.segments[OTHER];
      expect(other.moreLikely).toEqual([]);
      expect(other.lessLikely[0].feature).toBe('party_democratic');
      expect(other.lessLikely[0].effect).toBeCloseTo(-0.245, 10);
    });

    it('should leave out features with no effect', () => {
      const named = explanation.segments.flatMap((each) => [...each.moreLikely, ...each.lessLikely].map((effect) => effect.feature));
      expect(new Set(named)).toEqual(new Set(['party_democratic', 'urbanicity_suburban', 'gender_female']));
    });

    it('should keep the five largest effects on each side', () => {
      const favoursFirst = (weight: number): FeatureSetting => ({ weights: [weight, 0], mean: 0, standardDeviation: 1 });
      const model = trainedModel({
        party_democratic: favoursFirst(0.6),
        urbanicity_suburban: favoursFirst(1.2),
        gender_female: favoursFirst(0.2),
        propensity_frequent: favoursFirst(1),
        race_black: favoursFirst(0.8),
        age_18_24: favoursFirst(0.4),
      });
      const proTaxBase = explainModel(model, DEFAULT_TAXONOMY).segments[PRO_TAX_BASE];
      expect(proTaxBase.moreLikely.map((each) => each.feature)).toEqual([
        'urbanicity_suburban',
        'propensity_frequent',
        'race_black',
        'party_democratic',
        'age_18_24',
      ]);
      const aspiring = explainModel(model, DEFAULT_TAXONOMY).segments[ASPIRING_POC];
      expect(aspiring.lessLikely.map((each) => each.feature)).toEqual([
        'urbanicity_suburban',
        'propensity_frequent',
        'race_black',
        'party_democratic',
        'age_18_24',
      ]);
    });

    it('should scale each effect by the feature’s standard deviation', () => {
      const model = trainedModel({
        general_votes: { weights: [0.5, 0, 0, 0], mean: 3, standardDeviation: 2 },
        party_democratic: { weights: [1, 0, 0, 0], mean: 0.4, standardDeviation: 0.5 },
      });
      const proTaxBase = explainModel(model, DEFAULT_TAXONOMY).segments[PRO_TAX_BASE];
      // General votes: 0.375 × 2 = 0.75 outranks party: 0.75 × 0.5 = 0.375, though party's weight is larger.
      expect(proTaxBase.moreLikely.map((each) => [each.feature, each.effect])).toEqual([
        ['general_votes', 0.75],
        ['party_democratic', 0.375],
      ]);
    });
  });
});
