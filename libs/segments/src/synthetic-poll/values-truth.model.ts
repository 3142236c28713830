/**
 * The ground truth behind synthetic values polls: a stated probability that a voter belongs to
 * each values segment, given what the voter file says about them. Polls drawn from it let us
 * score a classifier against the best any classifier could do. It deliberately shares nothing
 * with the classifier (no code, no constants): a model graded against its own assumptions would
 * look better than it is.
 *
 * In plain words
 * - pro_tax_base: Democrats and Greens, more so in urban counties and in strongly Democratic
 *   precincts, older and reliable voters more than young and new ones.
 * - aspiring_poc: voters of colour, above all young ones and recent registrants, more so in
 *   precincts with many voters of colour; a voter of colour who is a Democrat leans here even
 *   more than either fact alone suggests (race × party).
 * - balanced_suburbans: unaffiliated and Republican voters in suburban counties, white, reliable,
 *   with a bump in middle age (around 50) that is stronger in the suburbs (age × urbanicity).
 * - other: everyone the three above do not pull (rural Republicans, disengaged voters, …); its
 *   score is the fixed reference 0.
 *
 * Formula
 *   P(s | voter) = exp(score_s) / Σ_t exp(score_t),  score_other = 0, and for the other three:
 *   score_s = INTERCEPT_s
 *           + PARTY_s[party] + RACE_s[race_ethnicity] + GENDER_s[gender] + PROPENSITY_s[propensity]
 *           + URBANICITY_s[urbanicity]
 *           + AGE_s(age, urbanicity) + REGISTRATION_s(years registered)
 *           + PRECINCT_s(democratic share, share of colour) + INTERACTION_s
 *   with age = referenceYear − birth_year clamped to [18, 100] and years registered =
 *   max(0, referenceYear − registration year), and
 *   pro_tax_base:        AGE = 0.02 · (age − 45)
 *                        REGISTRATION = 0
 *                        PRECINCT = 1.5 · (democratic share − 0.33)
 *                        INTERACTION = 0
 *   aspiring_poc:        AGE = 1.2 · exp(−max(0, age − 22) / 15)
 *                        REGISTRATION = 0.6 · exp(−years registered / 4)
 *                        PRECINCT = 1.5 · (share of colour − 0.30)
 *                        INTERACTION = +0.7 when the voter is of colour and a Democrat
 *   balanced_suburbans:  AGE = 1.3 · exp(−((age − 50) / 13)²) · (1.8 if suburban, else 1)
 *                        REGISTRATION = 0.015 · min(years registered, 30)
 *                        PRECINCT = 0
 *                        INTERACTION = 0 (its interaction is the suburban factor in AGE)
 *   The intercepts and the tables (PARTY, RACE, …) are the constants below.
 *
 * Definitions
 * - Urbanicity is a county's: the alliance's counties ranked by active voters (most first, ties
 *   by name); a county is urban when the counties ranked before it hold less than a third of the
 *   alliance's active voters (with a county), suburban when they hold less than two thirds, rural
 *   otherwise. So the urban counties hold the top third of voters, reaching just past it.
 * - Precinct composition is over the active voters of the same county and precinct: the
 *   democratic share is the share registered democratic; the share of colour is the share whose
 *   race/ethnicity is neither white nor unknown, among those whose race/ethnicity is known.
 * - A voter of colour is one whose race/ethnicity is known and not white.
 * - Gender comes from the raw gender code: F or FEMALE is female, M or MALE is male (any case).
 *
 * Missing attributes contribute 0, which is neutral on this scale: an unknown party, race or
 * gender, an unknown county or precinct (no urbanicity, no composition), a missing birth year (no
 * age term) and a missing registration date (no registration term). Values not in a table (say a
 * party the schema may one day allow) count as unknown.
 */
export const VALUES_SEGMENT_KEYS = ['pro_tax_base', 'aspiring_poc', 'balanced_suburbans', 'other'] as const;
export type ValuesSegmentKey = (typeof VALUES_SEGMENT_KEYS)[number];

export type Urbanicity = 'urban' | 'suburban' | 'rural';

/** What the truth model reads about one voter: the voter file's columns and their county and precinct context. */
export interface ValuesTruthVoter {
  readonly birthYear: number | null;
  /** The standard party (democratic, republican, …). */
  readonly party: string;
  /** The standard race/ethnicity (hispanic, white, black, …). */
  readonly raceEthnicity: string;
  /** The raw gender code as the file gave it. */
  readonly genderCode: string | null;
  /** new, occasional or frequent. */
  readonly propensity: string;
  readonly registrationYear: number | null;
  readonly urbanicity: Urbanicity | null;
  readonly precinctDemocraticShare: number | null;
  readonly precinctShareOfColour: number | null;
}

export interface ValuesTruthOptions {
  /** The year ages and years registered are counted to. */
  readonly referenceYear?: number;
}

export const DEFAULT_REFERENCE_YEAR = 2026;

type Table = Readonly<Record<string, number>>;

interface ScoredSegment {
  readonly intercept: number;
  readonly party: Table;
  readonly race: Table;
  readonly gender: Table;
  readonly propensity: Table;
  readonly urbanicity: Table;
}

// The intercepts set only the segments' sizes: they were tuned on 100,000 synthetic North
// Carolina voters to give about 15% / 22% / 27% / 35%. The tables and terms carry the story.
const PRO_TAX_BASE: ScoredSegment = {
  intercept: -2.0,
  party: { democratic: 1.6, green: 1.8, unaffiliated: 0.2, libertarian: -1.4, republican: -2.0 },
  race: { white: 0.3, asian: 0.3 },
  gender: { female: 0.2 },
  propensity: { frequent: 0.6, new: -0.5 },
  urbanicity: { urban: 0.8, rural: -0.7 },
};

const ASPIRING_POC: ScoredSegment = {
  intercept: -2.2,
  party: { democratic: 0.4, unaffiliated: 0.3, republican: -0.5 },
  race: {
    hispanic: 2.3,
    black: 2.1,
    asian: 1.1,
    multiracial: 1.1,
    native_american: 0.9,
    pacific_islander: 0.9,
    other: 0.7,
    white: -2.0,
  },
  gender: { female: 0.15 },
  propensity: {},
  urbanicity: { urban: 0.4, rural: -0.4 },
};

const BALANCED_SUBURBANS: ScoredSegment = {
  intercept: -2.8,
  party: { unaffiliated: 1.1, republican: 0.7, libertarian: 0.4, green: -0.5 },
  race: { white: 0.5, asian: 0.2, black: -0.3, hispanic: -0.1 },
  gender: { female: 0.2 },
  propensity: { frequent: 0.6, occasional: 0.2, new: -0.6 },
  urbanicity: { suburban: 1.4, urban: -0.4, rural: 0.1 },
};

const YOUNGEST_AGE = 18;
const OLDEST_AGE = 100;

/**
 * The true probabilities of each segment for one voter, in VALUES_SEGMENT_KEYS order. Writes into
 * `into` at `offset` when given, so a million voters need no million small arrays.
 */
export function valuesTruthProbabilities(voter: ValuesTruthVoter, options: ValuesTruthOptions = {}, into?: Float64Array, offset = 0): Float64Array {
  const referenceYear = options.referenceYear ?? DEFAULT_REFERENCE_YEAR;
  const target = into ?? new Float64Array(VALUES_SEGMENT_KEYS.length);
  const age = voter.birthYear === null ? null : Math.min(OLDEST_AGE, Math.max(YOUNGEST_AGE, referenceYear - voter.birthYear));
  const yearsRegistered = voter.registrationYear === null ? null : Math.max(0, referenceYear - voter.registrationYear);
  const gender = genderOf(voter.genderCode);
  const ofColour = isOfColour(voter.raceEthnicity);

  const proTaxBase =
    baseScore(PRO_TAX_BASE, voter, gender) +
    (age === null ? 0 : 0.02 * (age - 45)) +
    (voter.precinctDemocraticShare === null ? 0 : 1.5 * (voter.precinctDemocraticShare - 0.33));
  const aspiringPoc =
    baseScore(ASPIRING_POC, voter, gender) +
    (age === null ? 0 : 1.2 * Math.exp(-Math.max(0, age - 22) / 15)) +
    (yearsRegistered === null ? 0 : 0.6 * Math.exp(-yearsRegistered / 4)) +
    (voter.precinctShareOfColour === null ? 0 : 1.5 * (voter.precinctShareOfColour - 0.3)) +
    (ofColour && voter.party === 'democratic' ? 0.7 : 0);
  const balancedSuburbans =
    baseScore(BALANCED_SUBURBANS, voter, gender) +
    (age === null ? 0 : 1.3 * Math.exp(-(((age - 50) / 13) ** 2)) * (voter.urbanicity === 'suburban' ? 1.8 : 1)) +
    (yearsRegistered === null ? 0 : 0.015 * Math.min(yearsRegistered, 30));

  // Subtracting the largest score before exponentiating keeps the softmax finite for any scores.
  const largest = Math.max(proTaxBase, aspiringPoc, balancedSuburbans, 0);
  const proTaxBaseWeight = Math.exp(proTaxBase - largest);
  const aspiringPocWeight = Math.exp(aspiringPoc - largest);
  const balancedSuburbansWeight = Math.exp(balancedSuburbans - largest);
  const otherWeight = Math.exp(-largest);
  const total = proTaxBaseWeight + aspiringPocWeight + balancedSuburbansWeight + otherWeight;
  target[offset] = proTaxBaseWeight / total;
  target[offset + 1] = aspiringPocWeight / total;
  target[offset + 2] = balancedSuburbansWeight / total;
  target[offset + 3] = otherWeight / total;
  return target;
}

function baseScore(segment: ScoredSegment, voter: ValuesTruthVoter, gender: string | null): number {
  return (
    segment.intercept +
    lookup(segment.party, voter.party) +
    lookup(segment.race, voter.raceEthnicity) +
    (gender === null ? 0 : lookup(segment.gender, gender)) +
    lookup(segment.propensity, voter.propensity) +
    (voter.urbanicity === null ? 0 : lookup(segment.urbanicity, voter.urbanicity))
  );
}

// Own-property check: a party or race spelled like an Object.prototype member must count as unknown.
function lookup(table: Table, key: string): number {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : 0;
}

/** female, male, or null when the raw code says neither. */
export function genderOf(genderCode: string | null): 'female' | 'male' | null {
  if (genderCode === null) return null;
  const code = genderCode.trim().toUpperCase();
  if (code === 'F' || code === 'FEMALE') return 'female';
  if (code === 'M' || code === 'MALE') return 'male';
  return null;
}

/** Known and not white; an unknown race/ethnicity is not counted either way. */
export function isOfColour(raceEthnicity: string): boolean {
  return raceEthnicity !== 'white' && raceEthnicity !== 'unknown';
}
