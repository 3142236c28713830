import { GENDERS, URBANICITIES, type VoterAttributes } from './voter-attributes';

/** One numeric input of a trained model, with the words an explanation uses for it. */
export interface FeatureSpecification {
  readonly name: string;
  /** How a data lead reads the feature being present or high ("a registered Democrat"). */
  readonly label: string;
  /** The attribute it comes from; an explanation sums a voter's contributions per group. */
  readonly group: FeatureGroup;
  readonly value: (voter: VoterAttributes) => number;
}

export type FeatureGroup =
  | 'age'
  | 'party'
  | 'race and ethnicity'
  | 'gender'
  | 'voting propensity'
  | 'urbanicity'
  | 'registration'
  | 'vote history'
  | 'precinct make-up'
  | 'race and party';

/** Bumped whenever the list below changes meaning; a trained model records the version it was trained on. */
export const FEATURE_SET_VERSION = 1;

const AGE_BANDS: ReadonlyArray<readonly [number, number]> = [
  [18, 24],
  [25, 34],
  [35, 44],
  [45, 54],
  [55, 64],
  [65, 74],
  [75, 200],
];
const PARTIES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['democratic', 'a registered Democrat', ['democratic']],
  ['republican', 'a registered Republican', ['republican']],
  ['unaffiliated', 'unaffiliated', ['unaffiliated']],
  ['third_party', 'in a third party', ['libertarian', 'green', 'other']],
  ['unknown', 'of unknown party', ['unknown']],
];
const RACES = ['hispanic', 'white', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other', 'unknown'];
const PEOPLE_OF_COLOUR = new Set(['hispanic', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial']);
/** When the file gives no birth year: the middle of the electorate, with a flag saying so. */
const AGE_WHEN_UNKNOWN = 50;

const ageOf = (voter: VoterAttributes): number => voter.age ?? AGE_WHEN_UNKNOWN;
const oneOf = (condition: boolean): number => (condition ? 1 : 0);

/**
 * What a trained model sees of a voter: indicators for each category (age bands as well as age
 * itself, so the model can bend with age), recent vote counts, registration recency, the
 * precinct's make-up, and race × party, which the founding alliance's typology turns on.
 */
export const VOTER_FEATURES: readonly FeatureSpecification[] = [
  { name: 'age', label: 'older (per year of age)', group: 'age', value: (voter) => ageOf(voter) },
  { name: 'age_unknown', label: 'of unknown age', group: 'age', value: (voter) => oneOf(voter.age === null) },
  ...AGE_BANDS.map(([from, to]) => ({
    name: `age_${from}_${to > 150 ? 'plus' : to}`,
    label: to > 150 ? `aged ${from} or older` : `aged ${from} to ${to}`,
    group: 'age' as const,
    value: (voter: VoterAttributes) => oneOf(voter.age !== null && voter.age >= from && voter.age <= to),
  })),
  ...PARTIES.map(([name, label, parties]) => ({
    name: `party_${name}`,
    label,
    group: 'party' as const,
    value: (voter: VoterAttributes) => oneOf(parties.includes(voter.party)),
  })),
  ...RACES.map((race) => ({
    name: `race_${race}`,
    label: race === 'unknown' ? 'of unknown race or ethnicity' : `${race.replace('_', ' ')} (race or ethnicity)`,
    group: 'race and ethnicity' as const,
    value: (voter: VoterAttributes) => oneOf(voter.raceEthnicity === race),
  })),
  ...GENDERS.map((gender) => ({
    name: `gender_${gender}`,
    label: gender === 'unknown' ? 'of unrecorded gender' : gender,
    group: 'gender' as const,
    value: (voter: VoterAttributes) => oneOf(voter.gender === gender),
  })),
  ...['new', 'occasional', 'frequent'].map((propensity) => ({
    name: `propensity_${propensity}`,
    label: `a ${propensity} voter`,
    group: 'voting propensity' as const,
    value: (voter: VoterAttributes) => oneOf(voter.propensity === propensity),
  })),
  ...URBANICITIES.map((urbanicity) => ({
    name: `urbanicity_${urbanicity}`,
    label: `living in ${urbanicity === 'urban' ? 'an' : 'a'} ${urbanicity} county`,
    group: 'urbanicity' as const,
    value: (voter: VoterAttributes) => oneOf(voter.urbanicity === urbanicity),
  })),
  {
    name: 'registered_years',
    label: 'registered longer (per year)',
    group: 'registration',
    value: (voter) => Math.min(voter.registeredYears ?? 0, 60),
  },
  { name: 'registered_recently', label: 'registered in the last two years', group: 'registration', value: (voter) => oneOf((voter.registeredYears ?? 99) < 2) },
  { name: 'registration_unknown', label: 'with no registration date on file', group: 'registration', value: (voter) => oneOf(voter.registeredYears === null) },
  { name: 'general_votes', label: 'voting in more recent general elections', group: 'vote history', value: (voter) => voter.generalVotes },
  { name: 'primary_votes', label: 'voting in more recent primaries', group: 'vote history', value: (voter) => voter.primaryVotes },
  ...(
    [
      ['democratic', 'Democrats'],
      ['republican', 'Republicans'],
      ['unaffiliated', 'unaffiliated voters'],
      ['age18To34', 'voters under 35'],
      ['age65Plus', 'voters 65 or older'],
      ['white', 'white voters'],
      ['black', 'Black voters'],
      ['hispanic', 'Hispanic voters'],
      ['asian', 'Asian voters'],
      ['newVoters', 'new voters'],
      ['frequentVoters', 'frequent voters'],
    ] as const
  ).map(([share, words]) => ({
    name: `precinct_share_${share}`,
    label: `living in a precinct with more ${words}`,
    group: 'precinct make-up' as const,
    value: (voter: VoterAttributes) => voter.precinctShares[share],
  })),
  ...(
    [
      ['democratic', 'a Democrat of color', ['democratic']],
      ['unaffiliated', 'an unaffiliated voter of color', ['unaffiliated']],
      ['republican', 'a Republican of color', ['republican']],
    ] as const
  ).map(([name, label, parties]) => ({
    name: `person_of_color_${name}`,
    label,
    group: 'race and party' as const,
    value: (voter: VoterAttributes) => oneOf(PEOPLE_OF_COLOUR.has(voter.raceEthnicity) && (parties as readonly string[]).includes(voter.party)),
  })),
];

/** Writes the voter's features into `out` from `offset` (VOTER_FEATURES.length values). */
export function encodeVoter(voter: VoterAttributes, out: Float64Array, offset: number): void {
  for (let index = 0; index < VOTER_FEATURES.length; index += 1) out[offset + index] = VOTER_FEATURES[index].value(voter);
}
