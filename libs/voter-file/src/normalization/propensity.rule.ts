export enum Propensity {
  New = 'new',
  Occasional = 'occasional',
  Frequent = 'frequent',
}

export interface PropensityInput {
  /** ISO date the voter registered, if known. */
  readonly registrationDate: string | null;
  /** How many of the last four general elections the voter voted in. */
  readonly generalElectionsVoted: number;
  /** How many of the last four general elections were held after the voter registered (0–4). */
  readonly generalElectionsEligible: number;
}

/**
 * The documented rule:
 * - new: never voted in a general election they were registered for, and registered within the
 *   last two years (or eligible for none of the last four);
 * - frequent: voted in at least three of the last four generals, or in every one since they registered
 *   when eligible for two or three;
 * - occasional: everyone else (the "moveable" middle the alliance targets).
 */
export function derivePropensity(input: PropensityInput, asOf: Date): Propensity {
  const { generalElectionsVoted: voted, generalElectionsEligible: eligible } = input;
  const registeredRecently = input.registrationDate !== null && asOf.getTime() - Date.parse(input.registrationDate) < 2 * 365.25 * 24 * 3600 * 1000;
  if (voted === 0 && (registeredRecently || eligible === 0)) return Propensity.New;
  if (voted >= 3 || (eligible >= 2 && eligible < 4 && voted === eligible)) return Propensity.Frequent;
  return Propensity.Occasional;
}
