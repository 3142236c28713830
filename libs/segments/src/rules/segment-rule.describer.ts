import type { SegmentTaxonomyInput } from '../taxonomy/segment-taxonomy';
import { isNumericCondition, type RuleCondition, type SegmentRule } from './segment-rule';

const FIELD_WORDS: Readonly<Record<RuleCondition['field'], string>> = {
  age: 'age',
  registeredYears: 'years registered',
  generalVotes: 'general elections voted in (last 8 years)',
  primaryVotes: 'primaries voted in (last 8 years)',
  party: 'party',
  raceEthnicity: 'race or ethnicity',
  gender: 'gender',
  propensity: 'propensity',
  county: 'county',
  urbanicity: 'urbanicity',
};

/** "age 18–34 and party democratic or unaffiliated → Aspiring People of Color", for a data lead reading a model. */
export function describeRule(rule: SegmentRule, taxonomy: SegmentTaxonomyInput): string {
  const segment = taxonomy.segments.find((each) => each.key === rule.segment)?.name ?? rule.segment;
  const conditions = rule.conditions.map((condition) => describeCondition(condition));
  return `${conditions.length === 0 ? 'every voter' : conditions.join(' and ')} → ${segment}`;
}

function describeCondition(condition: RuleCondition): string {
  const words = FIELD_WORDS[condition.field];
  if (!isNumericCondition(condition)) return `${words} ${condition.values.map((value) => value.replace(/_/g, ' ')).join(' or ')}`;
  if (condition.min !== undefined && condition.max !== undefined) return `${words} ${condition.min}–${condition.max}`;
  return condition.min !== undefined ? `${words} at least ${condition.min}` : `${words} at most ${condition.max}`;
}
