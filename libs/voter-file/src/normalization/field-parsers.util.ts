/** Field parsers shared by every format. Each returns the value, or a reason the caller reports with line and column. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

// A statewide file repeats the same few thousand dates a million times; parsing each once
// halves the cost of mapping a line. Cleared when full so memory stays bounded.
const parsedDates = new Map<string, Parsed<string | null>>();
const PARSED_DATES_LIMIT = 100_000;

/** MM/DD/YYYY (NC, California) or YYYY-MM-DD (Ohio) to an ISO date; empty is null. */
export function parseDate(raw: string): Parsed<string | null> {
  const fast = parseCommonDate(raw);
  if (fast !== null) return ok(fast);
  let parsed = parsedDates.get(raw);
  if (parsed === undefined) {
    if (parsedDates.size >= PARSED_DATES_LIMIT) parsedDates.clear();
    parsed = parseDateUncached(raw);
    parsedDates.set(raw, parsed);
  }
  return parsed;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The two spellings nearly every line uses, MM/DD/YYYY and YYYY-MM-DD, read digit by digit:
 * the ISO date when the text is exactly one of them and a calendar date, else null (the general
 * path then parses it, or says what is wrong with it).
 */
function parseCommonDate(text: string): string | null {
  if (text.length !== 10) return null;
  const slashes = text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47;
  const dashes = text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45;
  if (!slashes && !dashes) return null;
  const digit = (index: number): number => {
    const code = text.charCodeAt(index) - 48;
    return code >= 0 && code <= 9 ? code : Number.NaN;
  };
  const [monthAt, dayAt, yearAt] = slashes ? [0, 3, 6] : [5, 8, 0];
  const month = digit(monthAt) * 10 + digit(monthAt + 1);
  const day = digit(dayAt) * 10 + digit(dayAt + 1);
  const year = digit(yearAt) * 1000 + digit(yearAt + 1) * 100 + digit(yearAt + 2) * 10 + digit(yearAt + 3);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]) || Number.isNaN(year)) return null;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return null;
  return slashes ? `${text.slice(6, 10)}-${text.slice(0, 2)}-${text.slice(3, 5)}` : text;
}

function parseDateUncached(raw: string): Parsed<string | null> {
  const text = raw.trim();
  if (text === '') return ok(null);
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return fail(`"${text}" is not a date (expected MM/DD/YYYY or YYYY-MM-DD)`);
  const [year, month, day] = text.includes('/') ? [match[3], match[1], match[2]] : [match[1], match[2], match[3]];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return fail(`"${text}" is not a calendar date`);
  }
  return ok(date.toISOString().slice(0, 10));
}

/** A four-digit birth year in a plausible range; empty is null. */
export function parseBirthYear(raw: string, asOfYear: number): Parsed<number | null> {
  const text = raw.trim();
  if (text === '') return ok(null);
  if (!/^\d{4}$/.test(text)) return fail(`"${text}" is not a four-digit year`);
  const year = Number(text);
  if (year < asOfYear - 120 || year > asOfYear - 16) return fail(`${year} is not a plausible birth year for a voter`);
  return ok(year);
}

/** The five-digit ZIP from 5-, 9- or ZIP+4 forms; a leading zero lost by a spreadsheet is restored. */
export function parseZip5(raw: string): Parsed<string | null> {
  const digits = raw.trim().replace(/-/g, '');
  if (digits === '') return ok(null);
  if (!/^\d+$/.test(digits)) return fail(`"${raw.trim()}" is not a ZIP code`);
  if (digits.length === 9 || digits.length === 5) return ok(digits.slice(0, 5));
  if (digits.length === 4 || digits.length === 8) return ok(`0${digits}`.slice(0, 5));
  return fail(`"${raw.trim()}" is not a ZIP code (expected 5 or 9 digits)`);
}

/** Trimmed, inner runs of spaces collapsed (legacy NC fields are space-padded); empty is null. */
const DOUBLE_SPACE = /\s\s/;

export function cleanText(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  return DOUBLE_SPACE.test(trimmed) ? trimmed.replace(/\s{2,}/g, ' ') : trimmed;
}
