/** The small standard party set every format maps to; the raw code is kept next to it. */
export enum StandardParty {
  Democratic = 'democratic',
  Republican = 'republican',
  Unaffiliated = 'unaffiliated',
  Libertarian = 'libertarian',
  Green = 'green',
  Other = 'other',
  Unknown = 'unknown',
}

const PARTY_BY_CODE: Readonly<Record<string, StandardParty>> = {
  DEM: StandardParty.Democratic,
  D: StandardParty.Democratic,
  DEMOCRATIC: StandardParty.Democratic,
  REP: StandardParty.Republican,
  R: StandardParty.Republican,
  REPUBLICAN: StandardParty.Republican,
  UNA: StandardParty.Unaffiliated,
  NPP: StandardParty.Unaffiliated,
  DTS: StandardParty.Unaffiliated,
  U: StandardParty.Unaffiliated,
  'NO PARTY PREFERENCE': StandardParty.Unaffiliated,
  'DECLINE TO STATE': StandardParty.Unaffiliated,
  UNAFFILIATED: StandardParty.Unaffiliated,
  LIB: StandardParty.Libertarian,
  L: StandardParty.Libertarian,
  LIBERTARIAN: StandardParty.Libertarian,
  GRE: StandardParty.Green,
  GRN: StandardParty.Green,
  G: StandardParty.Green,
  GREEN: StandardParty.Green,
};

export function normalizeParty(raw: string): StandardParty {
  const code = raw.trim().toUpperCase();
  if (code === '') return StandardParty.Unknown;
  return PARTY_BY_CODE[code] ?? StandardParty.Other;
}
