import { isInsideCallingWindow } from './calling-window.util';

const HOUR_MS = 3_600_000;

describe('isInsideCallingWindow', () => {
  it('opens at 08:00 and closes at 21:00 local time', () => {
    expect(isInsideCallingWindow(8 * HOUR_MS - 1, 0)).toBe(false);
    expect(isInsideCallingWindow(8 * HOUR_MS, 0)).toBe(true);
    expect(isInsideCallingWindow(21 * HOUR_MS - 1, 0)).toBe(true);
    expect(isInsideCallingWindow(21 * HOUR_MS, 0)).toBe(false);
  });

  it('uses the called party’s offset, across midnight and days', () => {
    // 23:00 UTC is 18:00 at UTC−5 and 02:00 next day at UTC+3.
    expect(isInsideCallingWindow(23 * HOUR_MS, -5 * HOUR_MS)).toBe(true);
    expect(isInsideCallingWindow(23 * HOUR_MS, 3 * HOUR_MS)).toBe(false);
    expect(isInsideCallingWindow(5 * 24 * HOUR_MS + 12 * HOUR_MS, -10 * HOUR_MS)).toBe(false);
    // 01:00 UTC is 20:00 the day before at UTC−5; 02:00 UTC is 21:00 there, closed.
    expect(isInsideCallingWindow(1 * HOUR_MS, -5 * HOUR_MS)).toBe(true);
    expect(isInsideCallingWindow(2 * HOUR_MS, -5 * HOUR_MS)).toBe(false);
  });
});
