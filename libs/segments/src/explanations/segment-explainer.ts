import { encodeVoter, type FeatureGroup, VOTER_FEATURES } from '../features/voter-feature.encoder';
import type { VoterAttributes } from '../features/voter-attributes';
import type { SegmentModelRecord, TrainedModelDefinition } from '../models/segment-model';
import { describeRule } from '../rules/segment-rule.describer';
import { firstMatchingRule } from '../rules/segment-rule.evaluator';
import type { RuleModelDefinition } from '../rules/segment-rule';
import type { SegmentTaxonomyInput } from '../taxonomy/segment-taxonomy';
import type { ModelExplanation, SegmentWeights, VoterContribution, VoterExplanation } from './segment-explanation';

const PARTY_WORDS: Readonly<Record<string, string>> = {
  democratic: 'a registered Democrat',
  republican: 'a registered Republican',
  unaffiliated: 'unaffiliated',
  libertarian: 'a registered Libertarian',
  green: 'a registered Green',
  other: 'registered with a smaller party',
  unknown: 'of unknown party',
};
const TOP_REASONS = 4;
const TOP_WEIGHTS = 5;
/** Effects smaller than this (in log-odds) do not earn a sentence. */
const NOTABLE_EFFECT = 0.05;

/**
 * Why a voter is in their segment. For a trained model, each feature's contribution to the
 * segment's log-odds against the average of all segments, measured from the average respondent
 * ((x − mean) · (w_segment − w̄)), summed per attribute; for a rule model, the rule that decided.
 */
export function explainVoter(model: SegmentModelRecord, taxonomy: SegmentTaxonomyInput, voter: VoterAttributes, segmentKey: string): VoterExplanation {
  const segmentName = nameOf(taxonomy, segmentKey);
  if (model.kind === 'rules') {
    const definition = model.definition as RuleModelDefinition;
    const rule = firstMatchingRule(definition, voter);
    const sentence =
      rule === -1
        ? `No rule of model ${model.version} matched, so the fallback segment ${nameOf(taxonomy, definition.fallbackSegment)} applied.`
        : `Rule ${rule + 1} of model ${model.version} matched: ${describeRule(definition.rules[rule], taxonomy)}.`;
    return { kind: 'rules', sentences: [sentence], contributions: [], ruleIndex: rule };
  }
  const definition = model.definition as TrainedModelDefinition;
  const segment = definition.segments.indexOf(segmentKey);
  // An answer can move a voter into a segment a model was not trained on (a later taxonomy's).
  if (segment === -1)
    return {
      kind: 'trained',
      sentences: [`Model ${model.version} does not know ${segmentName}: the voter's answers put them there.`],
      contributions: [],
      ruleIndex: null,
    };
  const features = new Float64Array(VOTER_FEATURES.length);
  encodeVoter(voter, features, 0);
  const byGroup = new Map<FeatureGroup, number>();
  definition.features.forEach((feature, index) => {
    const relative = relativeWeight(definition, segment, index);
    byGroup.set(feature.group, (byGroup.get(feature.group) ?? 0) + (features[index] - feature.mean) * relative);
  });
  const contributions: VoterContribution[] = [...byGroup]
    .map(([group, effect]) => ({ group, description: describeVoter(group, voter), effect: round(effect) }))
    .sort((left, right) => Math.abs(right.effect) - Math.abs(left.effect));
  const toward = contributions.filter((each) => each.effect >= NOTABLE_EFFECT).slice(0, TOP_REASONS);
  const away = contributions.filter((each) => each.effect <= -NOTABLE_EFFECT).slice(0, 2);
  const sentences = [
    ...toward.map((each) => `Being ${each.description} pushed toward ${segmentName} (+${each.effect.toFixed(2)}).`),
    ...away.map((each) => `Being ${each.description} pulled away from ${segmentName} (${each.effect.toFixed(2)}).`),
  ];
  if (sentences.length === 0)
    sentences.push(`Nothing stands out: this voter is close to the average respondent, and ${segmentName} is the most common call for them.`);
  return { kind: 'trained', sentences, contributions, ruleIndex: null };
}

/** A model's weights per segment in words: what makes a voter more, or less, likely to be in it. */
export function explainModel(model: SegmentModelRecord, taxonomy: SegmentTaxonomyInput): ModelExplanation {
  if (model.kind === 'rules') {
    const definition = model.definition as RuleModelDefinition;
    return {
      kind: 'rules',
      segments: [],
      rules: [
        ...definition.rules.map((rule, index) => `${index + 1}. ${describeRule(rule, taxonomy)}`),
        `Otherwise → ${nameOf(taxonomy, definition.fallbackSegment)}`,
      ],
    };
  }
  const definition = model.definition as TrainedModelDefinition;
  const segments: SegmentWeights[] = definition.segments.map((key, segment) => {
    // Per standard deviation of the feature, so an indicator and a share compare fairly.
    const effects = definition.features
      .map((feature, index) => ({
        feature: feature.name,
        label: feature.label,
        effect: round(relativeWeight(definition, segment, index) * feature.standardDeviation),
      }))
      .filter((each) => each.effect !== 0);
    const moreLikely = effects
      .filter((each) => each.effect > 0)
      .sort((left, right) => right.effect - left.effect)
      .slice(0, TOP_WEIGHTS);
    const lessLikely = effects
      .filter((each) => each.effect < 0)
      .sort((left, right) => left.effect - right.effect)
      .slice(0, TOP_WEIGHTS);
    const name = nameOf(taxonomy, key);
    const sentence =
      `Voters are more likely to be ${name} when ${moreLikely.map((each) => each.label).join(', ') || 'nothing in particular'}` +
      `; less likely when ${lessLikely.map((each) => each.label).join(', ') || 'nothing in particular'}.`;
    return { segment: key, name, moreLikely, lessLikely, sentence };
  });
  return { kind: 'trained', segments, rules: [] };
}

/** The segment's weight on a feature less the average weight of all segments: only differences between segments mean anything. */
function relativeWeight(definition: TrainedModelDefinition, segment: number, feature: number): number {
  let sum = 0;
  for (const row of definition.coefficients) sum += row[feature];
  return definition.coefficients[segment][feature] - sum / definition.coefficients.length;
}

function describeVoter(group: FeatureGroup, voter: VoterAttributes): string {
  switch (group) {
    case 'age':
      return voter.age === null ? 'of unknown age' : `aged ${voter.age}`;
    case 'party':
      return PARTY_WORDS[voter.party] ?? `registered ${voter.party}`;
    case 'race and ethnicity':
      return voter.raceEthnicity === 'unknown' ? 'of unrecorded race or ethnicity' : `${voter.raceEthnicity.replace(/_/g, ' ')} (race or ethnicity)`;
    case 'gender':
      return voter.gender === 'unknown' ? 'of unrecorded gender' : voter.gender;
    case 'voting propensity':
      return `a ${voter.propensity} voter`;
    case 'urbanicity':
      return `in ${voter.urbanicity === 'urban' ? 'an' : 'a'} ${voter.urbanicity} county`;
    case 'registration':
      return voter.registeredYears === null ? 'without a registration date on file' : `registered ${voter.registeredYears} year(s) ago`;
    case 'vote history':
      return `a voter in ${voter.generalVotes} general and ${voter.primaryVotes} primary election(s) of the last eight years`;
    case 'precinct make-up':
      return `from a precinct ${Math.round(voter.precinctShares.democratic * 100)}% Democratic and ${Math.round((1 - voter.precinctShares.white) * 100)}% not white`;
    case 'race and party':
      return `${voter.raceEthnicity.replace(/_/g, ' ')} and ${voter.party} together`;
  }
}

function nameOf(taxonomy: SegmentTaxonomyInput, key: string): string {
  return taxonomy.segments.find((segment) => segment.key === key)?.name ?? key;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
