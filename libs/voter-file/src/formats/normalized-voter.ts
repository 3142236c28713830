import type { PhoneLineType } from '../phone-number.util';
import type { StandardParty } from '../normalization/party.normalizer';
import type { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';

export interface VoterPhone {
  readonly e164: string;
  readonly lineType: PhoneLineType;
}

/** One voter in the shape every format maps to; raw codes are kept beside the standard sets. */
export interface NormalizedVoter {
  readonly sourceVoterId: string;
  readonly firstName: string | null;
  readonly middleName: string | null;
  readonly lastName: string | null;
  readonly nameSuffix: string | null;
  readonly residentialAddress: string | null;
  readonly city: string | null;
  readonly county: string | null;
  readonly precinct: string | null;
  readonly zip5: string | null;
  readonly birthYear: number | null;
  readonly partyCode: string | null;
  readonly party: StandardParty;
  readonly genderCode: string | null;
  readonly raceCode: string | null;
  readonly ethnicityCode: string | null;
  readonly raceEthnicity: StandardRaceEthnicity;
  /** ISO date (YYYY-MM-DD). */
  readonly registrationDate: string | null;
  readonly registrationStatus: string | null;
  readonly phones: readonly VoterPhone[];
}

export type ElectionType = 'general' | 'primary' | 'special' | 'other';

/** One election a voter took part in, joined to the voter by the source voter id. */
export interface VoteHistoryEntry {
  readonly sourceVoterId: string;
  /** ISO date (YYYY-MM-DD). */
  readonly electionDate: string;
  readonly electionType: ElectionType;
  /** The file's own name for the election, e.g. `11/08/2016 GENERAL` or `GENERAL-11/03/2020`. */
  readonly electionLabel: string | null;
  readonly votingMethod: string | null;
  /** The party ballot taken in a primary, where the file says. */
  readonly votedPartyCode: string | null;
}

/** What is wrong with one line, precisely enough for a data lead to fix the file. */
export interface LineProblem {
  readonly lineNumber: number;
  /** The column's name in the file's header, or null for the line as a whole. */
  readonly column: string | null;
  readonly reason: string;
}

/**
 * A mapped line: the voter and/or vote history it carries (unless the line is rejected), the
 * rejection, and what was dropped while keeping the line (invalid phones).
 */
export interface MappedLine {
  readonly voter: NormalizedVoter | null;
  readonly history: readonly VoteHistoryEntry[];
  readonly rejection: LineProblem | null;
  readonly dropped: readonly LineProblem[];
}

export function rejectedLine(problem: LineProblem): MappedLine {
  return { voter: null, history: [], rejection: problem, dropped: [] };
}
