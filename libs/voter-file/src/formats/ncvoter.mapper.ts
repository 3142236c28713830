import { cleanText, parseBirthYear, parseDate, parseZip5 } from '../normalization/field-parsers.util';
import { normalizeParty } from '../normalization/party.normalizer';
import { normalizeRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { normalizePhone } from '../phone-number.util';
import { MissingColumnsError } from './missing-columns.error';
import { type LineProblem, type MappedLine, type NormalizedVoter, rejectedLine as rejected } from './normalized-voter';
import type { VoterFileMapper } from './voter-file.mapper';

export const NCVOTER_REQUIRED_COLUMNS = ['ncid', 'last_name', 'first_name', 'county_desc'] as const;

/** Every column `map` reads; the others are never split out of a line. */
const MAPPED_COLUMNS = [
  'ncid',
  'first_name',
  'middle_name',
  'last_name',
  'name_suffix_lbl',
  'res_street_address',
  'res_city_desc',
  'county_desc',
  'precinct_abbrv',
  'zip_code',
  'birth_year',
  'party_cd',
  'gender_code',
  'race_code',
  'ethnic_code',
  'registr_dt',
  'status_cd',
  'full_phone_number',
] as const;
type MappedColumn = (typeof MAPPED_COLUMNS)[number];

/** Header positions of the columns NcvoterMapper reads; -1 for one the file lacks. */
export interface NcvoterColumnPositions {
  readonly ncid: number;
  readonly firstName: number;
  readonly middleName: number;
  readonly lastName: number;
  readonly nameSuffix: number;
  readonly address: number;
  readonly city: number;
  readonly county: number;
  readonly precinct: number;
  readonly zip: number;
  readonly birthYear: number;
  readonly party: number;
  readonly gender: number;
  readonly race: number;
  readonly ethnicity: number;
  readonly registrationDate: number;
  readonly status: number;
  readonly phone: number;
}

/**
 * Maps North Carolina `ncvoter` lines to voters by header name, not position: files carry 67,
 * 70 or a subset of the columns, in any order.
 */
export class NcvoterMapper implements VoterFileMapper {
  readonly format = 'ncvoter' as const;
  readonly keyColumn = 'ncid';
  readonly carriesVoters = true;
  readonly carriesHistory = false;
  readonly wantedColumns: readonly boolean[];
  readonly positions: NcvoterColumnPositions;
  private readonly index: ReadonlyMap<string, number>;

  constructor(
    private readonly header: readonly string[],
    private readonly asOfYear: number,
  ) {
    this.index = new Map(header.map((name, position) => [name.trim().toLowerCase(), position]));
    const missing = NCVOTER_REQUIRED_COLUMNS.filter((column) => !this.index.has(column));
    if (missing.length > 0) throw new MissingColumnsError('ncvoter', missing, NCVOTER_REQUIRED_COLUMNS);
    this.wantedColumns = header.map((name) => (MAPPED_COLUMNS as readonly string[]).includes(name.trim().toLowerCase()));
    const position = (name: MappedColumn): number => this.index.get(name) ?? -1;
    this.positions = {
      ncid: position('ncid'),
      firstName: position('first_name'),
      middleName: position('middle_name'),
      lastName: position('last_name'),
      nameSuffix: position('name_suffix_lbl'),
      address: position('res_street_address'),
      city: position('res_city_desc'),
      county: position('county_desc'),
      precinct: position('precinct_abbrv'),
      zip: position('zip_code'),
      birthYear: position('birth_year'),
      party: position('party_cd'),
      gender: position('gender_code'),
      race: position('race_code'),
      ethnicity: position('ethnic_code'),
      registrationDate: position('registr_dt'),
      status: position('status_cd'),
      phone: position('full_phone_number'),
    };
  }

  /** The header's field count: a line with another count is rejected. */
  get fieldCount(): number {
    return this.header.length;
  }

  /** The year birth years are judged against. */
  get birthYearsJudgedIn(): number {
    return this.asOfYear;
  }

  map(lineNumber: number, fields: readonly string[]): MappedLine {
    if (fields.length !== this.header.length) {
      return rejected({ lineNumber, column: null, reason: `expected ${this.header.length} fields (as in the header), found ${fields.length}` });
    }
    const field = (name: MappedColumn): string => {
      const position = this.index.get(name);
      return position === undefined ? '' : fields[position];
    };
    const sourceVoterId = cleanText(field('ncid'));
    if (sourceVoterId === null) return rejected({ lineNumber, column: 'ncid', reason: 'the voter id is empty' });

    const registration = parseDate(field('registr_dt'));
    if (!registration.ok) return rejected({ lineNumber, column: 'registr_dt', reason: registration.reason });
    const birthYear = parseBirthYear(field('birth_year'), this.asOfYear);
    if (!birthYear.ok) return rejected({ lineNumber, column: 'birth_year', reason: birthYear.reason });
    const zip = parseZip5(field('zip_code'));
    if (!zip.ok) return rejected({ lineNumber, column: 'zip_code', reason: zip.reason });

    const dropped: LineProblem[] = [];
    const phones: NormalizedVoter['phones'][number][] = [];
    const rawPhone = field('full_phone_number');
    if (rawPhone.trim() !== '') {
      const phone = normalizePhone(rawPhone);
      if (phone.ok) phones.push({ e164: phone.e164, lineType: phone.lineType });
      else dropped.push({ lineNumber, column: 'full_phone_number', reason: `phone dropped: ${phone.reason}` });
    }
    const partyCode = cleanText(field('party_cd'));
    const raceCode = cleanText(field('race_code'));
    const ethnicityCode = cleanText(field('ethnic_code'));
    return {
      voter: {
        sourceVoterId,
        firstName: cleanText(field('first_name')),
        middleName: cleanText(field('middle_name')),
        lastName: cleanText(field('last_name')),
        nameSuffix: cleanText(field('name_suffix_lbl')),
        residentialAddress: cleanText(field('res_street_address')),
        city: cleanText(field('res_city_desc')),
        county: cleanText(field('county_desc')),
        precinct: cleanText(field('precinct_abbrv')),
        zip5: zip.value,
        birthYear: birthYear.value,
        partyCode,
        party: normalizeParty(partyCode ?? ''),
        genderCode: cleanText(field('gender_code')),
        raceCode,
        ethnicityCode,
        raceEthnicity: normalizeRaceEthnicity(raceCode ?? '', ethnicityCode ?? ''),
        registrationDate: registration.value,
        registrationStatus: cleanText(field('status_cd')),
        phones,
      },
      history: [],
      rejection: null,
      dropped,
    };
  }
}
