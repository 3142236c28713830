import { cleanText, parseBirthYear, parseDate, parseZip5 } from '../normalization/field-parsers.util';
import { normalizeParty, StandardParty } from '../normalization/party.normalizer';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { UnreadableVoterFileError } from '../reading/voter-file.error';
import { MissingColumnsError } from './missing-columns.error';
import { type ElectionType, type MappedLine, rejectedLine as rejected, type VoteHistoryEntry } from './normalized-voter';
import type { VoterFileMapper } from './voter-file.mapper';

/** The Ohio Statewide Voter File's 46 fixed columns, in order; one column per election follows them. */
export const OHIO_FIXED_COLUMNS = [
  'SOS_VOTERID',
  'COUNTY_NUMBER',
  'COUNTY_ID',
  'LAST_NAME',
  'FIRST_NAME',
  'MIDDLE_NAME',
  'SUFFIX',
  'DATE_OF_BIRTH',
  'REGISTRATION_DATE',
  'VOTER_STATUS',
  'PARTY_AFFILIATION',
  'RESIDENTIAL_ADDRESS1',
  'RESIDENTIAL_SECONDARY_ADDR',
  'RESIDENTIAL_CITY',
  'RESIDENTIAL_STATE',
  'RESIDENTIAL_ZIP',
  'RESIDENTIAL_ZIP_PLUS4',
  'RESIDENTIAL_COUNTRY',
  'RESIDENTIAL_POSTALCODE',
  'MAILING_ADDRESS1',
  'MAILING_SECONDARY_ADDRESS',
  'MAILING_CITY',
  'MAILING_STATE',
  'MAILING_ZIP',
  'MAILING_ZIP_PLUS4',
  'MAILING_COUNTRY',
  'MAILING_POSTAL_CODE',
  'CAREER_CENTER',
  'CITY',
  'CITY_SCHOOL_DISTRICT',
  'COUNTY_COURT_DISTRICT',
  'CONGRESSIONAL_DISTRICT',
  'COURT_OF_APPEALS',
  'EDU_SERVICE_CENTER_DISTRICT',
  'EXEMPTED_VILL_SCHOOL_DISTRICT',
  'LIBRARY',
  'LOCAL_SCHOOL_DISTRICT',
  'MUNICIPAL_COURT_DISTRICT',
  'PRECINCT_NAME',
  'PRECINCT_CODE',
  'STATE_BOARD_OF_EDUCATION',
  'STATE_REPRESENTATIVE_DISTRICT',
  'STATE_SENATE_DISTRICT',
  'TOWNSHIP',
  'VILLAGE',
  'WARD',
] as const;

export type OhioFixedColumn = (typeof OHIO_FIXED_COLUMNS)[number];

export const OHIO_REQUIRED_COLUMNS = ['SOS_VOTERID', 'LAST_NAME', 'FIRST_NAME', 'COUNTY_NUMBER'] as const;

/** An election column: `PRIMARY-05/03/2022`, `GENERAL-11/08/2022`, `SPECIAL-08/08/2023`. */
export const OHIO_ELECTION_COLUMN_PATTERN = /^(PRIMARY|GENERAL|SPECIAL)-\d\d\/\d\d\/\d{4}$/i;

/** Ohio's 88 counties in COUNTY_NUMBER order (1 = Adams … 88 = Wyandot). */
export const OHIO_COUNTIES = [
  'ADAMS',
  'ALLEN',
  'ASHLAND',
  'ASHTABULA',
  'ATHENS',
  'AUGLAIZE',
  'BELMONT',
  'BROWN',
  'BUTLER',
  'CARROLL',
  'CHAMPAIGN',
  'CLARK',
  'CLERMONT',
  'CLINTON',
  'COLUMBIANA',
  'COSHOCTON',
  'CRAWFORD',
  'CUYAHOGA',
  'DARKE',
  'DEFIANCE',
  'DELAWARE',
  'ERIE',
  'FAIRFIELD',
  'FAYETTE',
  'FRANKLIN',
  'FULTON',
  'GALLIA',
  'GEAUGA',
  'GREENE',
  'GUERNSEY',
  'HAMILTON',
  'HANCOCK',
  'HARDIN',
  'HARRISON',
  'HENRY',
  'HIGHLAND',
  'HOCKING',
  'HOLMES',
  'HURON',
  'JACKSON',
  'JEFFERSON',
  'KNOX',
  'LAKE',
  'LAWRENCE',
  'LICKING',
  'LOGAN',
  'LORAIN',
  'LUCAS',
  'MADISON',
  'MAHONING',
  'MARION',
  'MEDINA',
  'MEIGS',
  'MERCER',
  'MIAMI',
  'MONROE',
  'MONTGOMERY',
  'MORGAN',
  'MORROW',
  'MUSKINGUM',
  'NOBLE',
  'OTTAWA',
  'PAULDING',
  'PERRY',
  'PICKAWAY',
  'PIKE',
  'PORTAGE',
  'PREBLE',
  'PUTNAM',
  'RICHLAND',
  'ROSS',
  'SANDUSKY',
  'SCIOTO',
  'SENECA',
  'SHELBY',
  'STARK',
  'SUMMIT',
  'TRUMBULL',
  'TUSCARAWAS',
  'UNION',
  'VAN WERT',
  'VINTON',
  'WARREN',
  'WASHINGTON',
  'WAYNE',
  'WILLIAMS',
  'WOOD',
  'WYANDOT',
] as const;

interface ElectionColumn {
  readonly position: number;
  /** As the header spells it; it is also the entry's election label. */
  readonly name: string;
  readonly date: string;
  readonly type: ElectionType;
}

/**
 * Maps Ohio SWVF lines to a voter plus the elections the voter took part in: the fixed columns
 * are read by header name, and every `TYPE-MM/DD/YYYY` column is an election (the set grows as
 * elections happen). A cell is empty (did not vote), `X` (voted) or the party ballot taken in a primary.
 */
export class OhioMapper implements VoterFileMapper {
  readonly format = 'ohio' as const;
  readonly keyColumn: string;
  readonly carriesVoters = true;
  readonly carriesHistory = true;
  private readonly index: ReadonlyMap<string, number>;
  private readonly elections: readonly ElectionColumn[];

  constructor(
    private readonly header: readonly string[],
    private readonly asOfYear: number,
  ) {
    this.index = new Map(header.map((name, position) => [name.trim().toLowerCase(), position]));
    const missing = OHIO_REQUIRED_COLUMNS.filter((column) => !this.index.has(column.toLowerCase()));
    if (missing.length > 0) throw new MissingColumnsError('ohio', missing, OHIO_REQUIRED_COLUMNS);
    this.keyColumn = this.columnName('SOS_VOTERID');
    this.elections = header.flatMap((raw, position) => {
      const name = raw.trim();
      if (!OHIO_ELECTION_COLUMN_PATTERN.test(name)) return [];
      const [prefix, date] = name.split('-');
      const parsed = parseDate(date);
      if (!parsed.ok || parsed.value === null) {
        throw new UnreadableVoterFileError(`The Ohio election column ${name} does not name a calendar date`, { column: name });
      }
      return [{ position, name, date: parsed.value, type: prefix.toLowerCase() as ElectionType }];
    });
  }

  map(lineNumber: number, fields: readonly string[]): MappedLine {
    if (fields.length !== this.header.length) {
      return rejected({ lineNumber, column: null, reason: `expected ${this.header.length} fields (as in the header), found ${fields.length}` });
    }
    const field = (name: OhioFixedColumn): string => {
      const position = this.index.get(name.toLowerCase());
      return position === undefined ? '' : fields[position];
    };
    const problem = (column: OhioFixedColumn, reason: string): MappedLine => rejected({ lineNumber, column: this.columnName(column), reason });

    const sourceVoterId = cleanText(field('SOS_VOTERID'));
    if (sourceVoterId === null) return problem('SOS_VOTERID', 'the voter id is empty');
    const countyNumber = field('COUNTY_NUMBER').trim();
    const county = /^\d{1,2}$/.test(countyNumber) ? OHIO_COUNTIES[Number(countyNumber) - 1] : undefined;
    if (county === undefined) return problem('COUNTY_NUMBER', `"${countyNumber}" is not an Ohio county number (1–88)`);
    const birthDate = parseDate(field('DATE_OF_BIRTH'));
    if (!birthDate.ok) return problem('DATE_OF_BIRTH', birthDate.reason);
    const birthYear = parseBirthYear(birthDate.value?.slice(0, 4) ?? '', this.asOfYear);
    if (!birthYear.ok) return problem('DATE_OF_BIRTH', birthYear.reason);
    const registration = parseDate(field('REGISTRATION_DATE'));
    if (!registration.ok) return problem('REGISTRATION_DATE', registration.reason);
    const zip = parseZip5(field('RESIDENTIAL_ZIP'));
    if (!zip.ok) return problem('RESIDENTIAL_ZIP', zip.reason);

    const street = cleanText(field('RESIDENTIAL_ADDRESS1'));
    const secondary = cleanText(field('RESIDENTIAL_SECONDARY_ADDR'));
    const partyCode = cleanText(field('PARTY_AFFILIATION'));
    return {
      voter: {
        sourceVoterId,
        firstName: cleanText(field('FIRST_NAME')),
        middleName: cleanText(field('MIDDLE_NAME')),
        lastName: cleanText(field('LAST_NAME')),
        nameSuffix: cleanText(field('SUFFIX')),
        residentialAddress: street !== null && secondary !== null ? `${street} ${secondary}` : (street ?? secondary),
        city: cleanText(field('RESIDENTIAL_CITY')),
        county,
        precinct: cleanText(field('PRECINCT_NAME')) ?? cleanText(field('PRECINCT_CODE')),
        zip5: zip.value,
        birthYear: birthYear.value,
        partyCode,
        party: this.partyOf(partyCode),
        genderCode: null,
        raceCode: null,
        ethnicityCode: null,
        raceEthnicity: StandardRaceEthnicity.Unknown,
        registrationDate: registration.value,
        registrationStatus: cleanText(field('VOTER_STATUS')),
        phones: [],
      },
      history: this.history(sourceVoterId, fields),
      rejection: null,
      dropped: [],
    };
  }

  private history(sourceVoterId: string, fields: readonly string[]): VoteHistoryEntry[] {
    const entries: VoteHistoryEntry[] = [];
    for (const election of this.elections) {
      const cell = fields[election.position].trim().toUpperCase();
      if (cell === '') continue;
      entries.push({
        sourceVoterId,
        electionDate: election.date,
        electionType: election.type,
        electionLabel: election.name,
        votingMethod: null,
        votedPartyCode: cell === 'X' ? null : cell,
      });
    }
    return entries;
  }

  // Ohio has no party registration: an empty affiliation means the voter took no party's primary
  // ballot lately, i.e. unaffiliated. Only a file without the column leaves the party unknown.
  private partyOf(partyCode: string | null): StandardParty {
    if (partyCode !== null) return normalizeParty(partyCode);
    return this.index.has('party_affiliation') ? StandardParty.Unaffiliated : StandardParty.Unknown;
  }

  /** The header's own spelling of a column, for problem reports. */
  private columnName(column: OhioFixedColumn): string {
    const position = this.index.get(column.toLowerCase());
    return position === undefined ? column : this.header[position].trim();
  }
}
