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
  let parsed = parsedDates.get(raw);
  if (parsed === undefined) {
    if (parsedDates.size >= PARSED_DATES_LIMIT) parsedDates.clear();
    parsed = parseDateUncached(raw);
    parsedDates.set(raw, parsed);
  }
  return parsed;
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
