/** Numeric attributes a rule can bound (inclusive); a voter with no value never matches. */
export const NUMERIC_RULE_FIELDS = ['age', 'registeredYears', 'generalVotes', 'primaryVotes'] as const;
/** Categorical attributes a rule can list values of. */
export const CATEGORICAL_RULE_FIELDS = ['party', 'raceEthnicity', 'gender', 'propensity', 'county', 'urbanicity'] as const;

export type NumericRuleField = (typeof NUMERIC_RULE_FIELDS)[number];
export type CategoricalRuleField = (typeof CATEGORICAL_RULE_FIELDS)[number];

export type RuleCondition =
  | { readonly field: NumericRuleField; readonly min?: number; readonly max?: number }
  | { readonly field: CategoricalRuleField; readonly values: readonly string[] };

/** Voters meeting every condition (an empty list: every voter) belong to `segment`, unless an earlier rule took them. */
export interface SegmentRule {
  readonly segment: string;
  readonly conditions: readonly RuleCondition[];
}

/** An ordered rule list: the first rule a voter matches decides; no match → the fallback segment. */
export interface RuleModelDefinition {
  readonly rules: readonly SegmentRule[];
  readonly fallbackSegment: string;
}

export function isNumericCondition(condition: RuleCondition): condition is Extract<RuleCondition, { field: NumericRuleField }> {
  return (NUMERIC_RULE_FIELDS as readonly string[]).includes(condition.field);
}
