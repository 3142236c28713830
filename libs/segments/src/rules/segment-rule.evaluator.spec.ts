import type { VoterAttributes } from '../features/voter-attributes';
import { voterAttributesFixture } from '../features/voter-attributes.fixture';
import type { RuleCondition, RuleModelDefinition } from './segment-rule';
import { firstMatchingRule } from './segment-rule.evaluator';

const voterWith = (overrides: Partial<VoterAttributes> = {}): VoterAttributes => voterAttributesFixture(overrides);

/** One rule into segment `matched` with the given conditions; voters it does not take fall back to `fallback`. */
function oneRule(...conditions: RuleCondition[]): RuleModelDefinition {
  return { rules: [{ segment: 'matched', conditions }], fallbackSegment: 'fallback' };
}

const matches = (condition: RuleCondition, voter: VoterAttributes): boolean => firstMatchingRule(oneRule(condition), voter) === 0;

describe('firstMatchingRule', () => {
  it('should return the first rule the voter meets when several match', () => {
    const definition: RuleModelDefinition = {
      rules: [
        { segment: 'young', conditions: [{ field: 'age', max: 34 }] },
        { segment: 'democrats', conditions: [{ field: 'party', values: ['democratic'] }] },
        { segment: 'everyone', conditions: [] },
      ],
      fallbackSegment: 'fallback',
    };
    expect(firstMatchingRule(definition, voterWith({ age: 25, party: 'democratic' }))).toBe(0);
    expect(firstMatchingRule(definition, voterWith({ age: 50, party: 'democratic' }))).toBe(1);
    expect(firstMatchingRule(definition, voterWith({ age: 50, party: 'republican' }))).toBe(2);
  });

  it('should let a rule earlier in the list take voters a later rule would also take', () => {
    const broadFirst: RuleModelDefinition = {
      rules: [
        { segment: 'democrats', conditions: [{ field: 'party', values: ['democratic'] }] },
        {
          segment: 'young_democrats',
          conditions: [
            { field: 'party', values: ['democratic'] },
            { field: 'age', max: 34 },
          ],
        },
      ],
      fallbackSegment: 'fallback',
    };
    const narrowFirst: RuleModelDefinition = { ...broadFirst, rules: [broadFirst.rules[1], broadFirst.rules[0]] };
    const youngDemocrat = voterWith({ age: 22, party: 'democratic' });
    expect(firstMatchingRule(broadFirst, youngDemocrat)).toBe(0);
    expect(firstMatchingRule(narrowFirst, youngDemocrat)).toBe(0);
    expect(narrowFirst.rules[firstMatchingRule(narrowFirst, youngDemocrat)].segment).toBe('young_democrats');
    expect(broadFirst.rules[firstMatchingRule(broadFirst, youngDemocrat)].segment).toBe('democrats');
  });

  it('should match every voter with a rule that has no conditions, even one with no age or registration date', () => {
    expect(firstMatchingRule(oneRule(), voterWith())).toBe(0);
    expect(firstMatchingRule(oneRule(), voterWith({ age: null, registeredYears: null, county: null, party: 'unknown' }))).toBe(0);
  });

  it('should return -1 when no rule matches, so the fallback applies', () => {
    expect(firstMatchingRule(oneRule({ field: 'party', values: ['green'] }), voterWith({ party: 'democratic' }))).toBe(-1);
    expect(firstMatchingRule({ rules: [], fallbackSegment: 'fallback' }, voterWith())).toBe(-1);
  });

  it('should require every condition of a rule to hold', () => {
    const definition = oneRule({ field: 'party', values: ['democratic'] }, { field: 'urbanicity', values: ['rural'] });
    expect(firstMatchingRule(definition, voterWith({ party: 'democratic', urbanicity: 'rural' }))).toBe(0);
    expect(firstMatchingRule(definition, voterWith({ party: 'democratic', urbanicity: 'urban' }))).toBe(-1);
    expect(firstMatchingRule(definition, voterWith({ party: 'republican', urbanicity: 'rural' }))).toBe(-1);
  });

  it('should never let an unknown age satisfy an age condition', () => {
    const unknownAge = voterWith({ age: null });
    expect(matches({ field: 'age', min: 0 }, unknownAge)).toBe(false);
    expect(matches({ field: 'age', max: 130 }, unknownAge)).toBe(false);
    expect(matches({ field: 'age', min: 0, max: 130 }, unknownAge)).toBe(false);
  });

  it('should never let an unknown registration date satisfy a years-registered condition', () => {
    const unregistered = voterWith({ registeredYears: null });
    expect(matches({ field: 'registeredYears', max: 2 }, unregistered)).toBe(false);
    expect(matches({ field: 'registeredYears', min: 0 }, unregistered)).toBe(false);
  });

  it('should treat both bounds as inclusive', () => {
    const youngAdults: RuleCondition = { field: 'age', min: 18, max: 34 };
    expect(matches(youngAdults, voterWith({ age: 17 }))).toBe(false);
    expect(matches(youngAdults, voterWith({ age: 18 }))).toBe(true);
    expect(matches(youngAdults, voterWith({ age: 34 }))).toBe(true);
    expect(matches(youngAdults, voterWith({ age: 35 }))).toBe(false);
  });

  it('should leave a numeric range open where no bound is given', () => {
    expect(matches({ field: 'generalVotes', min: 3 }, voterWith({ generalVotes: 3 }))).toBe(true);
    expect(matches({ field: 'generalVotes', min: 3 }, voterWith({ generalVotes: 10 }))).toBe(true);
    expect(matches({ field: 'generalVotes', min: 3 }, voterWith({ generalVotes: 2 }))).toBe(false);
    expect(matches({ field: 'primaryVotes', max: 0 }, voterWith({ primaryVotes: 0 }))).toBe(true);
    expect(matches({ field: 'primaryVotes', max: 0 }, voterWith({ primaryVotes: 1 }))).toBe(false);
  });

  it('should count zero as a value, not as a missing one', () => {
    expect(matches({ field: 'registeredYears', max: 1 }, voterWith({ registeredYears: 0 }))).toBe(true);
    expect(matches({ field: 'age', min: 0, max: 0 }, voterWith({ age: 0 }))).toBe(true);
  });

  it('should match a categorical condition when the voter has any of its values', () => {
    const condition: RuleCondition = { field: 'raceEthnicity', values: ['black', 'hispanic'] };
    expect(matches(condition, voterWith({ raceEthnicity: 'hispanic' }))).toBe(true);
    expect(matches(condition, voterWith({ raceEthnicity: 'black' }))).toBe(true);
    expect(matches(condition, voterWith({ raceEthnicity: 'white' }))).toBe(false);
    expect(matches({ field: 'gender', values: ['unknown'] }, voterWith({ gender: 'unknown' }))).toBe(true);
    expect(matches({ field: 'propensity', values: ['new'] }, voterWith({ propensity: 'frequent' }))).toBe(false);
  });

  it('should compare counties in capitals with single spaces, however the voter file spells them', () => {
    const condition: RuleCondition = { field: 'county', values: ['NEW HANOVER'] };
    expect(matches(condition, voterWith({ county: 'NEW HANOVER' }))).toBe(true);
    expect(matches(condition, voterWith({ county: ' New   Hanover ' }))).toBe(true);
    expect(matches(condition, voterWith({ county: 'new hanover' }))).toBe(true);
    expect(matches(condition, voterWith({ county: 'HANOVER' }))).toBe(false);
  });

  it('should never let a voter without a county satisfy a county condition', () => {
    expect(matches({ field: 'county', values: ['WAKE'] }, voterWith({ county: null }))).toBe(false);
  });
});
