import { CALIFORNIA_COLUMNS, CALIFORNIA_COUNTIES, type CaliforniaColumn } from '../formats/california.mapper';
import type { SyntheticFileOptions } from './ncvoter-synthetic.generator';
import { buildNamePools, type NamePools } from './name-pools';
import { SeededRandom } from './seeded-random';

const AS_OF_YEAR = 2026;
const EXTRACT_DATE = `${AS_OF_YEAR}-01-05`;
// Roughly the largest counties' share of California's registered voters (by CountyCode); the other counties share the rest evenly.
const LARGE_COUNTY_SHARE: Readonly<Record<number, number>> = {
  19: 0.24, // LOS ANGELES
  37: 0.085, // SAN DIEGO
  30: 0.08, // ORANGE
  33: 0.055, // RIVERSIDE
  36: 0.048, // SAN BERNARDINO
  43: 0.045, // SANTA CLARA
  1: 0.043, // ALAMEDA
  34: 0.04, // SACRAMENTO
  7: 0.031, // CONTRA COSTA
  38: 0.026, // SAN FRANCISCO
  10: 0.022, // FRESNO
  56: 0.021, // VENTURA
  41: 0.02, // SAN MATEO
  15: 0.019, // KERN
  39: 0.017, // SAN JOAQUIN
};
const AREA_CODES = ['213', '310', '415', '510', '559', '619', '626', '650', '707', '714', '760', '805', '818', '909', '916', '925', '949', '951'];
type Weighted<T> = ReadonlyArray<readonly [T, number]>;

const PARTY: Weighted<string> = [
  ['DEM', 46],
  ['REP', 24.5],
  ['NPP', 22],
  ['AIP', 3],
  ['LIB', 1],
  ['PF', 0.5],
  ['GRN', 0.5],
  ['OTH', 2.5],
];
const AGE_BAND: Weighted<readonly [number, number]> = [
  [[18, 24], 11],
  [[25, 34], 18],
  [[35, 44], 17],
  [[45, 54], 15],
  [[55, 64], 16],
  [[65, 74], 13],
  [[75, 99], 10],
];
const GENDER = [
  ['F', 51],
  ['M', 46],
  ['U', 3],
] as const;
type Heritage = 'hispanic' | 'asian' | 'other';
const HERITAGE: Weighted<Heritage> = [
  ['hispanic', 28],
  ['asian', 15],
  ['other', 57],
];
const LANGUAGE_BY_HERITAGE: Readonly<Record<Heritage, Weighted<string>>> = {
  hispanic: [
    ['eng', 65],
    ['spa', 35],
  ],
  asian: [
    ['eng', 72],
    ['chn', 9],
    ['vtn', 6],
    ['kor', 5],
    ['tag', 4],
    ['jpn', 2],
    ['hin', 1],
    ['khm', 0.5],
    ['tha', 0.5],
  ],
  other: [
    ['eng', 98],
    ['oth', 2],
  ],
};
const PLACE_OF_BIRTH_BY_HERITAGE: Readonly<Record<Heritage, Weighted<string>>> = {
  hispanic: [
    ['CA', 60],
    ['MEXICO', 28],
    ['EL SALVADOR', 4],
    ['GUATEMALA', 3],
    ['TX', 3],
    ['', 2],
  ],
  asian: [
    ['CA', 45],
    ['PHILIPPINES', 14],
    ['CHINA', 10],
    ['VIETNAM', 10],
    ['KOREA', 6],
    ['INDIA', 8],
    ['TAIWAN', 4],
    ['', 3],
  ],
  other: [
    ['CA', 58],
    ['NY', 6],
    ['TX', 4],
    ['IL', 4],
    ['OH', 3],
    ['WA', 3],
    ['AZ', 3],
    ['', 19],
  ],
};
// Spanish names carry the accents real files have (all within Latin-1, which California files use).
const SPANISH_FEMALE = ['MARÍA', 'GUADALUPE', 'ROSA', 'ANA', 'SOFÍA', 'LUCÍA', 'VERÓNICA', 'YESENIA', 'ALEJANDRA', 'CARMEN', 'INÉS', 'DOLORES', 'XIMENA'];
const SPANISH_MALE = ['JOSÉ', 'JUAN', 'JESÚS', 'LUIS', 'CARLOS', 'RAÚL', 'ANDRÉS', 'MIGUEL', 'ÁNGEL', 'RAMÓN', 'FRANCISCO', 'JAVIER', 'HÉCTOR'];
const SPANISH_LAST = [
  'GARCÍA',
  'HERNÁNDEZ',
  'LÓPEZ',
  'MARTÍNEZ',
  'RODRÍGUEZ',
  'GONZÁLEZ',
  'PÉREZ',
  'SÁNCHEZ',
  'RAMÍREZ',
  'TORRES',
  'FLORES',
  'RIVERA',
  'GÓMEZ',
  'DÍAZ',
  'REYES',
  'CRUZ',
  'MORALES',
  'ORTIZ',
  'GUTIÉRREZ',
  'CHÁVEZ',
  'RAMOS',
  'RUIZ',
  'ÁLVAREZ',
  'MENDOZA',
  'CASTILLO',
  'JIMÉNEZ',
  'VÁSQUEZ',
  'MUÑOZ',
  'NÚÑEZ',
  'PEÑA',
  'DE LA CRUZ',
];
const ASIAN_FEMALE = ['MEI', 'XIAO', 'LINH', 'THANH', 'HOA', 'JI-YEON', 'SEO-YEON', 'YUKI', 'PRIYA', 'SUNITA', 'MARICEL', 'LIWAYWAY'];
const ASIAN_MALE = ['WEI', 'MING', 'JUN', 'MINH', 'TUAN', 'DUC', 'MIN-JUN', 'JI-HOON', 'HIROSHI', 'KENJI', 'RAJ', 'ARJUN', 'JOSELITO'];
const ASIAN_LAST = [
  'NGUYEN',
  'TRAN',
  'LE',
  'PHAM',
  'KIM',
  'LEE',
  'PARK',
  'CHOI',
  'CHEN',
  'WANG',
  'LI',
  'ZHANG',
  'LIU',
  'HUANG',
  'WONG',
  'CHAN',
  'LAM',
  'WU',
  'YANG',
  'SANTOS',
  'BAUTISTA',
  'VILLANUEVA',
  'DELA CRUZ',
  'PATEL',
  'SINGH',
  'SHAH',
  'KUMAR',
  'TANAKA',
  'NAKAMURA',
  'YAMAMOTO',
];
const SUFFIXES = ['JR', 'SR', 'II', 'III'];
const STREET_TYPES = ['ST', 'AVE', 'BLVD', 'DR', 'RD', 'WAY', 'LN', 'CT', 'PL', 'CIR'];
const SPANISH_STREETS = ['EL CAMINO REAL', 'DE LA VINA', 'LAS PALMAS', 'SAN PABLO', 'LOS ROBLES', 'VISTA DEL MAR', 'ALTA MIRA'];
const DIRECTIONS = ['N', 'S', 'E', 'W'];
const UNIT_TYPES = ['APT', 'UNIT', 'STE', '#'];
const NAME_PREFIXES = ['MR', 'MS', 'MRS', 'DR'];
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

/**
 * Made-up people in the layout of California's registration (VRD) file: tab-separated, counties
 * weighted by size, California's party mix, Spanish and Asian names among the rest, addresses in
 * parts and phones in area/exchange/number parts (a few junk or repeated). One seed, one exact file.
 */
export class CaliforniaSyntheticGenerator {
  private readonly random: SeededRandom;
  private readonly pools: NamePools;
  private readonly countyWeights: ReadonlyArray<readonly [number, number]>;

  constructor(private readonly options: SyntheticFileOptions) {
    this.random = new SeededRandom(options.seed);
    this.pools = buildNamePools(options.seed, CALIFORNIA_COUNTIES.length);
    const large = Object.values(LARGE_COUNTY_SHARE);
    const otherShare = (1 - large.reduce((sum, share) => sum + share, 0)) / (CALIFORNIA_COUNTIES.length - large.length);
    const wanted = options.counties?.map((county) => county.toUpperCase());
    const unknown = wanted?.filter((county) => !(CALIFORNIA_COUNTIES as readonly string[]).includes(county)) ?? [];
    if (unknown.length > 0) throw new Error(`not California counties: ${unknown.join(', ')}`);
    this.countyWeights = CALIFORNIA_COUNTIES.map((_, index) => [index + 1, LARGE_COUNTY_SHARE[index + 1] ?? otherShare] as const).filter(
      ([code]) => wanted === undefined || wanted.includes(CALIFORNIA_COUNTIES[code - 1]),
    );
  }

  /** The header line, then one line per voter; tab-separated, no trailing newline on each. */
  *lines(): Generator<string> {
    yield CALIFORNIA_COLUMNS.join('\t');
    for (let index = 0; index < this.options.rows; index += 1) {
      const record = this.voter(index);
      yield CALIFORNIA_COLUMNS.map((column) => record[column] ?? '').join('\t');
    }
  }

  private voter(index: number): Partial<Record<CaliforniaColumn, string>> {
    const random = this.random;
    const countyCode = random.weighted(this.countyWeights);
    const gender = random.weighted(GENDER);
    const female = gender === 'F' || (gender === 'U' && random.chance(0.5));
    const heritage = random.weighted(HERITAGE);
    const { firstName, lastName } = this.name(heritage, female);
    const [youngest, oldest] = random.weighted(AGE_BAND);
    const birthYear = AS_OF_YEAR - random.integer(youngest, oldest);
    const city = random.pick(this.pools.citiesByCounty[countyCode - 1]);
    const zip = String(90001 + ((countyCode * 101 + random.integer(0, 40)) % 6100));
    const unit = random.chance(0.22);
    const precinct = String(random.integer(100_000, 999_999));
    const phones = this.phones();
    return {
      CountyCode: String(countyCode).padStart(2, '0'),
      RegistrantID: String(10_000_000 + index),
      ExtractDate: EXTRACT_DATE,
      LastName: lastName,
      FirstName: firstName,
      MiddleName: random.chance(0.6) ? random.pick(female ? this.pools.femaleNames : this.pools.maleNames) : '',
      Suffix: !female && random.chance(0.03) ? random.pick(SUFFIXES) : '',
      AddressNumber: String(random.integer(1, 29_999)),
      HouseFractionNumber: random.chance(0.01) ? '1/2' : '',
      AddressNumberSuffix: random.chance(0.01) ? random.pick(['A', 'B']) : '',
      StreetDirPrefix: random.chance(0.15) ? random.pick(DIRECTIONS) : '',
      StreetName: heritage === 'hispanic' && random.chance(0.2) ? random.pick(SPANISH_STREETS) : random.pick(this.pools.streets),
      StreetType: random.pick(STREET_TYPES),
      StreetDirSuffix: random.chance(0.02) ? random.pick(DIRECTIONS) : '',
      UnitType: unit ? random.pick(UNIT_TYPES) : '',
      UnitNumber: unit ? String(random.integer(1, 400)) : '',
      City: city,
      State: 'CA',
      Zip: random.chance(0.7) ? `${zip}${String(random.integer(0, 9999)).padStart(4, '0')}` : zip,
      ...phones,
      Email: random.chance(0.3) ? email(firstName, lastName, random.integer(1, 99), random.pick(EMAIL_DOMAINS)) : '',
      Language: random.weighted(LANGUAGE_BY_HERITAGE[heritage]),
      DOB: isoDate(birthYear, random.integer(1, 12), random.integer(1, 28)),
      Gender: gender,
      PartyCode: random.weighted(PARTY),
      Status: 'A',
      RegistrationDate: this.registrationDate(birthYear),
      Precinct: precinct,
      PrecinctNumber: `${precinct}${random.chance(0.1) ? random.pick(['A', 'B']) : ''}`,
      RegistrationMethodCode: random.weighted([
        ['DMV', 45],
        ['ONLINE', 35],
        ['PAPER', 20],
      ]),
      PlaceOfBirth: random.weighted(PLACE_OF_BIRTH_BY_HERITAGE[heritage]),
      NamePrefix: random.chance(0.05) ? random.pick(NAME_PREFIXES) : '',
      VbmVoterType: random.chance(0.9) ? 'P' : '',
      EmsVoterId: String(5_000_000 + index * 7),
      PrecinctId: String(countyCode * 100_000 + random.integer(1, 99_999)),
    };
  }

  private name(heritage: Heritage, female: boolean): { firstName: string; lastName: string } {
    const random = this.random;
    const english = female ? this.pools.femaleNames : this.pools.maleNames;
    switch (heritage) {
      case 'hispanic': {
        const lastName = random.pick(SPANISH_LAST);
        const firstName = random.chance(0.6) ? random.pick(female ? SPANISH_FEMALE : SPANISH_MALE) : random.pick(english);
        // Accents are kept on some names and not on others, so both spellings reach the importer.
        return random.chance(0.5) ? { firstName, lastName } : { firstName: withoutAccents(firstName), lastName: withoutAccents(lastName) };
      }
      case 'asian':
        return { firstName: random.chance(0.5) ? random.pick(female ? ASIAN_FEMALE : ASIAN_MALE) : random.pick(english), lastName: random.pick(ASIAN_LAST) };
      case 'other':
        return { firstName: random.pick(english), lastName: random.pick(this.pools.lastNames) };
    }
  }

  /** Up to four phones in three parts each; 58% have one, a few are junk and a few repeat the first. */
  private phones(): Partial<Record<CaliforniaColumn, string>> {
    const random = this.random;
    const parts: string[][] = [];
    if (random.chance(0.58)) {
      parts.push(this.phoneParts());
      if (random.chance(0.2)) parts.push(random.chance(0.05) ? [...parts[0]] : this.phoneParts());
      if (parts.length === 2 && random.chance(0.15)) parts.push(this.phoneParts());
      if (parts.length === 3 && random.chance(0.1)) parts.push(this.phoneParts());
    }
    const record: Partial<Record<CaliforniaColumn, string>> = {};
    parts.forEach(([area, exchange, number], index) => {
      const slot = index + 1;
      record[`Phone${slot}Area` as CaliforniaColumn] = area;
      record[`Phone${slot}Exchange` as CaliforniaColumn] = exchange;
      record[`Phone${slot}NumberPart` as CaliforniaColumn] = number;
    });
    return record;
  }

  private phoneParts(): string[] {
    const random = this.random;
    const area = random.pick(AREA_CODES);
    const exchange = String(random.integer(200, 999));
    const number = String(random.integer(0, 9999)).padStart(4, '0');
    // The junk real files carry: a number without its area code, or an exchange no number can have.
    if (random.chance(0.025))
      return random.pick([
        ['', exchange, number],
        [area, `0${random.integer(10, 99)}`, number],
      ]);
    return [area, exchange, number];
  }

  private registrationDate(birthYear: number): string {
    const random = this.random;
    const year = random.integer(Math.max(birthYear + 18, 1960), AS_OF_YEAR);
    const month = year === AS_OF_YEAR ? random.integer(1, 10) : random.integer(1, 12);
    return isoDate(year, month, random.integer(1, 28));
  }
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function withoutAccents(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function email(firstName: string, lastName: string, number: number, domain: string): string {
  const local = (name: string): string =>
    withoutAccents(name)
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  return `${local(firstName)}.${local(lastName)}${number}@${domain}`;
}
