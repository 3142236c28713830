import { DomainErrorCode, DomainException } from '@app/common';
import { ageFromBirthYear, birthYearBounds, parseVoterFilter, parseVoterFilterCriteria, type VoterFilterInput } from './voter-filter';

const ALLIANCE = '8a6e0804-2bd0-4672-b79d-d4f5c7a0d1c1';

function refusal(input: VoterFilterInput, options?: Parameters<typeof parseVoterFilterCriteria>[1]): DomainException {
  try {
    parseVoterFilterCriteria(input, options);
  } catch (error) {
    if (error instanceof DomainException) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('parseVoterFilterCriteria', () => {
  it('should match active voters only and nothing else when given no parameters', () => {
    expect(parseVoterFilterCriteria({})).toEqual({ active: true });
    expect(parseVoterFilter(ALLIANCE, {})).toEqual({ allianceId: ALLIANCE, active: true });
  });

  it('should read every parameter', () => {
    const criteria = parseVoterFilterCriteria({
      county: 'WAKE',
      precinct: '01-07',
      zip: '27601',
      city: 'RALEIGH',
      party: 'democratic',
      ageMin: '18',
      ageMax: '35',
      propensity: 'occasional',
      raceEthnicity: 'native_american',
      hasPhone: 'true',
      active: 'false',
    });
    expect(criteria).toEqual({
      counties: ['WAKE'],
      precincts: ['01-07'],
      zips: ['27601'],
      cities: ['RALEIGH'],
      parties: ['democratic'],
      ageMin: 18,
      ageMax: 35,
      propensities: ['occasional'],
      raceEthnicities: ['native_american'],
      hasPhone: true,
      active: false,
    });
  });

  it('should accept comma-separated and repeated values alike, trimmed and without repeats', () => {
    expect(parseVoterFilterCriteria({ county: 'WAKE, DURHAM' }).counties).toEqual(['WAKE', 'DURHAM']);
    expect(parseVoterFilterCriteria({ county: ['WAKE', 'DURHAM,ORANGE', 'WAKE'] }).counties).toEqual(['WAKE', 'DURHAM', 'ORANGE']);
    expect(parseVoterFilterCriteria({ zip: '27601,27603' }).zips).toEqual(['27601', '27603']);
    expect(parseVoterFilterCriteria({ party: 'democratic,green' }).parties).toEqual(['democratic', 'green']);
    expect(parseVoterFilterCriteria({ propensity: ['new', 'frequent'] }).propensities).toEqual(['new', 'frequent']);
  });

  it('should upper-case place values, as voter files store them, and collapse inner runs of spaces', () => {
    expect(parseVoterFilterCriteria({ city: 'Chapel  Hill' }).cities).toEqual(['CHAPEL HILL']);
  });

  it('should read standard-set values and booleans in any case', () => {
    expect(parseVoterFilterCriteria({ party: 'Republican', raceEthnicity: 'BLACK', hasPhone: 'FALSE' })).toMatchObject({
      parties: ['republican'],
      raceEthnicities: ['black'],
      hasPhone: false,
    });
  });

  it('should treat blank values as not given, as an empty form field sends them', () => {
    expect(parseVoterFilterCriteria({ county: '', zip: ' , ', ageMin: '', hasPhone: ' ', party: [] })).toEqual({ active: true });
  });

  it.each([
    [{ party: 'dem' }, 'party', 'party must be one of democratic, republican, unaffiliated, libertarian, green, other, unknown; got "dem"'],
    [{ party: 'democratic,dem' }, 'party', 'got "dem"'],
    [{ propensity: 'sometimes' }, 'propensity', 'propensity must be one of new, occasional, frequent; got "sometimes"'],
    [
      { raceEthnicity: 'latino' },
      'raceEthnicity',
      'raceEthnicity must be one of hispanic, white, black, asian, native_american, pacific_islander, multiracial, other, unknown; got "latino"',
    ],
    [{ zip: '2760' }, 'zip', 'zip must be five-digit ZIP codes; got "2760"'],
    [{ zip: '27601-1234' }, 'zip', 'zip must be five-digit ZIP codes; got "27601-1234"'],
    [{ ageMin: 'eighteen' }, 'ageMin', 'ageMin must be a whole number from 0 to 130; got "eighteen"'],
    [{ ageMin: '-1' }, 'ageMin', 'ageMin must be a whole number from 0 to 130; got "-1"'],
    [{ ageMax: '17.5' }, 'ageMax', 'ageMax must be a whole number from 0 to 130; got "17.5"'],
    [{ ageMax: '131' }, 'ageMax', 'ageMax must be a whole number from 0 to 130; got "131"'],
    [{ ageMin: '40', ageMax: '30' }, 'ageMin', 'ageMin (40) must not be greater than ageMax (30)'],
    [{ ageMin: ['20', '30'] }, 'ageMin', 'ageMin takes one value; got 2'],
    [{ hasPhone: 'yes' }, 'hasPhone', 'hasPhone must be true or false; got "yes"'],
    [{ active: '1' }, 'active', 'active must be true or false; got "1"'],
    [{ county: 'X'.repeat(101) }, 'county', 'county values must be at most 100 characters; got one of 101'],
    [{ precinct: Array.from({ length: 1001 }, (_, index) => String(index)).join(',') }, 'precinct', 'precinct takes at most 1000 values; got 1001'],
  ])('should refuse %p naming %s', (input, parameter, message) => {
    const error = refusal(input);
    expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    expect(error.message).toContain(message);
    expect(error.details).toMatchObject({ parameter });
  });

  it('should list the allowed values in the details for the standard sets', () => {
    expect(refusal({ propensity: 'x' }).details).toEqual({ parameter: 'propensity', allowed: ['new', 'occasional', 'frequent'] });
  });

  it('should name parameters the way the caller spells them', () => {
    const label = (parameter: string) => `--${parameter.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    expect(refusal({ ageMin: '40', ageMax: '30' }, { label }).message).toBe('--age-min (40) must not be greater than --age-max (30)');
    expect(refusal({ raceEthnicity: 'x' }, { label }).details).toMatchObject({ parameter: '--race-ethnicity' });
  });
});

describe('birthYearBounds and ageFromBirthYear', () => {
  it('should turn ages into birth years by the rule ages are shown with', () => {
    expect(birthYearBounds({ ageMin: 18, ageMax: 35 }, 2026)).toEqual({ latest: 2008, earliest: 1991 });
    expect(birthYearBounds({ ageMin: 65 }, 2026)).toEqual({ latest: 1961 });
    expect(birthYearBounds({}, 2026)).toEqual({});
    expect(ageFromBirthYear(2008, 2026)).toBe(18);
    expect(ageFromBirthYear(1991, 2026)).toBe(35);
    expect(ageFromBirthYear(null, 2026)).toBeNull();
  });
});
