import { lookup } from 'zipcode-to-timezone';

/** The IANA zone of a US ZIP code, or null when the code is unknown (then the strictest window applies). */
export function timeZoneOfZip(zip5: string | null): string | null {
  if (zip5 === null || !/^\d{5}$/.test(zip5)) return null;
  return lookup(zip5);
}
