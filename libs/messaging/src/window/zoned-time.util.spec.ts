import { utcOffsetMilliseconds } from './zoned-time.util';

const HOUR_MS = 3_600_000;
const at = (iso: string): number => new Date(iso).getTime();

describe('utcOffsetMilliseconds', () => {
  it.each([
    ['America/New_York', '2026-01-15T12:00:00Z', -5 * HOUR_MS],
    ['America/New_York', '2026-07-15T12:00:00Z', -4 * HOUR_MS],
    ['America/New_York', '2026-03-08T06:59:59Z', -5 * HOUR_MS],
    ['America/New_York', '2026-03-08T07:00:00Z', -4 * HOUR_MS],
    ['America/New_York', '2026-11-01T05:59:59Z', -4 * HOUR_MS],
    ['America/New_York', '2026-11-01T06:00:00Z', -5 * HOUR_MS],
    ['Pacific/Honolulu', '2026-07-15T12:00:00Z', -10 * HOUR_MS],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 5.5 * HOUR_MS],
    ['Pacific/Apia', '2011-12-30T09:59:59Z', -10 * HOUR_MS],
    ['Pacific/Apia', '2011-12-30T10:00:00Z', 14 * HOUR_MS],
    ['UTC', '2026-07-15T12:00:00Z', 0],
  ])('should give the offset of %p at %p', (timeZone, iso, expected) => {
    expect(utcOffsetMilliseconds(timeZone, at(iso))).toBe(expected);
  });

  it('should not count the milliseconds of the instant as offset', () => {
    expect(utcOffsetMilliseconds('America/New_York', at('2026-07-15T12:00:00.999Z'))).toBe(-4 * HOUR_MS);
  });

  it('should give the local midnight as hour 0, not 24', () => {
    expect(utcOffsetMilliseconds('America/New_York', at('2026-07-15T04:00:00Z'))).toBe(-4 * HOUR_MS);
  });
});
