export const MASK = '[masked]';

/**
 * Keys whose values identify a voter or volunteer (names, addresses, phones, message bodies,
 * credentials). Matched case-insensitively at any depth of a logged object.
 */
const SENSITIVE_KEYS = new Set(
  [
    'phone',
    'phones',
    'phoneNumber',
    'phone_number',
    'mobile',
    'landline',
    'to',
    'from',
    'callerId',
    'caller',
    'called',
    'firstName',
    'first_name',
    'middleName',
    'middle_name',
    'lastName',
    'last_name',
    'fullName',
    'full_name',
    'displayName',
    'display_name',
    'voterName',
    'address',
    'address1',
    'address2',
    'street',
    'streetAddress',
    'residentialAddress',
    'mailingAddress',
    'residential_address',
    'mailing_address',
    'body',
    'messageBody',
    'message_body',
    'text',
    'transcript',
    'email',
    'password',
    'passwordHash',
    'password_hash',
    'token',
    'authorization',
    'cookie',
    'set-cookie',
  ].map((key) => key.toLowerCase()),
);

// A North American number in any usual spelling, or any E.164 number. The look-arounds keep
// longer digit runs (timestamps, ids) intact.
const NORTH_AMERICAN_PHONE = /(?<![\w+])(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w])/gi;
const INTERNATIONAL_PHONE = /(?<![\w+])(?:\+|%2B)\d{7,15}(?!\d)/gi;

export function maskPhoneNumbers(text: string): string {
  return text.replace(INTERNATIONAL_PHONE, MASK).replace(NORTH_AMERICAN_PHONE, MASK);
}

// One JSON string literal, escapes included.
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/** Masks phone numbers inside the string values of a serialized JSON line, leaving numbers and structure intact. */
export function maskPhoneNumbersInJson(line: string): string {
  return line.replace(JSON_STRING, (literal) => {
    // Decoded first, so an escape such as \n in front of a number cannot hide it.
    const text = JSON.parse(literal) as string;
    const masked = maskPhoneNumbers(text);
    return masked === text ? literal : JSON.stringify(masked);
  });
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase());
}

/** A copy of plain objects and arrays with sensitive keys masked; other objects pass through untouched. */
export function maskSensitiveFields(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskSensitiveFields(item, depth + 1));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      isSensitiveKey(key) && item !== undefined && item !== null ? MASK : maskSensitiveFields(item, depth + 1),
    ]),
  );
}
