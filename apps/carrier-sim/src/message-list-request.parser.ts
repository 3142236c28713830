import type { SimulatedMessage } from './simulated-message';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
const DAY_MS = 86_400_000;

/** A date_sent bound: a whole UTC day (YYYY-MM-DD, as Twilio documents) or an instant (the SDK sends Dates as ISO-8601). */
interface DateSentBound {
  readonly startMs: number;
  readonly endMs: number;
}

/** List Messages' query, validated. */
export interface MessageListQuery {
  readonly to: string | null;
  readonly from: string | null;
  readonly dateSent: DateSentBound | null;
  /** `DateSent<`: on or before. */
  readonly dateSentBefore: DateSentBound | null;
  /** `DateSent>`: on or after. */
  readonly dateSentAfter: DateSentBound | null;
  readonly pageSize: number;
  readonly page: number;
  readonly pageToken: string | null;
  /** The filters as given (To, From, DateSent, DateSent<, DateSent>), carried into the page URIs. */
  readonly filters: ReadonlyArray<readonly [string, string]>;
}

const FILTERS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;

/** GET …/Messages.json's query string; 400 naming the parameter. */
export function parseMessageListQuery(query: URLSearchParams): MessageListQuery {
  return {
    to: phoneNumberFilter(query.get('To')),
    from: phoneNumberFilter(query.get('From')),
    dateSent: dateSentAt(query, 'DateSent'),
    dateSentBefore: dateSentAt(query, 'DateSent<'),
    dateSentAfter: dateSentAt(query, 'DateSent>'),
    pageSize: wholeNumberAt(query, 'PageSize', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE,
    page: wholeNumberAt(query, 'Page', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    pageToken: query.get('PageToken') || null,
    filters: FILTERS.flatMap((name) => {
      const value = query.get(name);
      if (value === null || value === '') return [];
      return [[name, name === 'To' || name === 'From' ? (phoneNumberFilter(value) ?? value) : value] as const];
    }),
  };
}

/** Whether the text passes the query's filters (paging aside). Texts never sent have no date_sent and fail any date filter. */
export function matchesMessageListQuery(message: SimulatedMessage, query: MessageListQuery): boolean {
  if (query.to !== null && message.request.to !== query.to) return false;
  if (query.from !== null && message.from !== query.from) return false;
  if (query.dateSent === null && query.dateSentBefore === null && query.dateSentAfter === null) return true;
  const sentAt = message.sentAt;
  if (sentAt === null) return false;
  if (query.dateSent !== null && (sentAt < query.dateSent.startMs || sentAt >= query.dateSent.endMs)) return false;
  if (query.dateSentBefore !== null && sentAt >= query.dateSentBefore.endMs) return false;
  if (query.dateSentAfter !== null && sentAt < query.dateSentAfter.startMs) return false;
  return true;
}

/** An unencoded `+` arrives as a space; read it back as `+`. */
function phoneNumberFilter(value: string | null): string | null {
  if (value === null || value === '') return null;
  return value.replace(/^ /, '+');
}

function dateSentAt(query: URLSearchParams, name: string): DateSentBound | null {
  const value = query.get(name);
  if (value === null || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const startMs = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isNaN(startMs)) return { startMs, endMs: startMs + DAY_MS };
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const instant = Date.parse(value);
    // An instant bounds `DateSent<`/`DateSent>` to the millisecond, and DateSent= to the instant's UTC day.
    if (!Number.isNaN(instant)) return name === 'DateSent' ? dayOf(instant) : { startMs: instant, endMs: instant + 1 };
  }
  throw new TwilioApiException(400, TWILIO_ERROR.invalidParameter, `${name} must be a date as YYYY-MM-DD (or an ISO-8601 date-time)`);
}

function dayOf(instant: number): DateSentBound {
  const startMs = instant - (((instant % DAY_MS) + DAY_MS) % DAY_MS);
  return { startMs, endMs: startMs + DAY_MS };
}

function wholeNumberAt(query: URLSearchParams, name: string, min: number, max: number): number | null {
  const value = query.get(name);
  if (value === null || value === '') return null;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new TwilioApiException(400, TWILIO_ERROR.invalidParameter, `${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}
