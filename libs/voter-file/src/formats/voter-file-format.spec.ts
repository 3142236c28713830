import { NCVOTER_COLUMNS } from './ncvoter-columns.constant';
import { detectVoterFileFormat } from './voter-file-format';

describe('detectVoterFileFormat', () => {
  it.each([
    [[...NCVOTER_COLUMNS], 'ncvoter'],
    [['county_id', 'county_desc', 'voter_reg_num', 'election_lbl', 'election_desc', 'voting_method', 'ncid'], 'ncvhis'],
    [['SOS_VOTERID', 'COUNTY_NUMBER', 'LAST_NAME', 'GENERAL-11/03/2020'], 'ohio'],
    [['RegistrantID', 'CountyCode', 'LastName'], 'california'],
    [['id', 'name', 'phone'], undefined],
  ])('should recognise %p as %p', (header, format) => expect(detectVoterFileFormat(header)).toBe(format));
});
