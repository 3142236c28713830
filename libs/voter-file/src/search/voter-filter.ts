import { DomainErrorCode, DomainException } from '@app/common';
import { StandardParty } from '../normalization/party.normalizer';
import { Propensity } from '../normalization/propensity.rule';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';

/**
 * Which of an alliance's voters a search or an export covers. Every criterion narrows the
 * set (they are ANDed); the values of one list criterion are alternatives (ORed). Place values
 * match the voter file exactly as imported (state files write them in capitals).
 */
export interface VoterFilter {
  readonly allianceId: string;
  readonly counties?: readonly string[];
  readonly precincts?: readonly string[];
  readonly zips?: readonly string[];
  readonly cities?: readonly string[];
  readonly parties?: readonly StandardParty[];
  /** Age is this year minus the birth year; voters whose birth year is unknown never match an age bound. */
  readonly ageMin?: number;
  readonly ageMax?: number;
  readonly propensities?: readonly Propensity[];
  readonly raceEthnicities?: readonly StandardRaceEthnicity[];
  readonly hasPhone?: boolean;
  /** Values-segment keys: the voter's segment now under the alliance's active model (none active: nobody matches). */
  readonly segments?: readonly string[];
  /** Voters a full refresh no longer found are kept but inactive; searches leave them out unless asked. */
  readonly active: boolean;
}

export type VoterFilterCriteria = Omit<VoterFilter, 'allianceId'>;

/** What a query string or command line gives: a value, repeated values, or nothing. */
export type VoterFilterInput = Readonly<Record<string, string | readonly string[] | undefined>>;

export const VOTER_FILTER_PARAMETERS = [
  'county',
  'precinct',
  'zip',
  'city',
  'party',
  'ageMin',
  'ageMax',
  'propensity',
  'raceEthnicity',
  'hasPhone',
  'segment',
  'active',
] as const;

export type VoterFilterParameter = (typeof VOTER_FILTER_PARAMETERS)[number];

export interface VoterFilterParseOptions {
  /** How messages name a parameter, so the command line can say `--age-min` where the API says `ageMin`. */
  readonly label?: (parameter: VoterFilterParameter) => string;
}

export const STANDARD_PARTIES: readonly StandardParty[] = Object.values(StandardParty);
export const PROPENSITIES: readonly Propensity[] = Object.values(Propensity);
export const STANDARD_RACE_ETHNICITIES: readonly StandardRaceEthnicity[] = Object.values(StandardRaceEthnicity);

export const MAX_FILTER_AGE = 130;
// A place list is sent as one array parameter, so this guards the planner, not PostgreSQL's parameter limit.
export const MAX_FILTER_VALUES = 1_000;
const MAX_PLACE_LENGTH = 100;
const ZIP5 = /^\d{5}$/;
const SEGMENT_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** Reads filter criteria from query-string-like input; parameters it does not know are the caller's to refuse. */
export function parseVoterFilterCriteria(input: VoterFilterInput, options: VoterFilterParseOptions = {}): VoterFilterCriteria {
  const reader = new ParameterReader(input, options.label ?? ((parameter) => parameter));
  const ageMin = reader.wholeNumber('ageMin', 0, MAX_FILTER_AGE);
  const ageMax = reader.wholeNumber('ageMax', 0, MAX_FILTER_AGE);
  if (ageMin !== undefined && ageMax !== undefined && ageMin > ageMax) {
    throw reader.invalid('ageMin', `${reader.label('ageMin')} (${ageMin}) must not be greater than ${reader.label('ageMax')} (${ageMax})`);
  }
  return withoutUndefined({
    counties: reader.places('county'),
    precincts: reader.places('precinct'),
    zips: reader.zips('zip'),
    cities: reader.places('city'),
    parties: reader.oneOf('party', STANDARD_PARTIES),
    ageMin,
    ageMax,
    propensities: reader.oneOf('propensity', PROPENSITIES),
    raceEthnicities: reader.oneOf('raceEthnicity', STANDARD_RACE_ETHNICITIES),
    hasPhone: reader.boolean('hasPhone'),
    segments: reader.keys('segment'),
    active: reader.boolean('active') ?? true,
  });
}

export function parseVoterFilter(allianceId: string, input: VoterFilterInput, options: VoterFilterParseOptions = {}): VoterFilter {
  return { allianceId, ...parseVoterFilterCriteria(input, options) };
}

/** The birth years an age range covers in `year`: age N means born in `year - N`. */
export function birthYearBounds(filter: Pick<VoterFilter, 'ageMin' | 'ageMax'>, year: number): { readonly latest?: number; readonly earliest?: number } {
  return withoutUndefined({
    latest: filter.ageMin === undefined ? undefined : year - filter.ageMin,
    earliest: filter.ageMax === undefined ? undefined : year - filter.ageMax,
  });
}

/** The age shown for a birth year, by the same rule the age bounds use. */
export function ageFromBirthYear(birthYear: number | null, year: number): number | null {
  return birthYear === null ? null : year - birthYear;
}

class ParameterReader {
  constructor(
    private readonly input: VoterFilterInput,
    readonly label: (parameter: VoterFilterParameter) => string,
  ) {}

  places(parameter: VoterFilterParameter): string[] | undefined {
    // Places are stored in capitals (state files write them so; the generic import upper-cases them).
    const values = this.list(parameter)?.map((value) => value.replace(/\s{2,}/g, ' ').toUpperCase());
    const tooLong = values?.find((value) => value.length > MAX_PLACE_LENGTH);
    if (tooLong !== undefined)
      throw this.invalid(parameter, `${this.label(parameter)} values must be at most ${MAX_PLACE_LENGTH} characters; got one of ${tooLong.length}`);
    return values;
  }

  /** Segment keys as taxonomies write them; which exist is the alliance's taxonomy's business, not the filter's. */
  keys(parameter: VoterFilterParameter): string[] | undefined {
    const values = this.list(parameter);
    const bad = values?.find((value) => !SEGMENT_KEY.test(value));
    if (bad !== undefined)
      throw this.invalid(parameter, `${this.label(parameter)} must be segment keys (lower case letters, digits, underscores); got ${JSON.stringify(bad)}`);
    return values;
  }

  zips(parameter: VoterFilterParameter): string[] | undefined {
    const values = this.list(parameter);
    const bad = values?.find((value) => !ZIP5.test(value));
    if (bad !== undefined) throw this.invalid(parameter, `${this.label(parameter)} must be five-digit ZIP codes; got ${JSON.stringify(bad)}`);
    return values;
  }

  oneOf<T extends string>(parameter: VoterFilterParameter, allowed: readonly T[]): T[] | undefined {
    const values = this.list(parameter)?.map((value) => value.toLowerCase());
    const bad = values?.find((value) => !(allowed as readonly string[]).includes(value));
    if (bad !== undefined) {
      throw this.invalid(parameter, `${this.label(parameter)} must be one of ${allowed.join(', ')}; got ${JSON.stringify(bad)}`, { allowed });
    }
    return values as T[] | undefined;
  }

  wholeNumber(parameter: VoterFilterParameter, minimum: number, maximum: number): number | undefined {
    const value = this.single(parameter);
    if (value === undefined) return undefined;
    if (!/^\d{1,4}$/.test(value) || Number(value) < minimum || Number(value) > maximum) {
      throw this.invalid(parameter, `${this.label(parameter)} must be a whole number from ${minimum} to ${maximum}; got ${JSON.stringify(value)}`);
    }
    return Number(value);
  }

  boolean(parameter: VoterFilterParameter): boolean | undefined {
    const value = this.single(parameter)?.toLowerCase();
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw this.invalid(parameter, `${this.label(parameter)} must be true or false; got ${JSON.stringify(value)}`);
    return value === 'true';
  }

  invalid(parameter: VoterFilterParameter, message: string, details: Record<string, unknown> = {}): DomainException {
    return new DomainException(DomainErrorCode.ValidationFailed, message, { parameter: this.label(parameter), ...details });
  }

  /** Repeated and comma-separated values alike (`county=WAKE&county=DURHAM`, `county=WAKE,DURHAM`); blanks mean "not given". */
  private list(parameter: VoterFilterParameter): string[] | undefined {
    const values = [
      ...new Set(
        this.raw(parameter)
          .flatMap((value) => value.split(','))
          .map((value) => value.trim())
          .filter((value) => value !== ''),
      ),
    ];
    if (values.length > MAX_FILTER_VALUES)
      throw this.invalid(parameter, `${this.label(parameter)} takes at most ${MAX_FILTER_VALUES} values; got ${values.length}`);
    return values.length === 0 ? undefined : values;
  }

  private single(parameter: VoterFilterParameter): string | undefined {
    const values = this.raw(parameter)
      .map((value) => value.trim())
      .filter((value) => value !== '');
    if (values.length > 1) throw this.invalid(parameter, `${this.label(parameter)} takes one value; got ${values.length}`);
    return values[0];
  }

  private raw(parameter: VoterFilterParameter): readonly string[] {
    const value = this.input[parameter];
    if (value === undefined) return [];
    return typeof value === 'string' ? [value] : value;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
