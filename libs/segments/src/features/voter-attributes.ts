export const URBANICITIES = ['urban', 'suburban', 'rural'] as const;
export type Urbanicity = (typeof URBANICITIES)[number];
export const GENDERS = ['female', 'male', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/** The make-up of the voter's precinct (its active voters), as shares between 0 and 1. */
export interface PrecinctShares {
  readonly democratic: number;
  readonly republican: number;
  readonly unaffiliated: number;
  readonly age18To34: number;
  readonly age65Plus: number;
  readonly white: number;
  readonly black: number;
  readonly hispanic: number;
  readonly asian: number;
  readonly newVoters: number;
  readonly frequentVoters: number;
}

export const PRECINCT_SHARE_KEYS: ReadonlyArray<keyof PrecinctShares> = [
  'democratic',
  'republican',
  'unaffiliated',
  'age18To34',
  'age65Plus',
  'white',
  'black',
  'hispanic',
  'asian',
  'newVoters',
  'frequentVoters',
];

/**
 * Everything rules and trained models may look at for one voter, read in one query: the voter's
 * own record, their vote history in the last eight years, their county's urbanicity (the counties
 * holding the first third of the alliance's active voters, largest first, are urban; the next
 * third suburban; the rest rural) and their precinct's make-up.
 */
export interface VoterAttributes {
  readonly voterId: string;
  readonly age: number | null;
  readonly party: string;
  readonly raceEthnicity: string;
  readonly gender: Gender;
  readonly propensity: string;
  readonly county: string | null;
  readonly precinct: string | null;
  readonly urbanicity: Urbanicity;
  /** Whole years since registration; null when the file has no registration date. */
  readonly registeredYears: number | null;
  /** General elections voted in, of the last eight years'. */
  readonly generalVotes: number;
  readonly primaryVotes: number;
  readonly precinctVoters: number;
  readonly precinctShares: PrecinctShares;
}
