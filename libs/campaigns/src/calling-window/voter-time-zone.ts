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
] as const;

/** The IANA zone of a US ZIP code, or null when the code is unknown (then the strictest window applies). */
export function timeZoneOfZip(zip5: string | null): string | null {
  if (zip5 === null || !/^\d{5}$/.test(zip5)) return null;
  return lookup(zip5);
}
