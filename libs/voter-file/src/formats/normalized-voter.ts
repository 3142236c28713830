import type { PhoneLineType } from '../phone-number.util';
import type { StandardParty } from '../normalization/party.normalizer';
import type { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';

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
  readonly registrationDate: string | null;
  readonly registrationStatus: string | null;
  readonly phones: ReadonlyArray<{ readonly e164: string; readonly lineType: PhoneLineType }>;
}

/** What is wrong with one line, precisely enough for a data lead to fix the file. */
export interface LineProblem {
  readonly lineNumber: number;
  /** The column's name in the file's header, or null for the line as a whole. */
  readonly column: string | null;
  readonly reason: string;
}

/** A mapped line: the voter (unless the line is rejected), the rejection, and what was dropped (invalid phones). */
export interface MappedLine {
  readonly voter: NormalizedVoter | null;
  readonly rejection: LineProblem | null;
  readonly dropped: readonly LineProblem[];
}
