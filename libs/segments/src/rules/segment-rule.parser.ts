import { invalidInput } from '../invalid-input.error';
import { GENDERS, URBANICITIES } from '../features/voter-attributes';
import type { SegmentTaxonomyInput } from '../taxonomy/segment-taxonomy';
import {
  CATEGORICAL_RULE_FIELDS,
  type CategoricalRuleField,
  NUMERIC_RULE_FIELDS,
  type RuleCondition,
  type RuleModelDefinition,
  type SegmentRule,
} from './segment-rule';

export const MAX_RULES = 100;
const MAX_CONDITIONS = 20;
const MAX_VALUES = 500;

/** The values the voter table allows (its CHECK constraints), so a misspelt party is refused, not silently unmatched. */
const ALLOWED_VALUES: Readonly<Record<Exclude<CategoricalRuleField, 'county'>, readonly string[]>> = {
  party: ['democratic', 'republican', 'unaffiliated', 'libertarian', 'green', 'other', 'unknown'],
  raceEthnicity: ['hispanic', 'white', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other', 'unknown'],
  gender: GENDERS,
  propensity: ['new', 'occasional', 'frequent'],
  urbanicity: URBANICITIES,
};
const NUMERIC_LIMITS = { age: [0, 130], registeredYears: [0, 130], generalVotes: [0, 10], primaryVotes: [0, 10] } as const;

/** Reads a rule list from a request body against the taxonomy it classifies into; refuses with the field named. */
export function parseRuleModel(body: unknown, taxonomy: SegmentTaxonomyInput): RuleModelDefinition {
  const input = objectAt(body, 'definition');
  const segmentKeys = taxonomy.segments.map((segment) => segment.key);
  const rulesInput = input.rules;
  if (!Array.isArray(rulesInput) || rulesInput.length > MAX_RULES) throw invalidInput('rules', `rules must be a list of at most ${MAX_RULES} rules`);
  const rules = rulesInput.map((rule, index) => parseRule(rule, `rules[${index}]`, segmentKeys));
  return { rules, fallbackSegment: segmentAt(input.fallbackSegment, 'fallbackSegment', segmentKeys) };
}

function parseRule(value: unknown, field: string, segmentKeys: readonly string[]): SegmentRule {
  const rule = objectAt(value, field);
  const conditionsInput = rule.conditions ?? [];
  if (!Array.isArray(conditionsInput) || conditionsInput.length > MAX_CONDITIONS) {
    throw invalidInput(`${field}.conditions`, `${field}.conditions must be a list of at most ${MAX_CONDITIONS} conditions`);
  }
  return {
    segment: segmentAt(rule.segment, `${field}.segment`, segmentKeys),
    conditions: conditionsInput.map((condition, index) => parseCondition(condition, `${field}.conditions[${index}]`)),
  };
}

function parseCondition(value: unknown, field: string): RuleCondition {
  const condition = objectAt(value, field);
  const name = condition.field;
  if ((NUMERIC_RULE_FIELDS as readonly unknown[]).includes(name)) {
    const numeric = name as keyof typeof NUMERIC_LIMITS;
    const [lowest, highest] = NUMERIC_LIMITS[numeric];
    const bound = (raw: unknown, which: 'min' | 'max'): number | undefined => {
      if (raw === undefined || raw === null) return undefined;
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < lowest || raw > highest) {
        throw invalidInput(`${field}.${which}`, `${field}.${which} must be a whole number from ${lowest} to ${highest}`);
      }
      return raw;
    };
    const min = bound(condition.min, 'min');
    const max = bound(condition.max, 'max');
    if (min === undefined && max === undefined) throw invalidInput(field, `${field} on ${numeric} needs min, max or both`);
    if (min !== undefined && max !== undefined && min > max) throw invalidInput(field, `${field}: min ${min} is above max ${max}`);
    return { field: numeric, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
  }
  if ((CATEGORICAL_RULE_FIELDS as readonly unknown[]).includes(name)) {
    const categorical = name as CategoricalRuleField;
    const values = condition.values;
    if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES || !values.every((each) => typeof each === 'string')) {
      throw invalidInput(`${field}.values`, `${field}.values must be a list of 1 to ${MAX_VALUES} values`);
    }
    if (categorical === 'county') {
      const counties = values.map((county) => countyName(county));
      if (counties.includes('')) throw invalidInput(`${field}.values`, `${field}.values has an empty county`);
      return { field: categorical, values: [...new Set(counties)] };
    }
    const allowed = ALLOWED_VALUES[categorical];
    for (const each of values) {
      if (!allowed.includes(each)) throw invalidInput(`${field}.values`, `${field}: "${each}" is not a ${categorical} value; use ${allowed.join(', ')}`);
    }
    return { field: categorical, values: [...new Set(values as string[])] };
  }
  throw invalidInput(
    `${field}.field`,
    `${field}.field must be one of ${[...NUMERIC_RULE_FIELDS, ...CATEGORICAL_RULE_FIELDS].join(', ')}, got ${JSON.stringify(name)}`,
  );
}

/** Counties compare as the voter file stores them: capitals, single spaces. */
export function countyName(county: string): string {
  return county
    .trim()
    .replace(/\s{2,}/g, ' ')
    .toUpperCase();
}

function segmentAt(value: unknown, field: string, segmentKeys: readonly string[]): string {
  if (typeof value !== 'string' || !segmentKeys.includes(value)) {
    throw invalidInput(field, `${field} must be one of the taxonomy's segments (${segmentKeys.join(', ')}), got ${JSON.stringify(value)}`);
  }
  return value;
}

function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidInput(field, `${field} must be an object`);
  return value as Record<string, unknown>;
}
