import { randomBytes } from 'node:crypto';

export const TWILIO_API_VERSION = '2010-04-01';

/** `Tue, 31 Aug 2010 20:36:28 +0000`, the RFC-2822 form of every date Twilio writes. */
export function toRfc2822(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace(/GMT$/, '+0000');
}

/** A resource SID: the two-letter prefix (CA, SM) and 32 hex digits. */
export function newSid(prefix: 'CA' | 'SM' | 'CF'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** `(415) 867-5309` for a North American number, the E.164 form otherwise, as Twilio's `*_formatted` fields. */
export function formatForDisplay(phoneNumber: string): string {
  const northAmerican = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phoneNumber);
  return northAmerican ? `(${northAmerican[1]}) ${northAmerican[2]}-${northAmerican[3]}` : phoneNumber;
}
