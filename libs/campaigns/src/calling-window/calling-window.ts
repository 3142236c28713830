/** A daily window of local time, in minutes after midnight: [start, end). */
export interface CallingWindow {
  readonly startMinute: number;
  readonly endMinute: number;
}

/** The law's outer bound in the voter's own time zone; no campaign setting can widen it. */
export const LEGAL_CALLING_WINDOW: CallingWindow = { startMinute: 8 * 60, endMinute: 21 * 60 };
export const DEFAULT_CALLING_WINDOW: CallingWindow = { startMinute: 9 * 60, endMinute: 20 * 60 + 30 };

/**
 * The zones of the states and of Puerto Rico and the Virgin Islands. A voter whose zone is unknown
 * is called only while the window is open in all of them: compliant by construction, at the cost
 * of a shorter day. The Pacific territories are a day's width away; their ZIP codes are mapped
 * (see voter-time-zone), so no unknown voter lives there.
 */
export const US_TIME_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  // Puerto Rico and the Virgin Islands keep Atlantic time all year, an hour ahead of New York in winter.
  'America/Puerto_Rico',
] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes after local midnight at `instant` in `timeZone` (an IANA name). */
export function localMinuteOfDay(timeZone: string, instant: Date): number {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(instant)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/** The campaign's window narrowed to the legal one. */
export function effectiveWindow(window: CallingWindow): CallingWindow {
  return {
    startMinute: Math.max(window.startMinute, LEGAL_CALLING_WINDOW.startMinute),
    endMinute: Math.min(window.endMinute, LEGAL_CALLING_WINDOW.endMinute),
  };
}

/** Whether a voter in `timeZone` (null: unknown) may be called at `instant`. */
export function isWithinCallingWindow(timeZone: string | null, instant: Date, window: CallingWindow): boolean {
  const bounded = effectiveWindow(window);
  const zones = timeZone === null ? US_TIME_ZONES : [timeZone];
  return zones.every((zone) => {
    const minute = localMinuteOfDay(zone, instant);
    return minute >= bounded.startMinute && minute < bounded.endMinute;
  });
}

/** Of the given zones, those whose local time at `instant` is inside the window. */
export function openTimeZones(zones: readonly string[], instant: Date, window: CallingWindow): string[] {
  return zones.filter((zone) => isWithinCallingWindow(zone, instant, window));
}

/** "HH:MM" → minutes; null when malformed. */
export function parseClockTime(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/.exec(value.trim());
  return match === null ? null : Number(match[1]) * 60 + Number(match[2]);
}

export function formatClockTime(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}
