import { MissingColumnsError } from './missing-columns.error';
import { NCVHIS_COLUMNS, NcvhisMapper } from './ncvhis.mapper';

const line = (values: Partial<Record<(typeof NCVHIS_COLUMNS)[number], string>>): string[] => NCVHIS_COLUMNS.map((column) => values[column] ?? '');

describe('NcvhisMapper', () => {
  const mapper = new NcvhisMapper([...NCVHIS_COLUMNS]);

  it('should describe a history-only layout keyed by ncid', () => {
    expect(NCVHIS_COLUMNS).toHaveLength(15);
    expect(mapper).toMatchObject({ format: 'ncvhis', keyColumn: 'ncid', carriesVoters: false, carriesHistory: true });
  });

  it('should map a line in the published layout to one vote-history entry', () => {
    const fields = line({
      county_id: '92',
      county_desc: 'WAKE',
      voter_reg_num: '000009005990',
      election_lbl: '11/08/2022',
      election_desc: '11/08/2022 GENERAL',
      voting_method: 'ABSENTEE  ONESTOP ',
      voted_party_cd: 'UNA',
      voted_party_desc: 'UNAFFILIATED',
      pct_label: '01-07',
      ncid: 'BN123456',
      vtd_label: '01-07',
    });
    expect(mapper.map(2, fields)).toEqual({
      voter: null,
      history: [
        {
          sourceVoterId: 'BN123456',
          electionDate: '2022-11-08',
          electionType: 'general',
          electionLabel: '11/08/2022 GENERAL',
          votingMethod: 'ABSENTEE ONESTOP',
          votedPartyCode: 'UNA',
        },
      ],
      rejection: null,
      dropped: [],
    });
  });

  it('should read columns by name, in any order, upper-cased and as a subset', () => {
    const subset = new NcvhisMapper(['VOTING_METHOD', ' Election_Lbl ', 'NCID']);
    expect(subset.map(3, ['IN-PERSON', '3/15/2016', 'AA1']).history).toEqual([
      { sourceVoterId: 'AA1', electionDate: '2016-03-15', electionType: 'other', electionLabel: null, votingMethod: 'IN-PERSON', votedPartyCode: null },
    ]);
  });

  it.each([
    ['11/08/2016 GENERAL', 'general'],
    ['03/15/2016 PRIMARY', 'primary'],
    ['04/30/2019 special', 'special'],
    ['09/10/2019 SPECIAL GENERAL', 'general'],
    ['11/05/2019 MUNICIPAL', 'other'],
    ['', 'other'],
  ])('should read the election description %p as a %p election', (description, type) => {
    const [entry] = mapper.map(2, line({ ncid: 'AA1', election_lbl: '11/08/2016', election_desc: description })).history;
    expect(entry.electionType).toBe(type);
  });

  it('should refuse a header without ncid or election_lbl, naming them', () => {
    expect(() => new NcvhisMapper(['county_id', 'voting_method'])).toThrow(MissingColumnsError);
    expect(() => new NcvhisMapper(['county_id', 'ncid'])).toThrow(
      'The ncvhis file is missing the column(s) election_lbl; a ncvhis file needs at least ncid, election_lbl',
    );
  });

  it.each([
    [['AA1', '02/30/2020', 'GENERAL'], 'election_lbl', '"02/30/2020" is not a calendar date'],
    [['AA1', '2020', 'GENERAL'], 'election_lbl', '"2020" is not a date (expected MM/DD/YYYY or YYYY-MM-DD)'],
    [['AA1', ' ', 'GENERAL'], 'election_lbl', 'the election date is empty'],
    [['', '11/03/2020', 'GENERAL'], 'ncid', 'the voter id is empty'],
    [['AA1', '11/03/2020'], null, 'expected 3 fields (as in the header), found 2'],
  ])('should reject line %p at column %p: %p', (fields, column, reason) => {
    const subset = new NcvhisMapper(['ncid', 'election_lbl', 'election_desc']);
    expect(subset.map(9, fields)).toEqual({ voter: null, history: [], rejection: { lineNumber: 9, column, reason }, dropped: [] });
  });
});
