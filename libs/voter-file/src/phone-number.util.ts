import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneLineType = 'mobile' | 'landline' | 'voip' | 'unknown';

export type NormalizedPhone = { readonly ok: true; readonly e164: string; readonly lineType: PhoneLineType } | { readonly ok: false; readonly reason: string };

// Full-metadata parsing costs ~20 µs a number, which alone would double a statewide import.
// In the NANP metadata, validity and line type are decided by the first six digits (area code
// and exchange; every US pattern ends in a free \d{4}), so a verdict is computed once per
// NPA-NXX and reused. phone-number.spec checks the cache against the slow path on random numbers.
const LINE_TYPES: readonly PhoneLineType[] = ['mobile', 'landline', 'voip', 'unknown'];
const UNJUDGED = -1;
const INVALID = -2;
const verdictByPrefix = new Int8Array(1_000_000).fill(UNJUDGED);

/**
 * A voter-file phone in E.164, validated against full metadata (not just its length), with the
 * line type where the numbering plan tells it. US numbers mostly say "fixed line or mobile":
 * that stays `unknown`, and unknown numbers are dialed only on a volunteer's action.
 */
export function normalizePhone(raw: string, defaultCountry: 'US' = 'US'): NormalizedPhone {
  const national = plainNanpNationalNumber(raw);
  return national === null ? normalizePhoneWithoutCache(raw, defaultCountry) : fromPrefixCache(national, defaultCountry);
}

/**
 * The ten national digits of a plainly written North American number (digits with spaces,
 * dots, dashes, parentheses, an optional leading 1 or +1), or null for anything else
 * (extensions, letters, other countries, placeholders), which the full parser handles and
 * words. A hand-written scan: it runs once per phone of a statewide file.
 */
function plainNanpNationalNumber(raw: string): string | null {
  let count = 0;
  let plus = false;
  for (let index = 0; index < raw.length; index += 1) {
    const code = raw.charCodeAt(index);
    if (code >= 48 && code <= 57) count += 1;
    else if (code === 43 && count === 0 && !plus) plus = true;
    else if (code !== 32 && code !== 40 && code !== 41 && code !== 45 && code !== 46) return null;
  }
  // Most files write bare digits: then the text is the number, with no new string made.
  const digits = count === raw.length ? raw : raw.replace(/\D/g, '');
  const national = digits.length === 11 && digits[0] === '1' ? digits.slice(1) : digits.length === 10 && !plus ? digits : null;
  // Area codes start 2–9; anything else is left to the full parser.
  return national !== null && national[0] >= '2' ? national : null;
}

function fromPrefixCache(national: string, defaultCountry: 'US'): NormalizedPhone {
  // The six leading digits as a number index a table of verdicts: no string key to hash per phone.
  let prefix = 0;
  for (let index = 0; index < 6; index += 1) prefix = prefix * 10 + national.charCodeAt(index) - 48;
  const lineType = nanpLineTypeByPrefix(prefix, () => national);
  return lineType === null ? { ok: false, reason: `not a valid ${defaultCountry} number` } : { ok: true, e164: `+1${national}`, lineType };
}

/**
 * The line type of a valid North American number from its first six national digits (area code
 * and exchange, as the number NNNNNN), or null when such numbers are not valid. `national` gives
 * the ten digits as text, asked for only the first time a prefix is seen.
 */
export function nanpLineTypeByPrefix(prefix: number, national: () => string): PhoneLineType | null {
  let verdict = verdictByPrefix[prefix];
  if (verdict === UNJUDGED) {
    const digits = national();
    const parsed = parseFully(digits, digits, 'US');
    verdict = parsed.ok ? LINE_TYPES.indexOf(parsed.lineType) : INVALID;
    verdictByPrefix[prefix] = verdict;
  }
  return verdict === INVALID ? null : LINE_TYPES[verdict];
}

function parseFully(trimmed: string, digits: string, defaultCountry: 'US'): NormalizedPhone {
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed) return { ok: false, reason: `not a phone number: ${digits.length} digits` };
  if (!parsed.isValid()) return { ok: false, reason: `not a valid ${parsed.country ?? defaultCountry} number` };
  return { ok: true, e164: parsed.number, lineType: lineTypeOf(parsed.getType()) };
}

/** The uncached path, for tests that prove the cache agrees with it. */
export function normalizePhoneWithoutCache(raw: string, defaultCountry: 'US' = 'US'): NormalizedPhone {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const digits = trimmed.replace(/\D/g, '');
  if (/^0+$/.test(digits)) return { ok: false, reason: 'placeholder number (all zeros)' };
  return parseFully(trimmed, digits, defaultCountry);
}

function lineTypeOf(type: string | undefined): PhoneLineType {
  switch (type) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'landline';
    case 'VOIP':
      return 'voip';
    default:
      return 'unknown';
  }
}
