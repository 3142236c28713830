const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** 08:00–21:00 called-party local time (TCPA and the TSR). */
const WINDOW_OPENS_MS = 8 * HOUR_MS;
const WINDOW_CLOSES_MS = 21 * HOUR_MS;

/** Whether `utcMs` (milliseconds since a UTC midnight) is inside the calling window at `utcOffsetMs` from UTC. */
export function isInsideCallingWindow(utcMs: number, utcOffsetMs: number): boolean {
  const local = (((utcMs + utcOffsetMs) % DAY_MS) + DAY_MS) % DAY_MS;
  return local >= WINDOW_OPENS_MS && local < WINDOW_CLOSES_MS;
}
