import { cleanText, parseBirthYear, parseDate, parseZip5, type Parsed } from '../normalization/field-parsers.util';
import { normalizeParty } from '../normalization/party.normalizer';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { normalizePhone } from '../phone-number.util';
import { MissingColumnsError } from './missing-columns.error';
import { type LineProblem, type MappedLine, rejectedLine as rejected, type VoterPhone } from './normalized-voter';
import type { VoterFileMapper } from './voter-file.mapper';

const PHONE_SLOTS = [1, 2, 3, 4] as const;

/**
 * The California registration (VRD) file's columns, in order, as delivered with a PVRDR request
 * (the district columns joined from the precinct file are not part of it). Phones come in three
 * parts each, Phone1Area/Phone1Exchange/Phone1NumberPart to Phone4….
 */
export const CALIFORNIA_COLUMNS = [
  'CountyCode',
  'RegistrantID',
  'ExtractDate',
  'LastName',
  'FirstName',
  'MiddleName',
  'Suffix',
  'AddressNumber',
  'HouseFractionNumber',
  'AddressNumberSuffix',
  'StreetDirPrefix',
  'StreetName',
  'StreetType',
  'StreetDirSuffix',
  'UnitType',
  'UnitNumber',
  'City',
  'State',
  'Zip',
  ...PHONE_SLOTS.flatMap((slot) => [`Phone${slot}Area`, `Phone${slot}Exchange`, `Phone${slot}NumberPart`] as const),
  'Email',
  'MailingAddressLine1',
  'MailingAddressLine2',
  'MailingAddressLine3',
  'MailingCity',
  'MailingState',
  'MailingZip5',
  'MailingCountry',
  'Language',
  'DOB',
  'Gender',
  'PartyCode',
  'Status',
  'RegistrationDate',
  'Precinct',
  'PrecinctNumber',
  'RegistrationMethodCode',
  'PlaceOfBirth',
  'NamePrefix',
  'NonStandardAddress',
  'VoterStatusReasonCodeDesc',
  'AssistanceRequestFlag',
  'VbmVoterType',
  'EmsVoterId',
  'PrecinctId',
] as const;

export type CaliforniaColumn = (typeof CALIFORNIA_COLUMNS)[number];

export const CALIFORNIA_REQUIRED_COLUMNS = ['RegistrantID', 'LastName', 'FirstName', 'CountyCode'] as const;

/** California's 58 counties in CountyCode order (1 = Alameda … 58 = Yuba). */
export const CALIFORNIA_COUNTIES = [
  'ALAMEDA',
  'ALPINE',
  'AMADOR',
  'BUTTE',
  'CALAVERAS',
  'COLUSA',
  'CONTRA COSTA',
  'DEL NORTE',
  'EL DORADO',
  'FRESNO',
  'GLENN',
  'HUMBOLDT',
  'IMPERIAL',
  'INYO',
  'KERN',
  'KINGS',
  'LAKE',
  'LASSEN',
  'LOS ANGELES',
  'MADERA',
  'MARIN',
  'MARIPOSA',
  'MENDOCINO',
  'MERCED',
  'MODOC',
  'MONO',
  'MONTEREY',
  'NAPA',
  'NEVADA',
  'ORANGE',
  'PLACER',
  'PLUMAS',
  'RIVERSIDE',
  'SACRAMENTO',
  'SAN BENITO',
  'SAN BERNARDINO',
  'SAN DIEGO',
  'SAN FRANCISCO',
  'SAN JOAQUIN',
  'SAN LUIS OBISPO',
  'SAN MATEO',
  'SANTA BARBARA',
  'SANTA CLARA',
  'SANTA CRUZ',
  'SHASTA',
  'SIERRA',
  'SISKIYOU',
  'SOLANO',
  'SONOMA',
  'STANISLAUS',
  'SUTTER',
  'TEHAMA',
  'TRINITY',
  'TULARE',
  'TUOLUMNE',
  'VENTURA',
  'YOLO',
  'YUBA',
] as const;

const ADDRESS_PARTS = [
  'AddressNumber',
  'HouseFractionNumber',
  'AddressNumberSuffix',
  'StreetDirPrefix',
  'StreetName',
  'StreetType',
  'StreetDirSuffix',
  'UnitType',
  'UnitNumber',
] as const satisfies readonly CaliforniaColumn[];

/**
 * A date in any of the three forms voter files use: YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD (which
 * California extracts use is unverified, so all are accepted); empty is null.
 */
export function parseVoterFileDate(raw: string): Parsed<string | null> {
  const text = raw.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) {
    const parsed = parseDate(`${compact[1]}-${compact[2]}-${compact[3]}`);
    return parsed.ok ? parsed : { ok: false, reason: `"${text}" is not a calendar date` };
  }
  if (text === '' || /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text)) return parseDate(text);
  return { ok: false, reason: `"${text}" is not a date (expected YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)` };
}

/**
 * Maps California VRD lines to voters by header name. The street address is reassembled from
 * its parts and each phone from its area, exchange and number; the file carries no race fields.
 */
export class CaliforniaMapper implements VoterFileMapper {
  readonly format = 'california' as const;
  readonly keyColumn: string;
  readonly carriesVoters = true;
  readonly carriesHistory = false;
  private readonly index: ReadonlyMap<string, number>;

  constructor(
    private readonly header: readonly string[],
    private readonly asOfYear: number,
  ) {
    this.index = new Map(header.map((name, position) => [name.trim().toLowerCase(), position]));
    const missing = CALIFORNIA_REQUIRED_COLUMNS.filter((column) => !this.index.has(column.toLowerCase()));
    if (missing.length > 0) throw new MissingColumnsError('california', missing, CALIFORNIA_REQUIRED_COLUMNS);
    this.keyColumn = this.columnName('RegistrantID');
  }

  map(lineNumber: number, fields: readonly string[]): MappedLine {
    if (fields.length !== this.header.length) {
      return rejected({ lineNumber, column: null, reason: `expected ${this.header.length} fields (as in the header), found ${fields.length}` });
    }
    const field = (name: CaliforniaColumn): string => {
      const position = this.index.get(name.toLowerCase());
      return position === undefined ? '' : fields[position];
    };
    const problem = (column: CaliforniaColumn, reason: string): MappedLine => rejected({ lineNumber, column: this.columnName(column), reason });

    const sourceVoterId = cleanText(field('RegistrantID'));
    if (sourceVoterId === null) return problem('RegistrantID', 'the voter id is empty');
    const countyCode = field('CountyCode').trim();
    const county = /^\d{1,2}$/.test(countyCode) ? CALIFORNIA_COUNTIES[Number(countyCode) - 1] : undefined;
    if (county === undefined) return problem('CountyCode', `"${countyCode}" is not a California county code (1–58)`);
    const birthDate = parseVoterFileDate(field('DOB'));
    if (!birthDate.ok) return problem('DOB', birthDate.reason);
    const birthYear = parseBirthYear(birthDate.value?.slice(0, 4) ?? '', this.asOfYear);
    if (!birthYear.ok) return problem('DOB', birthYear.reason);
    const registration = parseVoterFileDate(field('RegistrationDate'));
    if (!registration.ok) return problem('RegistrationDate', registration.reason);
    const zip = parseZip5(field('Zip'));
    if (!zip.ok) return problem('Zip', zip.reason);

    const street = ADDRESS_PARTS.map((part) => cleanText(field(part)))
      .filter((part) => part !== null)
      .join(' ');
    const partyCode = cleanText(field('PartyCode'));
    const { phones, dropped } = this.phones(lineNumber, field);
    return {
      voter: {
        sourceVoterId,
        firstName: cleanText(field('FirstName')),
        middleName: cleanText(field('MiddleName')),
        lastName: cleanText(field('LastName')),
        nameSuffix: cleanText(field('Suffix')),
        // A few addresses fit no street pattern (rural routes, descriptions) and come only as text.
        residentialAddress: street === '' ? cleanText(field('NonStandardAddress')) : street,
        city: cleanText(field('City')),
        county,
        precinct: cleanText(field('Precinct')),
        zip5: zip.value,
        birthYear: birthYear.value,
        partyCode,
        party: normalizeParty(partyCode ?? ''),
        genderCode: cleanText(field('Gender')),
        raceCode: null,
        ethnicityCode: null,
        raceEthnicity: StandardRaceEthnicity.Unknown,
        registrationDate: registration.value,
        registrationStatus: cleanText(field('Status')),
        phones,
      },
      history: [],
      rejection: null,
      dropped,
    };
  }

  private phones(lineNumber: number, field: (name: CaliforniaColumn) => string): { phones: VoterPhone[]; dropped: LineProblem[] } {
    const phones: VoterPhone[] = [];
    const dropped: LineProblem[] = [];
    for (const slot of PHONE_SLOTS) {
      const parts = [field(`Phone${slot}Area`), field(`Phone${slot}Exchange`), field(`Phone${slot}NumberPart`)].map((part) => part.trim());
      if (parts.every((part) => part === '')) continue;
      const phone = normalizePhone(parts.join(''));
      if (!phone.ok) dropped.push({ lineNumber, column: this.columnName(`Phone${slot}Area`), reason: `phone dropped: ${phone.reason}` });
      else if (!phones.some((known) => known.e164 === phone.e164)) phones.push({ e164: phone.e164, lineType: phone.lineType });
    }
    return { phones, dropped };
  }

  /** The header's own spelling of a column, for problem reports. */
  private columnName(column: CaliforniaColumn): string {
    const position = this.index.get(column.toLowerCase());
    return position === undefined ? column : this.header[position].trim();
  }
}
