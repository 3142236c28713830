import { OHIO_COUNTIES, OHIO_FIXED_COLUMNS, type OhioFixedColumn } from '../formats/ohio.mapper';
import type { SyntheticFileOptions } from './ncvoter-synthetic.generator';
import { buildNamePools, type NamePools } from './name-pools';
import { SeededRandom } from './seeded-random';

/** The election columns of the synthetic Ohio file, oldest first as in real files. */
export const OHIO_SYNTHETIC_ELECTIONS = [
  'PRIMARY-03/17/2020',
  'GENERAL-11/03/2020',
  'SPECIAL-05/04/2021',
  'GENERAL-11/02/2021',
  'PRIMARY-05/03/2022',
  'PRIMARY-08/02/2022',
  'GENERAL-11/08/2022',
  'SPECIAL-08/08/2023',
  'GENERAL-11/07/2023',
  'PRIMARY-03/19/2024',
  'GENERAL-11/05/2024',
  'PRIMARY-05/06/2025',
] as const;

const AS_OF_YEAR = 2026;
// Ohio's party affiliation is the party of the last primary ballot taken within about two years.
const AFFILIATION_WINDOW_START = '2024-01-01';
// Roughly the largest counties' share of Ohio's registered voters; the other counties share the rest evenly.
const LARGE_COUNTY_SHARE: Readonly<Record<string, number>> = {
  FRANKLIN: 0.115,
  CUYAHOGA: 0.11,
  HAMILTON: 0.068,
  SUMMIT: 0.047,
  MONTGOMERY: 0.046,
  LUCAS: 0.035,
  BUTLER: 0.032,
  STARK: 0.031,
  LORAIN: 0.026,
  WARREN: 0.022,
  DELAWARE: 0.019,
  LAKE: 0.019,
  MAHONING: 0.019,
  CLERMONT: 0.018,
  MEDINA: 0.016,
  TRUMBULL: 0.016,
  LICKING: 0.015,
};
// The share of registered voters who vote in each election, before age and habit are applied.
const BASE_TURNOUT: Readonly<Record<(typeof OHIO_SYNTHETIC_ELECTIONS)[number], number>> = {
  'PRIMARY-03/17/2020': 0.26,
  'GENERAL-11/03/2020': 0.84,
  'SPECIAL-05/04/2021': 0.1,
  'GENERAL-11/02/2021': 0.3,
  'PRIMARY-05/03/2022': 0.22,
  'PRIMARY-08/02/2022': 0.07,
  'GENERAL-11/08/2022': 0.6,
  'SPECIAL-08/08/2023': 0.38,
  'GENERAL-11/07/2023': 0.5,
  'PRIMARY-03/19/2024': 0.3,
  'GENERAL-11/05/2024': 0.8,
  'PRIMARY-05/06/2025': 0.1,
};
type Weighted<T> = ReadonlyArray<readonly [T, number]>;

const AGE_BAND: Weighted<readonly [number, number]> = [
  [[18, 24], 10],
  [[25, 34], 16],
  [[35, 44], 16],
  [[45, 54], 15],
  [[55, 64], 17],
  [[65, 74], 15],
  [[75, 99], 11],
];
// Older voters turn out more, in every kind of election.
const AGE_TURNOUT: ReadonlyArray<readonly [number, number]> = [
  [24, 0.55],
  [34, 0.7],
  [44, 0.85],
  [54, 1],
  [64, 1.12],
  [74, 1.22],
  [Infinity, 1.15],
];
// A voter's habit, drawn once, so turnout is correlated across elections.
const HABIT: Weighted<number> = [
  [1.2, 45],
  [0.95, 35],
  [0.35, 20],
];
// The party whose primary ballot a voter takes; '' takes the issues-only ballot.
const LEAN: Weighted<string> = [
  ['R', 46],
  ['D', 38],
  ['', 14],
  ['L', 1.4],
  ['G', 0.6],
];
const GENDER = [
  ['F', 52],
  ['M', 48],
] as const;
const STATUS = [
  ['ACTIVE', 88],
  ['CONFIRMATION', 12],
] as const;
const ACCENTED_FIRST = ['JOSÉ', 'MARÍA', 'JESÚS', 'RAÚL', 'ANDRÉS', 'SOFÍA', 'LUCÍA', 'ÁNGEL', 'RAMÓN', 'INÉS', 'RENÉE', 'ZOË'];
const ACCENTED_LAST = ['NÚÑEZ', 'MUÑOZ', 'PEÑA', 'GONZÁLEZ', 'RODRÍGUEZ', 'HERNÁNDEZ', 'PÉREZ', 'GÓMEZ', 'MARTÍNEZ', 'BÉLANGER', 'MÜLLER'];
const SUFFIXES = ['JR', 'SR', 'II', 'III'];
const STREET_SUFFIXES = ['ST', 'RD', 'DR', 'AVE', 'LN', 'CT', 'WAY', 'BLVD', 'PL', 'CIR', 'PIKE'];
const DIRECTIONS = ['N', 'S', 'E', 'W'];

interface Election {
  readonly column: (typeof OHIO_SYNTHETIC_ELECTIONS)[number];
  readonly date: string;
  readonly primary: boolean;
}

/**
 * Made-up people in the layout of Ohio's Statewide Voter File: the 46 fixed columns and twelve
 * election columns, every field quoted as the Secretary of State writes them. Turnout rises with
 * age and is correlated across elections; party affiliation follows the last primary ballot.
 * One seed, one exact file.
 */
export class OhioSyntheticGenerator {
  private readonly random: SeededRandom;
  private readonly pools: NamePools;
  private readonly countyWeights: ReadonlyArray<readonly [number, number]>;
  private readonly sequenceByCounty = new Map<number, number>();
  private readonly elections: readonly Election[];

  constructor(private readonly options: SyntheticFileOptions) {
    this.random = new SeededRandom(options.seed);
    this.pools = buildNamePools(options.seed, OHIO_COUNTIES.length);
    const large = Object.values(LARGE_COUNTY_SHARE);
    const otherShare = (1 - large.reduce((sum, share) => sum + share, 0)) / (OHIO_COUNTIES.length - large.length);
    this.countyWeights = OHIO_COUNTIES.map((name, index) => [index + 1, LARGE_COUNTY_SHARE[name] ?? otherShare] as const);
    this.elections = OHIO_SYNTHETIC_ELECTIONS.map((column) => {
      const [type, date] = column.split('-');
      const [month, day, year] = date.split('/');
      return { column, date: `${year}-${month}-${day}`, primary: type === 'PRIMARY' };
    });
  }

  /** The header line, then one line per voter; comma-separated, every field quoted, no trailing newline on each. */
  *lines(): Generator<string> {
    yield quoted([...OHIO_FIXED_COLUMNS, ...OHIO_SYNTHETIC_ELECTIONS]);
    for (let index = 0; index < this.options.rows; index += 1) {
      const { record, history } = this.voter(index);
      yield quoted([...OHIO_FIXED_COLUMNS.map((column) => record[column] ?? ''), ...history]);
    }
  }

  private voter(index: number): { record: Partial<Record<OhioFixedColumn, string>>; history: string[] } {
    const random = this.random;
    const countyNumber = random.weighted(this.countyWeights);
    const county = OHIO_COUNTIES[countyNumber - 1];
    const sequence = (this.sequenceByCounty.get(countyNumber) ?? 0) + 1;
    this.sequenceByCounty.set(countyNumber, sequence);
    const gender = random.weighted(GENDER);
    const accented = random.chance(0.015);
    const firstName = accented ? random.pick(ACCENTED_FIRST) : random.pick(gender === 'M' ? this.pools.maleNames : this.pools.femaleNames);
    const lastName = accented ? random.pick(ACCENTED_LAST) : random.pick(this.pools.lastNames);
    const [youngest, oldest] = random.weighted(AGE_BAND);
    const age = random.integer(youngest, oldest);
    const birthYear = AS_OF_YEAR - age;
    const registrationDate = this.registrationDate(birthYear);
    const status = random.weighted(STATUS);
    const { history, affiliation } = this.history(age, registrationDate, status === 'ACTIVE');
    const city = random.pick(this.pools.citiesByCounty[countyNumber - 1]);
    const inCity = random.chance(0.7);
    const ward = random.integer(1, 20);
    const precinct = `${city} ${ward}-${String.fromCharCode(65 + random.integer(0, 7))}`;
    const zip = String(43001 + ((countyNumber * 61 + random.integer(0, 30)) % 2999));
    const poBox = random.chance(0.04);
    return {
      record: {
        SOS_VOTERID: `OH${String(index + 1).padStart(10, '0')}`,
        COUNTY_NUMBER: String(countyNumber).padStart(2, '0'),
        COUNTY_ID: String(sequence),
        LAST_NAME: lastName,
        FIRST_NAME: firstName,
        MIDDLE_NAME: random.chance(0.75) ? random.pick(random.chance(0.5) ? this.pools.femaleNames : this.pools.maleNames) : '',
        SUFFIX: gender === 'M' && random.chance(0.04) ? random.pick(SUFFIXES) : '',
        DATE_OF_BIRTH: isoDate(birthYear, random.integer(1, 12), random.integer(1, 28)),
        REGISTRATION_DATE: registrationDate,
        VOTER_STATUS: status,
        PARTY_AFFILIATION: affiliation,
        RESIDENTIAL_ADDRESS1: `${random.integer(1, 9999)} ${random.chance(0.12) ? `${random.pick(DIRECTIONS)} ` : ''}${random.pick(this.pools.streets)} ${random.pick(STREET_SUFFIXES)}`,
        RESIDENTIAL_SECONDARY_ADDR: random.chance(0.1)
          ? random.pick([`APT ${random.integer(1, 40)}`, `UNIT ${String.fromCharCode(65 + random.integer(0, 5))}`])
          : '',
        RESIDENTIAL_CITY: city,
        RESIDENTIAL_STATE: 'OH',
        RESIDENTIAL_ZIP: zip,
        RESIDENTIAL_ZIP_PLUS4: random.chance(0.4) ? String(random.integer(0, 9999)).padStart(4, '0') : '',
        MAILING_ADDRESS1: poBox ? `PO BOX ${random.integer(1, 9999)}` : '',
        MAILING_CITY: poBox ? city : '',
        MAILING_STATE: poBox ? 'OH' : '',
        MAILING_ZIP: poBox ? zip : '',
        CAREER_CENTER: random.chance(0.5) ? `${county} CAREER CENTER` : '',
        CITY: inCity ? city : '',
        CITY_SCHOOL_DISTRICT: inCity ? `${city} CITY SD` : '',
        CONGRESSIONAL_DISTRICT: String(random.integer(1, 15)).padStart(2, '0'),
        COURT_OF_APPEALS: String(random.integer(1, 12)).padStart(2, '0'),
        EDU_SERVICE_CENTER_DISTRICT: `${county} ESC`,
        LIBRARY: `${county} COUNTY PUBLIC LIBRARY`,
        LOCAL_SCHOOL_DISTRICT: inCity ? '' : `${random.pick(this.pools.lastNames)} LOCAL SD`,
        MUNICIPAL_COURT_DISTRICT: `${city} MUNICIPAL COURT`,
        // A few files leave the precinct's name empty and give only its code.
        PRECINCT_NAME: random.chance(0.02) ? '' : precinct,
        PRECINCT_CODE: `${String(countyNumber).padStart(2, '0')}-${String.fromCharCode(65 + random.integer(0, 25), 65 + random.integer(0, 25), 65 + random.integer(0, 25))}`,
        STATE_BOARD_OF_EDUCATION: String(random.integer(1, 11)).padStart(2, '0'),
        STATE_REPRESENTATIVE_DISTRICT: String(random.integer(1, 99)).padStart(2, '0'),
        STATE_SENATE_DISTRICT: String(random.integer(1, 33)).padStart(2, '0'),
        TOWNSHIP: inCity ? '' : `${random.pick(this.pools.lastNames)} TOWNSHIP`,
        WARD: inCity ? `${city}-${ward}` : '',
      },
      history,
    };
  }

  /** One cell per election ('' did not vote, X voted, a party letter in a primary) and the affiliation it implies. */
  private history(age: number, registrationDate: string, active: boolean): { history: string[]; affiliation: string } {
    const random = this.random;
    const likelihood = (AGE_TURNOUT.find(([upTo]) => age <= upTo) as readonly [number, number])[1] * random.weighted(HABIT) * (active ? 1 : 0.35);
    const lean = random.weighted(LEAN);
    const birthYear = AS_OF_YEAR - age;
    let affiliation = '';
    const history = this.elections.map((election) => {
      if (election.date < registrationDate || Number(election.date.slice(0, 4)) - birthYear < 18) return '';
      if (!random.chance(Math.min(0.97, BASE_TURNOUT[election.column] * likelihood))) return '';
      if (!election.primary) return 'X';
      // Some voters cross over to the other major party's primary.
      const ballot = lean !== '' && random.chance(0.05) ? (lean === 'R' ? 'D' : 'R') : lean;
      if (election.date >= AFFILIATION_WINDOW_START) affiliation = ballot;
      return ballot === '' ? 'X' : ballot;
    });
    return { history, affiliation };
  }

  /** Most voters registered within a few years of turning 18 and kept their date; the rest re-registered any time since. */
  private registrationDate(birthYear: number): string {
    const random = this.random;
    const earliest = Math.max(birthYear + 18, 1960);
    const year = random.chance(0.6) ? Math.min(earliest + random.integer(0, 4), AS_OF_YEAR) : random.integer(earliest, AS_OF_YEAR);
    const month = year === AS_OF_YEAR ? random.integer(1, 10) : random.integer(1, 12);
    return isoDate(year, month, random.integer(1, 28));
  }
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function quoted(fields: readonly string[]): string {
  return fields.map((field) => `"${field.replace(/"/g, '""')}"`).join(',');
}
