/** The standard race/ethnicity set; Hispanic or Latino ethnicity takes precedence over race, as in census reporting. */
export enum StandardRaceEthnicity {
  Hispanic = 'hispanic',
  White = 'white',
  Black = 'black',
  Asian = 'asian',
  NativeAmerican = 'native_american',
  PacificIslander = 'pacific_islander',
  Multiracial = 'multiracial',
  Other = 'other',
  Unknown = 'unknown',
}

const RACE_BY_CODE: Readonly<Record<string, StandardRaceEthnicity>> = {
  W: StandardRaceEthnicity.White,
  B: StandardRaceEthnicity.Black,
  A: StandardRaceEthnicity.Asian,
  I: StandardRaceEthnicity.NativeAmerican,
  P: StandardRaceEthnicity.PacificIslander,
  M: StandardRaceEthnicity.Multiracial,
  O: StandardRaceEthnicity.Other,
  U: StandardRaceEthnicity.Unknown,
};

/** North Carolina's race_code (W, B, A, I, P, M, O, U) and ethnic_code (HL, NL, UN). */
export function normalizeRaceEthnicity(raceCode: string, ethnicCode: string): StandardRaceEthnicity {
  if (ethnicCode.trim().toUpperCase() === 'HL') return StandardRaceEthnicity.Hispanic;
  return RACE_BY_CODE[raceCode.trim().toUpperCase()] ?? StandardRaceEthnicity.Unknown;
}
