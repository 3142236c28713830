import type { VoterAttributes } from '../features/voter-attributes';
import { countyName } from './segment-rule.parser';
import { isNumericCondition, type RuleCondition, type RuleModelDefinition } from './segment-rule';

/** The index of the first rule the voter meets, or -1 when the fallback segment applies. */
export function firstMatchingRule(definition: RuleModelDefinition, voter: VoterAttributes): number {
  return definition.rules.findIndex((rule) => rule.conditions.every((condition) => meets(condition, voter)));
}

function meets(condition: RuleCondition, voter: VoterAttributes): boolean {
  if (isNumericCondition(condition)) {
    const value = voter[condition.field];
    if (value === null) return false;
    return (condition.min === undefined || value >= condition.min) && (condition.max === undefined || value <= condition.max);
  }
  if (condition.field === 'county') return voter.county !== null && condition.values.includes(countyName(voter.county));
  return condition.values.includes(voter[condition.field]);
}
