import { genderOf, isOfColour, VALUES_SEGMENT_KEYS, type ValuesSegmentKey, valuesTruthProbabilities, type ValuesTruthVoter } from './values-truth.model';

const UNKNOWN_VOTER: ValuesTruthVoter = {
  birthYear: null,
  party: 'unknown',
  raceEthnicity: 'unknown',
  genderCode: null,
  propensity: 'occasional',
  registrationYear: null,
  urbanicity: null,
  precinctDemocraticShare: null,
  precinctShareOfColour: null,
};

const voter = (overrides: Partial<ValuesTruthVoter>): ValuesTruthVoter => ({ ...UNKNOWN_VOTER, ...overrides });

const probability = (attributes: ValuesTruthVoter, segment: ValuesSegmentKey, referenceYear = 2026): number =>
  valuesTruthProbabilities(attributes, { referenceYear })[VALUES_SEGMENT_KEYS.indexOf(segment)];

/** score_s itself: the model fixes score_other at 0, so log(P(s) / P(other)) is the segment's score. */
const score = (attributes: ValuesTruthVoter, segment: ValuesSegmentKey, referenceYear = 2026): number =>
  Math.log(probability(attributes, segment, referenceYear) / probability(attributes, 'other', referenceYear));

const mostLikely = (attributes: ValuesTruthVoter): ValuesSegmentKey => {
  const probabilities = valuesTruthProbabilities(attributes);
  let best = 0;
  for (let segment = 1; segment < probabilities.length; segment += 1) if (probabilities[segment] > probabilities[best]) best = segment;
  return VALUES_SEGMENT_KEYS[best];
};

const OLDER_SUBURBAN_REPUBLICAN = voter({
  birthYear: 1974,
  party: 'republican',
  raceEthnicity: 'white',
  genderCode: 'F',
  propensity: 'frequent',
  registrationYear: 1998,
  urbanicity: 'suburban',
  precinctDemocraticShare: 0.3,
  precinctShareOfColour: 0.2,
});
const YOUNG_HISPANIC_DEMOCRAT = voter({
  birthYear: 2004,
  party: 'democratic',
  raceEthnicity: 'hispanic',
  genderCode: 'M',
  propensity: 'new',
  registrationYear: 2024,
  urbanicity: 'urban',
  precinctDemocraticShare: 0.5,
  precinctShareOfColour: 0.6,
});

describe('valuesTruthProbabilities', () => {
  it('should give probabilities between 0 and 1 that sum to 1 for every mix of attributes', () => {
    const parties = ['democratic', 'republican', 'unaffiliated', 'libertarian', 'green', 'other', 'unknown'];
    const races = ['hispanic', 'white', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other', 'unknown'];
    const broken: string[] = [];
    let checked = 0;
    for (const party of parties)
      for (const raceEthnicity of races)
        for (const birthYear of [null, 1900, 1950, 1976, 2000, 2030])
          for (const urbanicity of [null, 'urban', 'suburban', 'rural'] as const)
            for (const propensity of ['new', 'occasional', 'frequent'])
              for (const share of [null, 0, 1]) {
                const probabilities = valuesTruthProbabilities(
                  voter({
                    party,
                    raceEthnicity,
                    birthYear,
                    urbanicity,
                    propensity,
                    registrationYear: 2010,
                    precinctDemocraticShare: share,
                    precinctShareOfColour: share,
                  }),
                );
                const total = probabilities.reduce((sum, value) => sum + value, 0);
                const inRange = probabilities.every((value) => value > 0 && value < 1);
                if (probabilities.length !== 4 || !inRange || Math.abs(total - 1) > 1e-12)
                  broken.push(`${party} ${raceEthnicity} ${birthYear} ${urbanicity} ${propensity} ${share}: ${Array.from(probabilities).join(' ')}`);
                checked += 1;
              }
    expect(broken).toEqual([]);
    expect(checked).toBe(7 * 9 * 6 * 4 * 3 * 3);
  });

  it('should give the same probabilities every time for the same voter', () => {
    const first = valuesTruthProbabilities(YOUNG_HISPANIC_DEMOCRAT, { referenceYear: 2030 });
    const again = valuesTruthProbabilities({ ...YOUNG_HISPANIC_DEMOCRAT }, { referenceYear: 2030 });
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('should write into the given array at the given offset when one is passed', () => {
    const into = new Float64Array(12).fill(-1);
    const returned = valuesTruthProbabilities(YOUNG_HISPANIC_DEMOCRAT, {}, into, 4);
    expect(returned).toBe(into);
    expect(Array.from(into.subarray(0, 4))).toEqual([-1, -1, -1, -1]);
    expect(Array.from(into.subarray(8))).toEqual([-1, -1, -1, -1]);
    expect(Array.from(into.subarray(4, 8))).toEqual(Array.from(valuesTruthProbabilities(YOUNG_HISPANIC_DEMOCRAT)));
  });

  it('should make an older, reliable, white suburban Republican more likely balanced_suburbans than a young Hispanic Democrat', () => {
    expect(probability(OLDER_SUBURBAN_REPUBLICAN, 'balanced_suburbans')).toBeGreaterThan(probability(YOUNG_HISPANIC_DEMOCRAT, 'balanced_suburbans') + 0.3);
    expect(mostLikely(OLDER_SUBURBAN_REPUBLICAN)).toBe('balanced_suburbans');
  });

  it('should make a young Black or Hispanic Democrat most likely aspiring_poc', () => {
    expect(mostLikely(YOUNG_HISPANIC_DEMOCRAT)).toBe('aspiring_poc');
    expect(mostLikely({ ...YOUNG_HISPANIC_DEMOCRAT, raceEthnicity: 'black', urbanicity: 'rural', precinctShareOfColour: 0.2 })).toBe('aspiring_poc');
    expect(probability(YOUNG_HISPANIC_DEMOCRAT, 'aspiring_poc')).toBeGreaterThan(0.5);
  });

  it('should make an older, reliable, white urban Democrat in a Democratic precinct most likely pro_tax_base', () => {
    const urbanDemocrat = voter({
      birthYear: 1956,
      party: 'democratic',
      raceEthnicity: 'white',
      propensity: 'frequent',
      registrationYear: 1980,
      urbanicity: 'urban',
      precinctDemocraticShare: 0.7,
      precinctShareOfColour: 0.2,
    });
    expect(mostLikely(urbanDemocrat)).toBe('pro_tax_base');
    expect(score(urbanDemocrat, 'pro_tax_base')).toBeGreaterThan(score({ ...urbanDemocrat, urbanicity: 'rural' }, 'pro_tax_base'));
    expect(score(urbanDemocrat, 'pro_tax_base')).toBeGreaterThan(score({ ...urbanDemocrat, precinctDemocraticShare: 0.2 }, 'pro_tax_base'));
  });

  it('should make a rural Republican man who votes now and then most likely other', () => {
    expect(
      mostLikely(voter({ birthYear: 1990, party: 'republican', raceEthnicity: 'white', genderCode: 'M', urbanicity: 'rural', registrationYear: 2012 })),
    ).toBe('other');
  });

  it('should raise balanced_suburbans in middle age, not at the young or old ends, and more so in the suburbs', () => {
    const at = (age: number, urbanicity: 'suburban' | 'rural') => score(voter({ birthYear: 2026 - age, urbanicity }), 'balanced_suburbans');
    expect(at(50, 'rural')).toBeGreaterThan(at(25, 'rural') + 1);
    expect(at(50, 'rural')).toBeGreaterThan(at(80, 'rural') + 1);
    // age × urbanicity: the middle-age bump itself is larger in the suburbs (documented factor 1.8)
    const suburbanBump = at(50, 'suburban') - at(25, 'suburban');
    const ruralBump = at(50, 'rural') - at(25, 'rural');
    expect(suburbanBump / ruralBump).toBeCloseTo(1.8, 6);
  });

  it('should lean a Democrat of colour further toward aspiring_poc than party and race alone add up to', () => {
    const difference = (raceEthnicity: string) =>
      score(voter({ raceEthnicity, party: 'democratic' }), 'aspiring_poc') - score(voter({ raceEthnicity, party: 'unaffiliated' }), 'aspiring_poc');
    // race × party: the documented +0.7 applies to voters of colour only
    expect(difference('black') - difference('white')).toBeCloseTo(0.7, 10);
    expect(difference('unknown')).toBeCloseTo(difference('white'), 10);
  });

  it('should make recent registrants and young voters more likely aspiring_poc than long-registered older ones', () => {
    const base = voter({ raceEthnicity: 'black', party: 'democratic' });
    expect(score({ ...base, registrationYear: 2025 }, 'aspiring_poc')).toBeGreaterThan(score({ ...base, registrationYear: 1995 }, 'aspiring_poc') + 0.4);
    expect(score({ ...base, birthYear: 2004 }, 'aspiring_poc')).toBeGreaterThan(score({ ...base, birthYear: 1950 }, 'aspiring_poc') + 0.9);
    expect(score({ ...base, precinctShareOfColour: 0.9 }, 'aspiring_poc')).toBeGreaterThan(score({ ...base, precinctShareOfColour: 0.1 }, 'aspiring_poc'));
  });

  it('should count ages and years registered to the reference year', () => {
    const young = voter({ birthYear: 2000, registrationYear: 2020, raceEthnicity: 'black' });
    expect(score(young, 'aspiring_poc', 2060)).toBeLessThan(score(young, 'aspiring_poc', 2026) - 0.5);
    expect(Array.from(valuesTruthProbabilities(young, { referenceYear: 2026 }))).toEqual(Array.from(valuesTruthProbabilities(young)));
  });

  it('should treat unknown and unlisted values as contributing nothing', () => {
    for (const segment of VALUES_SEGMENT_KEYS) {
      // 'constructor' is an Object.prototype member: it must not leak a function into the sum
      expect(score(voter({ party: 'constructor', raceEthnicity: 'toString' }), segment)).toBeCloseTo(score(UNKNOWN_VOTER, segment), 12);
      expect(score(voter({ genderCode: 'X' }), segment)).toBeCloseTo(score(UNKNOWN_VOTER, segment), 12);
      expect(score(voter({ genderCode: 'U' }), segment)).toBeCloseTo(score(UNKNOWN_VOTER, segment), 12);
    }
    expect(score(voter({ genderCode: 'F' }), 'balanced_suburbans')).not.toBeCloseTo(score(UNKNOWN_VOTER, 'balanced_suburbans'), 3);
  });
});

describe('genderOf and isOfColour', () => {
  it('should read raw gender codes in any case and spacing', () => {
    expect(['F', 'f', ' female ', 'FEMALE'].map(genderOf)).toEqual(['female', 'female', 'female', 'female']);
    expect(['M', 'male'].map(genderOf)).toEqual(['male', 'male']);
    expect([null, 'U', 'X', ''].map(genderOf)).toEqual([null, null, null, null]);
  });

  it('should count every known race/ethnicity but white as of colour', () => {
    expect(['hispanic', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other'].every(isOfColour)).toBe(true);
    expect(isOfColour('white')).toBe(false);
    expect(isOfColour('unknown')).toBe(false);
  });
});
