import { lookup } from 'zipcode-to-timezone';

/**
 * Every zone `timeZoneOfZip` can answer (the ZIP table's own list). The call list is filtered by
 * the ones whose window is open, which is cheaper than asking the database which zones it holds.
 */
export const VOTER_TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Kentucky/Louisville',
  'America/Indiana/Indianapolis',
  'America/Detroit',
  'America/Boise',
  'America/Phoenix',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Indiana/Knox',
  'America/Indiana/Winamac',
  'America/Indiana/Vevay',
  'America/Indiana/Marengo',
  'America/Indiana/Vincennes',
  'America/Indiana/Tell_City',
  'America/Indiana/Petersburg',
  'America/Menominee',
  'America/Shiprock',
  'America/Nome',
  'America/Juneau',
  'America/Kentucky/Monticello',
  'America/North_Dakota/Center',
  'America/Yakutat',
  'America/Adak',
  'America/Puerto_Rico',
  'America/St_Thomas',
  'Pacific/Guam',
  'Pacific/Saipan',
  'Pacific/Pago_Pago',
] as const;

/**
 * Where the ZIP table is wrong or silent: the Aleutians west of 169°30′ keep Hawaii–Aleutian time,
 * and the territories are not in it at all. Checked before the table.
 */
const ZONE_BY_ZIP: ReadonlyArray<readonly [RegExp, string]> = [
  [/^9954[67]$/, 'America/Adak'],
  [/^00(6|7|9)\d\d$/, 'America/Puerto_Rico'],
  [/^008\d\d$/, 'America/St_Thomas'],
  [/^9691\d$|^9692\d$|^9693[0-2]$/, 'Pacific/Guam'],
  [/^9695[0-2]$/, 'Pacific/Saipan'],
  [/^96799$/, 'Pacific/Pago_Pago'],
];

/** The IANA zone of a US ZIP code, or null when the code is unknown (then the strictest window applies). */
export function timeZoneOfZip(zip5: string | null): string | null {
  if (zip5 === null || !/^\d{5}$/.test(zip5)) return null;
  const override = ZONE_BY_ZIP.find(([pattern]) => pattern.test(zip5));
  return override?.[1] ?? lookup(zip5);
}
