import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneLineType = 'mobile' | 'landline' | 'voip' | 'unknown';

export type NormalizedPhone = { readonly ok: true; readonly e164: string; readonly lineType: PhoneLineType } | { readonly ok: false; readonly reason: string };

/**
 * A voter-file phone in E.164, validated against full metadata (not just its length), with the
 * line type where the numbering plan tells it. US numbers mostly say "fixed line or mobile":
 * that stays `unknown`, and unknown numbers are dialed only on a volunteer's action.
 */
export function normalizePhone(raw: string, defaultCountry: 'US' = 'US'): NormalizedPhone {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const digits = trimmed.replace(/\D/g, '');
  if (/^0+$/.test(digits)) return { ok: false, reason: 'placeholder number (all zeros)' };
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed) return { ok: false, reason: `not a phone number: ${digits.length} digits` };
  if (!parsed.isValid()) return { ok: false, reason: `not a valid ${parsed.country ?? defaultCountry} number` };
  return { ok: true, e164: parsed.number, lineType: lineTypeOf(parsed.getType()) };
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
