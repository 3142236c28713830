import { DomainErrorCode, DomainException } from '@app/common';
import { DEFAULT_TAXONOMY } from '../taxonomy/default-taxonomy.constant';
import { countyName, MAX_RULES, parseRuleModel } from './segment-rule.parser';

function refusal(body: unknown): DomainException {
  try {
    parseRuleModel(body, DEFAULT_TAXONOMY);
  } catch (error) {
    if (error instanceof DomainException) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

function refusedField(body: unknown): unknown {
  const error = refusal(body);
  expect(error.code).toBe(DomainErrorCode.ValidationFailed);
  return error.details.field;
}

/** A valid model whose second rule holds the condition under test. */
function withCondition(condition: unknown): unknown {
  return {
    rules: [
      { segment: 'pro_tax_base', conditions: [{ field: 'party', values: ['democratic'] }] },
      { segment: 'aspiring_poc', conditions: [condition] },
    ],
    fallbackSegment: 'other',
  };
}

function parsedCondition(condition: unknown): unknown {
  return parseRuleModel(withCondition(condition), DEFAULT_TAXONOMY).rules[1].conditions[0];
}

describe('parseRuleModel', () => {
  describe('accepting', () => {
    it('should accept a valid rule list as it is', () => {
      const definition = {
        rules: [
          {
            segment: 'aspiring_poc',
            conditions: [
              { field: 'age', min: 18, max: 34 },
              { field: 'party', values: ['democratic', 'unaffiliated'] },
              { field: 'raceEthnicity', values: ['black', 'hispanic', 'native_american'] },
            ],
          },
          {
            segment: 'balanced_suburbans',
            conditions: [
              { field: 'urbanicity', values: ['suburban'] },
              { field: 'generalVotes', min: 3 },
              { field: 'propensity', values: ['frequent'] },
            ],
          },
          {
            segment: 'pro_tax_base',
            conditions: [
              { field: 'gender', values: ['female', 'unknown'] },
              { field: 'registeredYears', max: 10 },
            ],
          },
          { segment: 'other', conditions: [{ field: 'primaryVotes', min: 0, max: 10 }] },
        ],
        fallbackSegment: 'other',
      };
      expect(parseRuleModel(definition, DEFAULT_TAXONOMY)).toStrictEqual(definition);
    });

    it('should accept an empty rule list, which sends every voter to the fallback segment', () => {
      expect(parseRuleModel({ rules: [], fallbackSegment: 'balanced_suburbans' }, DEFAULT_TAXONOMY)).toStrictEqual({
        rules: [],
        fallbackSegment: 'balanced_suburbans',
      });
    });

    it('should read a rule without conditions as matching every voter', () => {
      const parsed = parseRuleModel({ rules: [{ segment: 'pro_tax_base' }], fallbackSegment: 'other' }, DEFAULT_TAXONOMY);
      expect(parsed.rules[0]).toStrictEqual({ segment: 'pro_tax_base', conditions: [] });
    });

    it('should keep only the bound that was given', () => {
      expect(parsedCondition({ field: 'age', min: 65 })).toStrictEqual({ field: 'age', min: 65 });
      expect(parsedCondition({ field: 'age', max: 24 })).toStrictEqual({ field: 'age', max: 24 });
      expect(parsedCondition({ field: 'age', min: null, max: 24 })).toStrictEqual({ field: 'age', max: 24 });
    });

    it('should accept a minimum equal to the maximum', () => {
      expect(parsedCondition({ field: 'generalVotes', min: 4, max: 4 })).toStrictEqual({ field: 'generalVotes', min: 4, max: 4 });
    });

    it('should accept the ends of each numeric range', () => {
      expect(parsedCondition({ field: 'age', min: 0, max: 130 })).toStrictEqual({ field: 'age', min: 0, max: 130 });
      expect(parsedCondition({ field: 'registeredYears', min: 0, max: 130 })).toStrictEqual({ field: 'registeredYears', min: 0, max: 130 });
      expect(parsedCondition({ field: 'generalVotes', min: 0, max: 10 })).toStrictEqual({ field: 'generalVotes', min: 0, max: 10 });
      expect(parsedCondition({ field: 'primaryVotes', min: 0, max: 10 })).toStrictEqual({ field: 'primaryVotes', min: 0, max: 10 });
    });

    it('should drop values given twice', () => {
      expect(parsedCondition({ field: 'party', values: ['green', 'democratic', 'green'] })).toStrictEqual({ field: 'party', values: ['green', 'democratic'] });
    });

    it('should upper-case county values, collapse runs of spaces and drop the resulting repeats', () => {
      expect(parsedCondition({ field: 'county', values: [' wake ', 'New   Hanover', 'WAKE', 'new hanover', 'Durham'] })).toStrictEqual({
        field: 'county',
        values: ['WAKE', 'NEW HANOVER', 'DURHAM'],
      });
    });

    it(`should accept exactly ${MAX_RULES} rules`, () => {
      const rules = Array.from({ length: MAX_RULES }, (_, index) => ({ segment: 'pro_tax_base', conditions: [{ field: 'age', min: index }] }));
      expect(parseRuleModel({ rules, fallbackSegment: 'other' }, DEFAULT_TAXONOMY).rules).toHaveLength(100);
    });
  });

  describe('refusing', () => {
    it('should refuse a definition that is not an object', () => {
      expect(refusedField(null)).toBe('definition');
      expect(refusedField([{ segment: 'other' }])).toBe('definition');
    });

    it('should refuse rules that are not a list', () => {
      expect(refusedField({ fallbackSegment: 'other' })).toBe('rules');
      expect(refusedField({ rules: { segment: 'other' }, fallbackSegment: 'other' })).toBe('rules');
    });

    it(`should refuse more than ${MAX_RULES} rules`, () => {
      const rules = Array.from({ length: MAX_RULES + 1 }, () => ({ segment: 'pro_tax_base', conditions: [] }));
      expect(refusedField({ rules, fallbackSegment: 'other' })).toBe('rules');
    });

    it('should refuse a rule that is not an object', () => {
      expect(refusedField({ rules: [{ segment: 'other', conditions: [] }, 'everyone'], fallbackSegment: 'other' })).toBe('rules[1]');
    });

    it('should refuse conditions that are not a list, or more than 20 of them', () => {
      expect(refusedField({ rules: [{ segment: 'other', conditions: { field: 'age', min: 18 } }], fallbackSegment: 'other' })).toBe('rules[0].conditions');
      const conditions = Array.from({ length: 21 }, () => ({ field: 'age', min: 18 }));
      expect(refusedField({ rules: [{ segment: 'other', conditions }], fallbackSegment: 'other' })).toBe('rules[0].conditions');
    });

    it('should refuse a condition that is not an object', () => {
      expect(refusedField(withCondition('age over 18'))).toBe('rules[1].conditions[0]');
    });

    it('should refuse an unknown field', () => {
      const error = refusal(withCondition({ field: 'income', min: 10 }));
      expect(error.details.field).toBe('rules[1].conditions[0].field');
      expect(error.message).toContain('"income"');
      expect(refusedField(withCondition({ min: 10 }))).toBe('rules[1].conditions[0].field');
    });

    it('should refuse a minimum above the maximum', () => {
      const error = refusal(withCondition({ field: 'age', min: 65, max: 18 }));
      expect(error.details.field).toBe('rules[1].conditions[0]');
      expect(error.message).toContain('65');
    });

    it('should refuse a bound that is not a whole number', () => {
      expect(refusedField(withCondition({ field: 'age', min: 18.5 }))).toBe('rules[1].conditions[0].min');
      expect(refusedField(withCondition({ field: 'age', min: 18, max: '34' }))).toBe('rules[1].conditions[0].max');
      expect(refusedField(withCondition({ field: 'registeredYears', max: Number.NaN }))).toBe('rules[1].conditions[0].max');
    });

    it('should refuse a bound outside the range of its field', () => {
      expect(refusedField(withCondition({ field: 'age', min: -1 }))).toBe('rules[1].conditions[0].min');
      expect(refusedField(withCondition({ field: 'age', max: 131 }))).toBe('rules[1].conditions[0].max');
      expect(refusedField(withCondition({ field: 'registeredYears', max: 131 }))).toBe('rules[1].conditions[0].max');
      expect(refusedField(withCondition({ field: 'generalVotes', min: 11 }))).toBe('rules[1].conditions[0].min');
      expect(refusedField(withCondition({ field: 'primaryVotes', max: 11 }))).toBe('rules[1].conditions[0].max');
    });

    it('should refuse a numeric condition with neither minimum nor maximum', () => {
      expect(refusedField(withCondition({ field: 'age' }))).toBe('rules[1].conditions[0]');
      expect(refusedField(withCondition({ field: 'generalVotes', min: null, max: null }))).toBe('rules[1].conditions[0]');
    });

    it('should refuse a party value the voter file does not use', () => {
      const error = refusal(withCondition({ field: 'party', values: ['democratic', 'Democratic'] }));
      expect(error.details.field).toBe('rules[1].conditions[0].values');
      expect(error.message).toContain('"Democratic"');
    });

    it('should refuse race, gender, propensity and urbanicity values the voter file does not use', () => {
      expect(refusedField(withCondition({ field: 'raceEthnicity', values: ['latino'] }))).toBe('rules[1].conditions[0].values');
      expect(refusedField(withCondition({ field: 'gender', values: ['f'] }))).toBe('rules[1].conditions[0].values');
      expect(refusedField(withCondition({ field: 'propensity', values: ['rare'] }))).toBe('rules[1].conditions[0].values');
      expect(refusedField(withCondition({ field: 'urbanicity', values: ['exurban'] }))).toBe('rules[1].conditions[0].values');
    });

    it('should refuse an empty value list', () => {
      expect(refusedField(withCondition({ field: 'party', values: [] }))).toBe('rules[1].conditions[0].values');
      expect(refusedField(withCondition({ field: 'county', values: [] }))).toBe('rules[1].conditions[0].values');
    });

    it('should refuse values that are missing, not a list, or not text', () => {
      expect(refusedField(withCondition({ field: 'party' }))).toBe('rules[1].conditions[0].values');
      expect(refusedField(withCondition({ field: 'party', values: 'democratic' }))).toBe('rules[1].conditions[0].values');
      expect(refusedField(withCondition({ field: 'county', values: ['WAKE', 27] }))).toBe('rules[1].conditions[0].values');
    });

    it('should refuse more than 500 values', () => {
      const values = Array.from({ length: 501 }, (_, index) => `COUNTY ${index}`);
      expect(refusedField(withCondition({ field: 'county', values }))).toBe('rules[1].conditions[0].values');
    });

    it('should refuse a rule segment the taxonomy does not have', () => {
      const error = refusal({ rules: [{ segment: 'swing_voters', conditions: [] }], fallbackSegment: 'other' });
      expect(error.details.field).toBe('rules[0].segment');
      expect(error.message).toContain('pro_tax_base, aspiring_poc, balanced_suburbans, other');
      expect(refusedField({ rules: [{ conditions: [] }], fallbackSegment: 'other' })).toBe('rules[0].segment');
    });

    it('should refuse a missing or unknown fallback segment', () => {
      expect(refusedField({ rules: [{ segment: 'other', conditions: [] }] })).toBe('fallbackSegment');
      expect(refusedField({ rules: [], fallbackSegment: 'Other' })).toBe('fallbackSegment');
    });
  });
});

describe('countyName', () => {
  it('should upper-case, trim and single-space a county name', () => {
    expect(countyName('  new   hanover ')).toBe('NEW HANOVER');
    expect(countyName('Wake')).toBe('WAKE');
  });
});
