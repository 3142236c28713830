import { NCVOTER_COLUMNS, NORTH_CAROLINA_COUNTIES, type NcvoterColumn } from '../formats/ncvoter-columns.constant';
import { buildNamePools, type NamePools } from './name-pools';
import { SeededRandom } from './seeded-random';

export interface SyntheticFileOptions {
  readonly rows: number;
  readonly seed: number;
  /** Quote every field, as legacy NC files do. */
  readonly quoted?: boolean;
  /** Only these counties (names as the layout spells them, any case); all of the state's when absent. California only. */
  readonly counties?: readonly string[];
}

const AS_OF_YEAR = 2026;
// Roughly the largest counties' share of NC's registered voters; the other 93 share the rest evenly.
const LARGE_COUNTY_SHARE: Readonly<Record<string, number>> = {
  WAKE: 0.115,
  MECKLENBURG: 0.112,
  GUILFORD: 0.052,
  FORSYTH: 0.037,
  CUMBERLAND: 0.028,
  DURHAM: 0.033,
  BUNCOMBE: 0.027,
};
const AREA_CODES = ['919', '984', '704', '980', '336', '743', '828', '910', '472', '252'];
type Weighted<T> = ReadonlyArray<readonly [T, number]>;

const STATUS: Weighted<readonly [string, string, string, string]> = [
  [['A', 'ACTIVE', 'AV', 'VERIFIED'], 88],
  [['I', 'INACTIVE', 'IN', 'CONFIRMATION NOT RETURNED'], 10],
  [['S', 'TEMPORARY', 'SO', 'OVERSEAS CITIZEN'], 0.8],
  [['D', 'DENIED', 'DI', 'UNAVAILABLE ESSENTIAL INFORMATION'], 0.6],
  [['R', 'REMOVED', 'RL', 'MOVED FROM COUNTY'], 0.6],
];
const PARTY = [
  ['UNA', 37],
  ['DEM', 31],
  ['REP', 30],
  ['LIB', 1.2],
  ['GRE', 0.4],
  ['NLB', 0.2],
  ['CST', 0.2],
] as const;
const RACE = [
  ['W', 62],
  ['B', 21],
  ['U', 7],
  ['O', 4],
  ['A', 3],
  ['M', 2],
  ['I', 1],
] as const;
const ETHNICITY = [
  ['NL', 72],
  ['UN', 20],
  ['HL', 8],
] as const;
const GENDER = [
  ['F', 52],
  ['M', 45],
  ['U', 3],
] as const;
const AGE_BAND: Weighted<readonly [number, number]> = [
  [[18, 24], 11],
  [[25, 34], 17],
  [[35, 44], 17],
  [[45, 54], 16],
  [[55, 64], 16],
  [[65, 74], 13],
  [[75, 99], 10],
];
const BIRTH_STATE = [
  ['NC', 55],
  ['', 12],
  ['VA', 6],
  ['NY', 5],
  ['SC', 4],
  ['FL', 4],
  ['PA', 3],
  ['OH', 3],
  ['GA', 3],
  ['CA', 2],
  ['NJ', 3],
] as const;
// Spanish names with accents: real files carry them, and they are what breaks a Latin-1 reader.
const ACCENTED_FIRST = ['JOSÉ', 'MARÍA', 'JESÚS', 'RAÚL', 'ANDRÉS', 'SOFÍA', 'LUCÍA', 'ÁNGEL', 'RAMÓN', 'INÉS'];
const ACCENTED_LAST = ['NÚÑEZ', 'MUÑOZ', 'PEÑA', 'GONZÁLEZ', 'RODRÍGUEZ', 'HERNÁNDEZ', 'PÉREZ', 'GÓMEZ', 'MARTÍNEZ', 'IBÁÑEZ'];
const SUFFIXES = ['JR', 'SR', 'II', 'III'];
const STREET_SUFFIXES = ['ST', 'RD', 'DR', 'AVE', 'LN', 'CT', 'WAY', 'BLVD', 'PL', 'CIR'];

/**
 * Made-up people in the layout of North Carolina's `ncvoter` file: plausible shares of age,
 * party, race and ethnicity, gender, counties (weighted by size), precincts and phones, with a
 * little of the mess real files have (junk phones, accented names). One seed, one exact file.
 */
export class NcvoterSyntheticGenerator {
  private readonly random: SeededRandom;
  private readonly pools: NamePools;
  private readonly countyWeights: ReadonlyArray<readonly [number, number]>;
  private readonly sequenceByCounty = new Map<number, number>();

  constructor(private readonly options: SyntheticFileOptions) {
    this.random = new SeededRandom(options.seed);
    this.pools = buildNamePools(options.seed, NORTH_CAROLINA_COUNTIES.length);
    const otherShare = (1 - Object.values(LARGE_COUNTY_SHARE).reduce((sum, share) => sum + share, 0)) / (NORTH_CAROLINA_COUNTIES.length - 7);
    this.countyWeights = NORTH_CAROLINA_COUNTIES.map((name, index) => [index + 1, LARGE_COUNTY_SHARE[name] ?? otherShare] as const);
  }

  /** The header line, then one line per voter; tab-separated, no trailing newline on each. */
  *lines(): Generator<string> {
    yield this.format(NCVOTER_COLUMNS);
    for (let index = 0; index < this.options.rows; index += 1) {
      const record = this.voter(index);
      yield this.format(NCVOTER_COLUMNS.map((column) => record[column] ?? ''));
    }
  }

  private format(fields: readonly string[]): string {
    return this.options.quoted ? fields.map((field) => `"${field.replace(/"/g, '""')}"`).join('\t') : fields.join('\t');
  }

  private voter(index: number): Partial<Record<NcvoterColumn, string>> {
    const random = this.random;
    const countyId = random.weighted(this.countyWeights);
    const county = NORTH_CAROLINA_COUNTIES[countyId - 1];
    const sequence = (this.sequenceByCounty.get(countyId) ?? 0) + 1;
    this.sequenceByCounty.set(countyId, sequence);
    const gender = random.weighted(GENDER);
    const ethnicity = random.weighted(ETHNICITY);
    const accented = ethnicity === 'HL' && random.chance(0.3);
    const firstName = accented
      ? random.pick(ACCENTED_FIRST)
      : random.pick(
          gender === 'M' ? this.pools.maleNames : gender === 'F' ? this.pools.femaleNames : random.pick([this.pools.maleNames, this.pools.femaleNames]),
        );
    const lastName = accented ? random.pick(ACCENTED_LAST) : random.pick(this.pools.lastNames);
    const [youngest, oldest] = random.weighted(AGE_BAND);
    const age = random.integer(youngest, oldest);
    const birthYear = AS_OF_YEAR - age;
    const [statusCode, statusDescription, reasonCode, reasonDescription] = random.weighted(STATUS);
    const city = random.pick(this.pools.citiesByCounty[countyId - 1]);
    const precinct = `${String(random.integer(1, 45)).padStart(2, '0')}-${String(random.integer(1, 9)).padStart(2, '0')}`;
    const zip = String(27006 + ((countyId * 37 + random.integer(0, 18)) % 1900)).padStart(5, '0');
    return {
      county_id: String(countyId),
      county_desc: county,
      voter_reg_num: String(sequence).padStart(12, '0'),
      ncid: `${letters(Math.floor(index / 1_000_000))}${String(index % 1_000_000).padStart(6, '0')}`,
      last_name: lastName,
      first_name: firstName,
      middle_name: random.chance(0.7) ? random.pick(random.chance(0.5) ? this.pools.femaleNames : this.pools.maleNames) : '',
      name_suffix_lbl: gender === 'M' && random.chance(0.04) ? random.pick(SUFFIXES) : '',
      status_cd: statusCode,
      voter_status_desc: statusDescription,
      reason_cd: reasonCode,
      voter_status_reason_desc: reasonDescription,
      res_street_address: `${random.integer(1, 9999)} ${random.pick(this.pools.streets)} ${random.pick(STREET_SUFFIXES)}`,
      res_city_desc: city,
      state_cd: 'NC',
      zip_code: random.chance(0.3) ? `${zip}${String(random.integer(0, 9999)).padStart(4, '0')}` : zip,
      mail_addr1: random.chance(0.05) ? `PO BOX ${random.integer(1, 9999)}` : '',
      mail_city: '',
      full_phone_number: this.phone(),
      confidential_ind: 'N',
      registr_dt: this.registrationDate(birthYear),
      race_code: random.weighted(RACE),
      ethnic_code: ethnicity,
      party_cd: random.weighted(PARTY),
      gender_code: gender,
      birth_year: String(birthYear),
      age_at_year_end: String(age),
      birth_state: random.weighted(BIRTH_STATE),
      drivers_lic: random.chance(0.9) ? 'Y' : 'N',
      precinct_abbrv: precinct,
      precinct_desc: `PRECINCT ${precinct}`,
      municipality_abbrv: city.slice(0, 4),
      municipality_desc: city,
      cong_dist_abbrv: String(random.integer(1, 14)),
      super_court_abbrv: `${random.integer(1, 30)}A`,
      judic_dist_abbrv: String(random.integer(1, 30)),
      nc_senate_abbrv: String(random.integer(1, 50)),
      nc_house_abbrv: String(random.integer(1, 120)),
      township_abbrv: String(random.integer(1, 20)),
      school_dist_abbrv: String(random.integer(1, 9)),
      dist_1_abbrv: String(random.integer(1, 45)),
      dist_1_desc: `PROSECUTORIAL DISTRICT ${random.integer(1, 45)}`,
      vtd_abbrv: precinct,
      vtd_desc: `PRECINCT ${precinct}`,
    };
  }

  /** 72% have one, in the spellings real files use; 2% are the junk real files carry. */
  private phone(): string {
    const random = this.random;
    if (!random.chance(0.74)) return '';
    if (random.chance(0.027)) return random.pick(['0000000', `${random.integer(200, 999)}${random.integer(1000, 9999)}`]);
    const area = random.pick(AREA_CODES);
    const exchange = String(random.integer(200, 999));
    const line = String(random.integer(0, 9999)).padStart(4, '0');
    return random.weighted([
      [`${area}${exchange}${line}`, 70],
      [`(${area}) ${exchange}-${line}`, 15],
      [`${area}-${exchange}-${line}`, 15],
    ]);
  }

  private registrationDate(birthYear: number): string {
    const random = this.random;
    const earliest = Math.max(birthYear + 18, 1960);
    const year = random.integer(earliest, AS_OF_YEAR);
    const month = year === AS_OF_YEAR ? random.integer(1, 10) : random.integer(1, 12);
    return `${String(month).padStart(2, '0')}/${String(random.integer(1, 28)).padStart(2, '0')}/${year}`;
  }
}

function letters(block: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return `${alphabet[Math.floor(block / 26) % 26]}${alphabet[block % 26]}`;
}
