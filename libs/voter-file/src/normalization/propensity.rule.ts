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
 * The import applies the same rule in SQL (voter-staging.repository); a test holds the two equal.
 */
export function derivePropensity(input: PropensityInput, asOf: Date): Propensity {
  const { generalElectionsVoted: voted, generalElectionsEligible: eligible } = input;
  const registeredRecently = input.registrationDate !== null && input.registrationDate > twoYearsBefore(asOf);
  if (voted === 0 && (registeredRecently || eligible === 0)) return Propensity.New;
  if (voted >= 3 || (eligible >= 2 && eligible < 4 && voted === eligible)) return Propensity.Frequent;
  return Propensity.Occasional;
}

/** The ISO date two calendar years before `asOf`. */
export function twoYearsBefore(asOf: Date): string {
  return `${asOf.getUTCFullYear() - 2}-${asOf.toISOString().slice(5, 10)}`;
}

/**
 * The last four US general elections on or before `asOf`, newest first: the Tuesday after the
 * first Monday of November in even years. Computed, not listed, so the rule never goes stale.
 */
export function lastFourGeneralElections(asOf: Date): string[] {
  const dates: string[] = [];
  const asOfIso = asOf.toISOString().slice(0, 10);
  for (let year = asOf.getUTCFullYear() + (asOf.getUTCFullYear() % 2); dates.length < 4; year -= 2) {
    const date = generalElectionDay(year);
    if (date <= asOfIso) dates.push(date);
  }
  return dates;
}

function generalElectionDay(year: number): string {
  const firstOfNovember = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstMonday = 1 + ((8 - firstOfNovember) % 7);
  return new Date(Date.UTC(year, 10, firstMonday + 1)).toISOString().slice(0, 10);
}

/** How many of `generals` (newest first) a voter registered on `registrationDate` could vote in; unknown registration counts as all. */
export function generalElectionsEligible(registrationDate: string | null, generals: readonly string[]): number {
  if (registrationDate === null) return generals.length;
  return generals.filter((date) => date >= registrationDate).length;
}

/** The rule for voters with no recorded history yet, with the dates worked out once per import rather than per row. */
export class NewVoterPropensity {
  private readonly generalDays: readonly number[];
  private readonly cutoffDay: number;

  constructor(asOf: Date) {
    this.generalDays = lastFourGeneralElections(asOf).map(dayNumber);
    this.cutoffDay = dayNumber(twoYearsBefore(asOf));
  }

  of(registrationDate: string | null): Propensity {
    return this.ofDay(registrationDate === null ? null : dayNumber(registrationDate));
  }

  /** The same rule for a date written as the number YYYYMMDD, for callers that read dates digit by digit. */
  ofDay(registrationDay: number | null): Propensity {
    if (registrationDay === null) return Propensity.Occasional;
    if (registrationDay > this.cutoffDay) return Propensity.New;
    // Eligible for none of the last four generals (generalElectionsEligible = 0): registered after them all.
    return this.generalDays.some((general) => general >= registrationDay) ? Propensity.Occasional : Propensity.New;
  }
}

/** YYYY-MM-DD as the number YYYYMMDD, which orders as the dates do. */
function dayNumber(isoDate: string): number {
  return Number(isoDate.slice(0, 4)) * 10_000 + Number(isoDate.slice(5, 7)) * 100 + Number(isoDate.slice(8, 10));
}
