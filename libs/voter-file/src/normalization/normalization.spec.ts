import { cleanText, parseBirthYear, parseDate, parseZip5 } from './field-parsers.util';
import { normalizeParty, StandardParty } from './party.normalizer';
import { derivePropensity, generalElectionsEligible, lastFourGeneralElections, NewVoterPropensity, Propensity } from './propensity.rule';
import { normalizeRaceEthnicity, StandardRaceEthnicity } from './race-ethnicity.normalizer';

describe('voter-file normalization', () => {
  it.each([
    ['DEM', StandardParty.Democratic],
    [' rep ', StandardParty.Republican],
    ['UNA', StandardParty.Unaffiliated],
    ['NPP', StandardParty.Unaffiliated],
    ['LIB', StandardParty.Libertarian],
    ['GRE', StandardParty.Green],
    ['CST', StandardParty.Other],
    ['', StandardParty.Unknown],
  ])('should map party %p to %p', (raw, party) => expect(normalizeParty(raw)).toBe(party));

  it.each([
    ['W', 'NL', StandardRaceEthnicity.White],
    ['W', 'HL', StandardRaceEthnicity.Hispanic],
    ['B', 'UN', StandardRaceEthnicity.Black],
    ['A', 'NL', StandardRaceEthnicity.Asian],
    ['I', 'NL', StandardRaceEthnicity.NativeAmerican],
    ['P', 'NL', StandardRaceEthnicity.PacificIslander],
    ['M', 'NL', StandardRaceEthnicity.Multiracial],
    ['U', 'UN', StandardRaceEthnicity.Unknown],
    ['Z', 'NL', StandardRaceEthnicity.Unknown],
  ])('should map race %p with ethnicity %p to %p', (race, ethnicity, standard) => expect(normalizeRaceEthnicity(race, ethnicity)).toBe(standard));

  it.each([
    ['04/27/2023', '2023-04-27'],
    ['4/7/2023', '2023-04-07'],
    ['2020-11-03', '2020-11-03'],
    ['', null],
  ])('should parse the date %p', (raw, iso) => expect(parseDate(raw)).toEqual({ ok: true, value: iso }));

  it.each([
    ['02/30/2023', '"02/30/2023" is not a calendar date'],
    ['13/01/2023', '"13/01/2023" is not a calendar date'],
    ['yesterday', '"yesterday" is not a date (expected MM/DD/YYYY or YYYY-MM-DD)'],
  ])('should reject the date %p naming why', (raw, reason) => expect(parseDate(raw)).toEqual({ ok: false, reason }));

  it('should accept plausible birth years only', () => {
    expect(parseBirthYear('1977', 2026)).toEqual({ ok: true, value: 1977 });
    expect(parseBirthYear('', 2026)).toEqual({ ok: true, value: null });
    expect(parseBirthYear('2015', 2026)).toEqual({ ok: false, reason: '2015 is not a plausible birth year for a voter' });
    expect(parseBirthYear('77', 2026)).toEqual({ ok: false, reason: '"77" is not a four-digit year' });
  });

  it.each([
    ['27845', '27845'],
    ['278456710', '27845'],
    ['27845-6710', '27845'],
    ['2108', '02108'],
    ['', null],
  ])('should take ZIP5 of %p', (raw, zip) => expect(parseZip5(raw)).toEqual({ ok: true, value: zip }));

  it('should reject what is not a ZIP code', () => {
    expect(parseZip5('ABCDE')).toEqual({ ok: false, reason: '"ABCDE" is not a ZIP code' });
    expect(parseZip5('123')).toEqual({ ok: false, reason: '"123" is not a ZIP code (expected 5 or 9 digits)' });
  });

  it('should trim and collapse padded text, and keep formula-looking cells as plain text', () => {
    expect(cleanText('  421  WHITT AVE   ')).toBe('421 WHITT AVE');
    expect(cleanText('   ')).toBeNull();
    expect(cleanText('=HYPERLINK("x")')).toBe('=HYPERLINK("x")');
  });

  describe('derivePropensity', () => {
    const asOf = new Date('2026-11-23T00:00:00Z');
    it.each([
      [{ registrationDate: '2025-06-01', generalElectionsVoted: 0, generalElectionsEligible: 1 }, Propensity.New],
      [{ registrationDate: null, generalElectionsVoted: 0, generalElectionsEligible: 0 }, Propensity.New],
      [{ registrationDate: '2010-01-01', generalElectionsVoted: 4, generalElectionsEligible: 4 }, Propensity.Frequent],
      [{ registrationDate: '2010-01-01', generalElectionsVoted: 3, generalElectionsEligible: 4 }, Propensity.Frequent],
      [{ registrationDate: '2021-01-01', generalElectionsVoted: 2, generalElectionsEligible: 2 }, Propensity.Frequent],
      [{ registrationDate: '2010-01-01', generalElectionsVoted: 1, generalElectionsEligible: 4 }, Propensity.Occasional],
      [{ registrationDate: '2010-01-01', generalElectionsVoted: 0, generalElectionsEligible: 4 }, Propensity.Occasional],
    ])('should classify %p as %p', (input, propensity) => expect(derivePropensity(input, asOf)).toBe(propensity));
  });
});

describe('general elections for propensity', () => {
  it('should list the last four November general elections on or before the date, newest first', () => {
    expect(lastFourGeneralElections(new Date('2026-11-23T00:00:00Z'))).toEqual(['2026-11-03', '2024-11-05', '2022-11-08', '2020-11-03']);
    expect(lastFourGeneralElections(new Date('2026-11-02T00:00:00Z'))).toEqual(['2024-11-05', '2022-11-08', '2020-11-03', '2018-11-06']);
    expect(lastFourGeneralElections(new Date('2025-06-01T00:00:00Z'))).toEqual(['2024-11-05', '2022-11-08', '2020-11-03', '2018-11-06']);
  });

  it('should count the elections held on or after registration', () => {
    const generals = ['2026-11-03', '2024-11-05', '2022-11-08', '2020-11-03'];
    expect(generalElectionsEligible(null, generals)).toBe(4);
    expect(generalElectionsEligible('2024-11-05', generals)).toBe(2);
    expect(generalElectionsEligible('2026-11-04', generals)).toBe(0);
  });
});

describe('NewVoterPropensity', () => {
  it('should agree with derivePropensity for voters without history', () => {
    const asOf = new Date('2026-11-23T00:00:00Z');
    const judge = new NewVoterPropensity(asOf);
    const generals = lastFourGeneralElections(asOf);
    for (const registrationDate of [null, '1990-01-01', '2020-11-03', '2020-11-04', '2024-11-05', '2024-11-23', '2024-11-24', '2026-11-03', '2026-11-20']) {
      const expected = derivePropensity(
        { registrationDate, generalElectionsVoted: 0, generalElectionsEligible: generalElectionsEligible(registrationDate, generals) },
        asOf,
      );
      expect(judge.of(registrationDate)).toBe(expected);
    }
  });
});

describe('parseDate on every day', () => {
  it('should read MM/DD/YYYY and YYYY-MM-DD exactly as the calendar has them, and refuse the days it lacks', () => {
    // Leap years and the century rules (1900 is not one, 2000 is), and ordinary years.
    for (const year of [1899, 1900, 1904, 1999, 2000, 2023, 2024, 2026, 2100]) {
      for (let month = 1; month <= 12; month += 1) {
        for (let day = 1; day <= 31; day += 1) {
          const date = new Date(Date.UTC(year, month - 1, day));
          const real = date.getUTCMonth() === month - 1;
          const [mm, dd] = [String(month).padStart(2, '0'), String(day).padStart(2, '0')];
          const expected = real ? { ok: true, value: `${year}-${mm}-${dd}` } : { ok: false, reason: expect.stringContaining('is not a calendar date') };
          expect(parseDate(`${mm}/${dd}/${year}`)).toEqual(expected);
          expect(parseDate(`${year}-${mm}-${dd}`)).toEqual(expected);
        }
      }
    }
  });
});
