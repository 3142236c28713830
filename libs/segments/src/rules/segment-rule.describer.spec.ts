import { DEFAULT_TAXONOMY } from '../taxonomy/default-taxonomy.constant';
import type { RuleCondition } from './segment-rule';
import { describeRule } from './segment-rule.describer';

const wordsFor = (segment: string, ...conditions: RuleCondition[]): string => describeRule({ segment, conditions }, DEFAULT_TAXONOMY);

describe('describeRule', () => {
  it('should join conditions with "and" and end with the segment name', () => {
    expect(wordsFor('aspiring_poc', { field: 'age', min: 18, max: 34 }, { field: 'party', values: ['democratic', 'unaffiliated'] })).toBe(
      'age 18–34 and party democratic or unaffiliated → Aspiring People of Color',
    );
  });

  it('should describe a rule without conditions as taking every voter', () => {
    expect(wordsFor('other')).toBe('every voter → Everyone else');
  });

  it('should word a lower bound alone as "at least" and an upper bound alone as "at most"', () => {
    expect(wordsFor('balanced_suburbans', { field: 'generalVotes', min: 3 })).toBe('general elections voted in (last 8 years) at least 3 → Balanced Suburbans');
    expect(wordsFor('pro_tax_base', { field: 'registeredYears', max: 2 })).toBe('years registered at most 2 → Pro-Tax & Fiscal Base');
  });

  it('should show a zero bound rather than treat it as missing', () => {
    expect(wordsFor('other', { field: 'primaryVotes', min: 0, max: 0 })).toBe('primaries voted in (last 8 years) 0–0 → Everyone else');
    expect(wordsFor('other', { field: 'primaryVotes', max: 0 })).toBe('primaries voted in (last 8 years) at most 0 → Everyone else');
  });

  it('should write values with spaces in place of underscores', () => {
    expect(wordsFor('aspiring_poc', { field: 'raceEthnicity', values: ['native_american', 'pacific_islander'] })).toBe(
      'race or ethnicity native american or pacific islander → Aspiring People of Color',
    );
  });

  it('should name every categorical field in words', () => {
    expect(wordsFor('other', { field: 'gender', values: ['female'] })).toBe('gender female → Everyone else');
    expect(wordsFor('other', { field: 'propensity', values: ['new', 'occasional'] })).toBe('propensity new or occasional → Everyone else');
    expect(wordsFor('other', { field: 'county', values: ['NEW HANOVER', 'WAKE'] })).toBe('county NEW HANOVER or WAKE → Everyone else');
    expect(wordsFor('other', { field: 'urbanicity', values: ['rural'] })).toBe('urbanicity rural → Everyone else');
  });

  it('should fall back to the segment key when the taxonomy does not name the segment', () => {
    expect(wordsFor('swing_voters', { field: 'age', min: 65 })).toBe('age at least 65 → swing_voters');
  });
});
