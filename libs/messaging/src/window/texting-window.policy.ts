import { type CallingWindow, effectiveWindow, isWithinCallingWindow, localMinuteOfDay, US_TIME_ZONES } from '@app/campaigns/calling-window/calling-window';
import { utcOffsetMilliseconds } from './zoned-time.util';

/**
 * A daily window of the voter's local time, in minutes after midnight: [start, end). Texts obey the
 * same legal 08:00–21:00 bound as calls, so the calling window's type and helpers are reused.
 */
export type TextingWindow = CallingWindow;

export const DEFAULT_TEXTING_WINDOW: TextingWindow = { startMinute: 9 * 60, endMinute: 20 * 60 };

/** Twilio's bounds on a message's `ValidityPeriod` (data-and-contracts §2.5). */
export const TWILIO_MINIMUM_VALIDITY_PERIOD_SECONDS = 1;
export const TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS = 36_000;

/**
 * Twilio starts the validity period when it accepts the request, not when we decide, so the time
 * the request takes to reach Twilio is taken off the period. Five seconds covers a slow request at
 * the cost of the window's last five seconds.
 */
export const REQUEST_ALLOWANCE_SECONDS = 5;

export type TextingWindowDecision =
  /** Send now, with this `ValidityPeriod`: Twilio drops the message rather than send it after the window closes. */
  | { readonly kind: 'send'; readonly validityPeriodSeconds: number }
  /** Send no earlier than `until`, the next moment the window opens for this voter. */
  | { readonly kind: 'hold'; readonly until: Date }
  /**
   * The window never opens for this voter, so a hold would wait forever; the caller should skip the
   * message. It happens for a window that is empty once narrowed to 08:00–21:00, and for an unknown
   * zone, whose window is the part open in every US zone at once: Honolulu's clock is six hours behind
   * Puerto Rico's, so a window of six hours or less leaves nothing.
   */
  | { readonly kind: 'never' };

const NEVER: TextingWindowDecision = { kind: 'never' };
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
/** Farther than any opening can be; a search that gets here has found a window that never opens. */
const SEARCH_HORIZON_MS = 8 * DAY_MINUTES * MINUTE_MS;
/** A single zone's window opens or closes within a day and a half even when its clock skips a day. */
const SCAN_HORIZON_MS = 2 * DAY_MINUTES * MINUTE_MS;

/**
 * Whether a text to a voter in `timeZone` (an IANA name; null when unknown) may go out at `now`,
 * and with what validity period; otherwise when it may.
 *
 * - The campaign's window is narrowed to the legal 08:00–21:00, as for calls.
 * - A voter whose zone is unknown is texted only while the window is open in every US zone, as the
 *   campaigns lib does for calls: compliant wherever the voter is.
 * - A send's validity period ends when the window closes, less `REQUEST_ALLOWANCE_SECONDS`, cut to
 *   whole seconds and to Twilio's 36,000 s: a message still in Twilio's queue when the window closes
 *   expires there rather than go out at night (a carrier's own delay after Twilio hands the message
 *   on is beyond any sender's reach). With less than Twilio's 1 s left, the text is held instead.
 * - The window is a wall-clock window, so on a daylight-saving day it opens at 09:00 of the new clock.
 *
 * Pure: `now` is a parameter, and nothing else is read.
 */
export function decideTextingWindow(timeZone: string | null, now: Date, window: TextingWindow = DEFAULT_TEXTING_WINDOW): TextingWindowDecision {
  const bounded = effectiveWindow(window);
  if (bounded.startMinute >= bounded.endMinute) return NEVER;
  const zones: readonly string[] = timeZone === null ? US_TIME_ZONES : [timeZone];
  const from = now.getTime();

  const opening = nextCommonOpening(zones, from, bounded);
  if (opening === null) return NEVER;
  if (opening > from) return { kind: 'hold', until: new Date(opening) };

  const closing = Math.min(...zones.map((zone) => closingOf(zone, from, bounded)));
  const validityPeriodSeconds = Math.floor((closing - from) / 1000) - REQUEST_ALLOWANCE_SECONDS;
  if (validityPeriodSeconds < TWILIO_MINIMUM_VALIDITY_PERIOD_SECONDS) {
    const reopening = nextCommonOpening(zones, closing, bounded);
    return reopening === null ? NEVER : { kind: 'hold', until: new Date(reopening) };
  }
  return { kind: 'send', validityPeriodSeconds: Math.min(validityPeriodSeconds, TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS) };
}

function isOpen(zone: string, instant: number, window: TextingWindow): boolean {
  return isWithinCallingWindow(zone, new Date(instant), window);
}

/**
 * The first instant at or after `from` when the window is open in all `zones`. Each zone's next
 * opening is no later than the common one, so moving to the latest of them never overshoots, and
 * repeating until every zone is open finds it.
 */
function nextCommonOpening(zones: readonly string[], from: number, window: TextingWindow): number | null {
  let candidate = from;
  while (candidate - from <= SEARCH_HORIZON_MS) {
    let latest = candidate;
    for (const zone of zones) {
      const opening = nextOpeningIn(zone, candidate, window);
      if (opening === null) return null;
      latest = Math.max(latest, opening);
    }
    if (latest === candidate) return candidate;
    candidate = latest;
  }
  return null;
}

/** The first instant at or after `from` when the window is open in `zone`. */
function nextOpeningIn(zone: string, from: number, window: TextingWindow): number | null {
  if (isOpen(zone, from, window)) return from;
  const minutesAhead = (window.startMinute - localMinuteOfDay(zone, new Date(from)) + DAY_MINUTES) % DAY_MINUTES;
  const opening = onWallClock(zone, from, minutesAhead);
  const isFirstOpenMinute = opening >= from && isOpen(zone, opening, window) && (opening - MINUTE_MS < from || !isOpen(zone, opening - MINUTE_MS, window));
  return isFirstOpenMinute ? opening : firstMinuteWhere(from, (instant) => isOpen(zone, instant, window));
}

/** The instant the window, open in `zone` at `from`, closes there. */
function closingOf(zone: string, from: number, window: TextingWindow): number {
  const closing = onWallClock(zone, from, window.endMinute - localMinuteOfDay(zone, new Date(from)));
  const isFirstClosedMinute = closing > from && !isOpen(zone, closing, window) && isOpen(zone, closing - MINUTE_MS, window);
  const found = isFirstClosedMinute ? closing : firstMinuteWhere(from, (instant) => !isOpen(zone, instant, window));
  if (found === null) throw new Error(`The texting window in ${zone} did not close within ${SCAN_HORIZON_MS / MINUTE_MS} minutes`);
  return found;
}

/**
 * The start of the minute `minutesAhead` wall-clock minutes after the one holding `from`. Adding
 * them to the instant is right unless the zone's offset changes in between (a daylight-saving
 * night), when the clock has moved by that change as well; it is taken off.
 */
function onWallClock(zone: string, from: number, minutesAhead: number): number {
  const naive = from - (((from % MINUTE_MS) + MINUTE_MS) % MINUTE_MS) + minutesAhead * MINUTE_MS;
  return naive - (utcOffsetMilliseconds(zone, naive) - utcOffsetMilliseconds(zone, from));
}

/**
 * The first whole minute after `from` where `test` holds, or null. The slow path, for a zone
 * whose clock jumps across the window's edge or skips a day (Samoa skipped 30 December 2011), where
 * the arithmetic of `onWallClock` does not land on the edge; US zones never take it.
 */
function firstMinuteWhere(from: number, test: (instant: number) => boolean): number | null {
  const firstMinute = from - (((from % MINUTE_MS) + MINUTE_MS) % MINUTE_MS) + MINUTE_MS;
  for (let instant = firstMinute; instant - from <= SCAN_HORIZON_MS; instant += MINUTE_MS) {
    if (test(instant)) return instant;
  }
  return null;
}
