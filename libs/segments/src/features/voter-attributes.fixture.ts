import type { PrecinctShares, VoterAttributes } from './voter-attributes';

/** An unremarkable precinct, for tests that need one; every share differs, so a mix-up shows. */
export const PRECINCT_SHARES_FIXTURE: PrecinctShares = {
  democratic: 0.41,
  republican: 0.32,
  unaffiliated: 0.27,
  age18To34: 0.22,
  age65Plus: 0.18,
  white: 0.58,
  black: 0.21,
  hispanic: 0.12,
  asian: 0.04,
  newVoters: 0.09,
  frequentVoters: 0.47,
};

/** A 40-year-old white female Democrat in an urban county, changed where a test says. */
export function voterAttributesFixture(overrides: Partial<VoterAttributes> = {}): VoterAttributes {
  return {
    voterId: 'voter-1',
    age: 40,
    party: 'democratic',
    raceEthnicity: 'white',
    gender: 'female',
    propensity: 'occasional',
    county: 'WAKE',
    precinct: '01-07',
    urbanicity: 'urban',
    registeredYears: 10,
    generalVotes: 3,
    primaryVotes: 1,
    precinctVoters: 1200,
    precinctShares: PRECINCT_SHARES_FIXTURE,
    ...overrides,
  };
}
