import type { NormalizedVoter, VoteHistoryEntry } from '../formats/normalized-voter';
import type { Propensity } from '../normalization/propensity.rule';

// PostgreSQL's COPY text format: tab-separated, \N for null, backslash escapes for \ tab CR LF.
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function text(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (character) => ESCAPES[character]) : value;
}

function number(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

/** The staging_voter columns, in the order voterCopyLine writes them. */
export const STAGING_VOTER_COLUMNS = [
  'source_line',
  'source_voter_id',
  'first_name',
  'middle_name',
  'last_name',
  'name_suffix',
  'residential_address',
  'city',
  'county',
  'precinct',
  'zip5',
  'birth_year',
  'party_code',
  'party',
  'gender_code',
  'race_code',
  'ethnicity_code',
  'race_ethnicity',
  'registration_date',
  'registration_status',
  'phones',
  'propensity',
] as const;

/** One voter as a line of COPY text, written by hand: JSON.stringify per row would cost a second per million. */
export function voterCopyLine(lineNumber: number, voter: NormalizedVoter, propensity: Propensity): string {
  let phones = '[';
  for (let index = 0; index < voter.phones.length; index += 1) {
    const phone = voter.phones[index];
    // E.164 strings and line types never need JSON escaping.
    phones += `${index === 0 ? '' : ','}{"e164":"${phone.e164}","lineType":"${phone.lineType}"}`;
  }
  phones += ']';
  return `${lineNumber}\t${text(voter.sourceVoterId)}\t${text(voter.firstName)}\t${text(voter.middleName)}\t${text(voter.lastName)}\t${text(voter.nameSuffix)}\t${text(
    voter.residentialAddress,
  )}\t${text(voter.city)}\t${text(voter.county)}\t${text(voter.precinct)}\t${text(voter.zip5)}\t${number(voter.birthYear)}\t${text(voter.partyCode)}\t${
    voter.party
  }\t${text(voter.genderCode)}\t${text(voter.raceCode)}\t${text(voter.ethnicityCode)}\t${voter.raceEthnicity}\t${text(voter.registrationDate)}\t${text(
    voter.registrationStatus,
  )}\t${phones}\t${propensity}\n`;
}

export const STAGING_HISTORY_COLUMNS = [
  'line_number',
  'source_voter_id',
  'election_date',
  'election_type',
  'election_label',
  'voting_method',
  'voted_party_code',
] as const;

export function historyCopyLine(lineNumber: number, entry: VoteHistoryEntry): string {
  return `${lineNumber}\t${text(entry.sourceVoterId)}\t${entry.electionDate}\t${entry.electionType}\t${text(entry.electionLabel)}\t${text(
    entry.votingMethod,
  )}\t${text(entry.votedPartyCode)}\n`;
}
