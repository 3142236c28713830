import { DomainErrorCode } from '@app/common';
import { StandardParty } from '../normalization/party.normalizer';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { GenericMapper, parseVoterFileMapping, VOTER_FIELDS, type VoterFileMapping } from './generic.mapper';
import { InvalidMappingError } from './invalid-mapping.error';
import { MissingColumnsError } from './missing-columns.error';

const MAPPING: VoterFileMapping = {
  columns: {
    'Voter ID': 'sourceVoterId',
    First: 'firstName',
    Last: 'lastName',
    Street: 'residentialAddress',
    Zip: 'zip5',
    DOB: 'birthDate',
    Party: 'partyCode',
    Race: 'raceCode',
    Hispanic: 'ethnicityCode',
    Registered: 'registrationDate',
    Cell: 'phone',
    Home: 'phone2',
    Work: 'phone3',
  },
};
const HEADER = ['HOME', 'voter id', 'First', 'LAST', 'Street', 'Zip', 'DOB', 'Party', 'Race', 'Hispanic', 'Registered', 'Cell', 'Work', 'Notes'];

describe('parseVoterFileMapping', () => {
  it('should accept a mapping of source columns to voter fields, with an optional delimiter', () => {
    expect(VOTER_FIELDS).toHaveLength(21);
    expect(parseVoterFileMapping({ columns: { ' ID ': 'sourceVoterId', Phone: 'phone' } })).toEqual({ columns: { ID: 'sourceVoterId', Phone: 'phone' } });
    expect(parseVoterFileMapping({ columns: { ID: 'sourceVoterId' }, delimiter: '|' })).toEqual({ columns: { ID: 'sourceVoterId' }, delimiter: '|' });
  });

  it.each([
    [null, 'The mapping must be a JSON object of the form { "columns": { "<source column>": "<field>", … } }'],
    [['ID', 'sourceVoterId'], 'The mapping must be a JSON object of the form { "columns": { "<source column>": "<field>", … } }'],
    ['ID=sourceVoterId', 'The mapping must be a JSON object of the form { "columns": { "<source column>": "<field>", … } }'],
    [{ column: { ID: 'sourceVoterId' } }, 'The mapping has unknown key(s) column; it takes "columns" and, optionally, "delimiter"'],
    [{ columns: 'ID' }, 'The mapping\'s "columns" must be an object of the form { "columns": { "<source column>": "<field>", … } }'],
    [{ columns: { ID: 'sourceVoterId' }, delimiter: 'tab' }, 'The mapping\'s delimiter must be one of "\\t", ",", "|", ";"'],
    [{ columns: { ID: 'sourceVoterId', ' ': 'phone' } }, 'The mapping has an empty source column name'],
    [
      { columns: { ID: 'sourceVoterId', Cell: 'cellPhone', Age: 7 } },
      `The mapping names unknown field(s) "cellPhone", 7; the fields are ${VOTER_FIELDS.join(', ')}`,
    ],
    [
      { columns: { ID: 'sourceVoterId', Cell: 'phone', Mobile: 'phone' } },
      'The field phone is mapped from more than one column (Cell, Mobile); map each field from one column',
    ],
    [{ columns: { ID: 'sourceVoterId', Cell: 'phone', CELL: 'phone2' } }, 'The source column Cell is mapped more than once (as "Cell", "CELL")'],
    [{ columns: { Cell: 'phone' } }, 'No column is mapped to sourceVoterId; the mapping must name the column holding the voter id'],
    [{ columns: { ID: 'sourceVoterId', Born: 'birthYear', DOB: 'birthDate' } }, 'Map either birthYear or birthDate, not both'],
  ])('should refuse %p: %p', (json, message) => {
    let thrown: unknown;
    try {
      parseVoterFileMapping(json);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidMappingError);
    expect(thrown).toMatchObject({ code: DomainErrorCode.ValidationFailed, message });
  });
});

describe('GenericMapper', () => {
  const mapper = new GenericMapper(HEADER, MAPPING, 2026);

  it('should match mapped columns to the header case-insensitively and key on the voter id column', () => {
    expect(mapper).toMatchObject({ format: 'generic', keyColumn: 'voter id', carriesVoters: true, carriesHistory: false });
  });

  it('should map a line through the normalizers, keeping the voter when a phone is invalid', () => {
    const fields = [
      '(510) 555-0123',
      ' V-1 ',
      'JOSÉ',
      'NÚÑEZ',
      '12  MAIN ST',
      '94607-1234',
      '19800615',
      'dem',
      'W',
      'HL',
      '2016-03-04',
      '510.555.0123',
      '555-0100',
      'n/a',
    ];
    expect(mapper.map(2, fields)).toEqual({
      voter: {
        sourceVoterId: 'V-1',
        firstName: 'JOSÉ',
        middleName: null,
        lastName: 'NÚÑEZ',
        nameSuffix: null,
        residentialAddress: '12 MAIN ST',
        city: null,
        county: null,
        precinct: null,
        zip5: '94607',
        birthYear: 1980,
        partyCode: 'dem',
        party: StandardParty.Democratic,
        genderCode: null,
        raceCode: 'W',
        ethnicityCode: 'HL',
        raceEthnicity: StandardRaceEthnicity.Hispanic,
        registrationDate: '2016-03-04',
        registrationStatus: null,
        phones: [{ e164: '+15105550123', lineType: 'unknown' }],
      },
      history: [],
      rejection: null,
      dropped: [{ lineNumber: 2, column: 'Work', reason: 'phone dropped: not a valid US number' }],
    });
  });

  it('should take a four-digit birthYear column as it is', () => {
    const byYear = new GenericMapper(['id', 'born'], { columns: { ID: 'sourceVoterId', Born: 'birthYear' } }, 2026);
    expect(byYear.map(2, ['1', '1975']).voter).toMatchObject({ birthYear: 1975, party: StandardParty.Unknown, raceEthnicity: StandardRaceEthnicity.Unknown });
    expect(byYear.map(3, ['1', '75']).rejection).toEqual({ lineNumber: 3, column: 'born', reason: '"75" is not a four-digit year' });
  });

  it('should refuse a header that lacks a mapped column, naming it and the mapped ones', () => {
    let thrown: unknown;
    try {
      new GenericMapper(['voter id', 'First'], { columns: { 'Voter ID': 'sourceVoterId', First: 'firstName', Cell: 'phone' } }, 2026);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MissingColumnsError);
    expect((thrown as MissingColumnsError).missing).toEqual(['Cell']);
    expect((thrown as Error).message).toBe('The generic file is missing the column(s) Cell; a generic file needs at least Voter ID, First, Cell');
  });

  it('should refuse a mapping built without a voter id column', () => {
    expect(() => new GenericMapper(['Cell'], { columns: { Cell: 'phone' } }, 2026)).toThrow(InvalidMappingError);
  });

  it.each([
    [{ 6: '02/30/1980' }, 'DOB', '"02/30/1980" is not a calendar date'],
    [{ 6: '2020-01-01' }, 'DOB', '2020 is not a plausible birth year for a voter'],
    [{ 10: 'last spring' }, 'Registered', '"last spring" is not a date (expected YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)'],
    [{ 5: '946' }, 'Zip', '"946" is not a ZIP code (expected 5 or 9 digits)'],
    [{ 1: '' }, 'voter id', 'the voter id is empty'],
  ])('should reject a line with %p at column %p: %p', (change, column, reason) => {
    const fields = Object.assign(['', 'V-1', 'ANA', 'SMITH', '', '', '', '', '', '', '', '', '', ''], change);
    expect(mapper.map(5, fields)).toEqual({ voter: null, history: [], rejection: { lineNumber: 5, column, reason }, dropped: [] });
  });

  it('should reject a line whose field count differs from the header', () => {
    expect(mapper.map(4, ['V-1']).rejection).toEqual({ lineNumber: 4, column: null, reason: 'expected 14 fields (as in the header), found 1' });
  });
});
