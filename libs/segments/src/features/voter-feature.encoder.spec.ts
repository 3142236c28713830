import type { VoterAttributes } from './voter-attributes';
import { voterAttributesFixture } from './voter-attributes.fixture';
import { encodeVoter, VOTER_FEATURES } from './voter-feature.encoder';

const voterWith = (overrides: Partial<VoterAttributes> = {}): VoterAttributes =>
  voterAttributesFixture({ raceEthnicity: 'black', urbanicity: 'suburban', registeredYears: 12, ...overrides });

/** The voter's features by name. */
function featuresOf(voter: VoterAttributes): Map<string, number> {
  const out = new Float64Array(VOTER_FEATURES.length);
  encodeVoter(voter, out, 0);
  return new Map(VOTER_FEATURES.map((feature, index) => [feature.name, out[index]]));
}

function groupSum(features: Map<string, number>, prefix: string): number {
  let total = 0;
  for (const [name, value] of features) if (name.startsWith(prefix)) total += value;
  return total;
}

const AGE_BANDS = ['age_18_24', 'age_25_34', 'age_35_44', 'age_45_54', 'age_55_64', 'age_65_74', 'age_75_plus'];

const TYPICAL_VOTERS: VoterAttributes[] = [
  voterWith(),
  voterWith({ age: 19, party: 'unaffiliated', raceEthnicity: 'hispanic', gender: 'male', propensity: 'new', urbanicity: 'urban', registeredYears: 1 }),
  voterWith({ age: 71, party: 'republican', raceEthnicity: 'white', gender: 'unknown', propensity: 'frequent', urbanicity: 'rural', registeredYears: 45 }),
  voterWith({ age: null, party: 'green', raceEthnicity: 'unknown', registeredYears: null, county: null, precinct: null }),
  voterWith({ age: 33, party: 'unknown', raceEthnicity: 'native_american', gender: 'male', propensity: 'frequent' }),
];

describe('encodeVoter', () => {
  it('should write exactly VOTER_FEATURES.length values from the offset and nothing around them', () => {
    const offset = 3;
    const untouched = -7;
    const out = new Float64Array(offset + VOTER_FEATURES.length + 4).fill(untouched);
    const voter = voterWith();
    encodeVoter(voter, out, offset);

    expect(Array.from(out.subarray(0, offset))).toEqual([untouched, untouched, untouched]);
    expect(Array.from(out.subarray(offset + VOTER_FEATURES.length))).toEqual([untouched, untouched, untouched, untouched]);
    const written = Array.from(out.subarray(offset, offset + VOTER_FEATURES.length));
    expect(written).toEqual(VOTER_FEATURES.map((feature) => feature.value(voter)));
    expect(written).not.toContain(untouched);
  });

  it('should let voters be written as consecutive rows of one matrix', () => {
    const [first, second] = [voterWith({ party: 'democratic' }), voterWith({ party: 'republican', age: 66 })];
    const matrix = new Float64Array(VOTER_FEATURES.length * 2);
    encodeVoter(first, matrix, 0);
    encodeVoter(second, matrix, VOTER_FEATURES.length);
    const alone = new Float64Array(VOTER_FEATURES.length);
    encodeVoter(second, alone, 0);
    expect(Array.from(matrix.subarray(VOTER_FEATURES.length))).toEqual(Array.from(alone));
    expect(Array.from(matrix.subarray(0, VOTER_FEATURES.length))).not.toEqual(Array.from(alone));
  });

  it.each([
    ['party', 'party_'],
    ['race and ethnicity', 'race_'],
    ['gender', 'gender_'],
    ['voting propensity', 'propensity_'],
    ['urbanicity', 'urbanicity_'],
  ])('should set exactly one %s indicator for each typical voter', (_group, prefix) => {
    for (const voter of TYPICAL_VOTERS) expect(groupSum(featuresOf(voter), prefix)).toBe(1);
  });

  it('should set exactly one party indicator for every party the voter file allows', () => {
    for (const party of ['democratic', 'republican', 'unaffiliated', 'libertarian', 'green', 'other', 'unknown']) {
      expect(groupSum(featuresOf(voterWith({ party })), 'party_')).toBe(1);
    }
  });

  it('should put libertarian, green and other parties together as a third party', () => {
    for (const party of ['libertarian', 'green', 'other']) {
      const features = featuresOf(voterWith({ party }));
      expect(features.get('party_third_party')).toBe(1);
      expect(features.get('party_democratic')).toBe(0);
    }
    expect(featuresOf(voterWith({ party: 'democratic' })).get('party_third_party')).toBe(0);
  });

  it('should set exactly one race indicator for every race or ethnicity the voter file allows', () => {
    for (const raceEthnicity of ['hispanic', 'white', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other', 'unknown']) {
      const features = featuresOf(voterWith({ raceEthnicity }));
      expect(groupSum(features, 'race_')).toBe(1);
      expect(features.get(`race_${raceEthnicity}`)).toBe(1);
    }
  });

  it('should set the one age band holding the voter’s age, bands including both ends', () => {
    const cases: Array<[number, string]> = [
      [18, 'age_18_24'],
      [24, 'age_18_24'],
      [25, 'age_25_34'],
      [44, 'age_35_44'],
      [45, 'age_45_54'],
      [64, 'age_55_64'],
      [74, 'age_65_74'],
      [75, 'age_75_plus'],
      [103, 'age_75_plus'],
    ];
    for (const [age, band] of cases) {
      const features = featuresOf(voterWith({ age }));
      expect(AGE_BANDS.filter((name) => features.get(name) === 1)).toEqual([band]);
      expect(features.get('age')).toBe(age);
      expect(features.get('age_unknown')).toBe(0);
    }
  });

  it('should flag an unknown age and set no age band', () => {
    const features = featuresOf(voterWith({ age: null }));
    expect(features.get('age_unknown')).toBe(1);
    expect(AGE_BANDS.map((name) => features.get(name))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // The middle of the electorate stands in for the missing age.
    expect(features.get('age')).toBe(50);
  });

  it('should flag a missing registration date without counting it as recent', () => {
    const features = featuresOf(voterWith({ registeredYears: null }));
    expect(features.get('registration_unknown')).toBe(1);
    expect(features.get('registered_recently')).toBe(0);
    expect(features.get('registered_years')).toBe(0);
  });

  it('should count registration years, capped at 60, and call under two years recent', () => {
    expect(featuresOf(voterWith({ registeredYears: 0 })).get('registered_recently')).toBe(1);
    expect(featuresOf(voterWith({ registeredYears: 1 })).get('registered_recently')).toBe(1);
    expect(featuresOf(voterWith({ registeredYears: 2 })).get('registered_recently')).toBe(0);
    expect(featuresOf(voterWith({ registeredYears: 12 })).get('registered_years')).toBe(12);
    expect(featuresOf(voterWith({ registeredYears: 75 })).get('registered_years')).toBe(60);
    expect(featuresOf(voterWith({ registeredYears: 12 })).get('registration_unknown')).toBe(0);
  });

  it('should copy vote counts and precinct shares', () => {
    const features = featuresOf(voterWith({ generalVotes: 4, primaryVotes: 2 }));
    expect(features.get('general_votes')).toBe(4);
    expect(features.get('primary_votes')).toBe(2);
    expect(features.get('precinct_share_democratic')).toBe(0.41);
    expect(features.get('precinct_share_age65Plus')).toBe(0.18);
    expect(features.get('precinct_share_frequentVoters')).toBe(0.47);
  });

  it('should mark a person of colour by party, and never a white or unknown-race voter', () => {
    const blackDemocrat = featuresOf(voterWith({ raceEthnicity: 'black', party: 'democratic' }));
    expect(blackDemocrat.get('person_of_color_democratic')).toBe(1);
    expect(blackDemocrat.get('person_of_color_republican')).toBe(0);
    expect(featuresOf(voterWith({ raceEthnicity: 'asian', party: 'unaffiliated' })).get('person_of_color_unaffiliated')).toBe(1);
    expect(featuresOf(voterWith({ raceEthnicity: 'white', party: 'democratic' })).get('person_of_color_democratic')).toBe(0);
    expect(featuresOf(voterWith({ raceEthnicity: 'unknown', party: 'democratic' })).get('person_of_color_democratic')).toBe(0);
    expect(groupSum(featuresOf(voterWith({ raceEthnicity: 'hispanic', party: 'green' })), 'person_of_color_')).toBe(0);
  });
});

describe('VOTER_FEATURES', () => {
  it('should give every feature a unique name and a label', () => {
    const names = VOTER_FEATURES.map((feature) => feature.name);
    expect(new Set(names).size).toBe(names.length);
    for (const feature of VOTER_FEATURES) expect(feature.label.trim()).not.toBe('');
  });

  it('should label the urbanicity indicators in plain English', () => {
    const labels = VOTER_FEATURES.filter((feature) => feature.group === 'urbanicity').map((feature) => feature.label);
    expect(labels).toEqual(['living in an urban county', 'living in a suburban county', 'living in a rural county']);
  });

  it('should give every feature a finite value for a voter with nothing but the required attributes known', () => {
    const voter = voterWith({ age: null, registeredYears: null, county: null, precinct: null, party: 'unknown', raceEthnicity: 'unknown', gender: 'unknown' });
    for (const feature of VOTER_FEATURES) expect(Number.isFinite(feature.value(voter))).toBe(true);
  });
});
