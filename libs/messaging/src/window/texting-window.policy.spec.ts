import { isWithinCallingWindow } from '@app/campaigns/calling-window/calling-window';
import {
  decideTextingWindow,
  DEFAULT_TEXTING_WINDOW,
  REQUEST_ALLOWANCE_SECONDS,
  type TextingWindow,
  type TextingWindowDecision,
  TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS,
} from './texting-window.policy';

const NEW_YORK = 'America/New_York';
const HONOLULU = 'Pacific/Honolulu';
const KOLKATA = 'Asia/Kolkata';
const UNKNOWN = null;

const at = (iso: string): Date => new Date(iso);
const clock = (hour: number, minute = 0): number => hour * 60 + minute;
const send = (validityPeriodSeconds: number): TextingWindowDecision => ({ kind: 'send', validityPeriodSeconds });
const hold = (iso: string): TextingWindowDecision => ({ kind: 'hold', until: at(iso) });
const NEVER: TextingWindowDecision = { kind: 'never' };
/** The validity period of a send `seconds` before the window closes. */
const closingIn = (seconds: number): TextingWindowDecision => send(seconds - REQUEST_ALLOWANCE_SECONDS);

describe('decideTextingWindow', () => {
  it('should default to 09:00-20:00', () => {
    expect(DEFAULT_TEXTING_WINDOW).toStrictEqual({ startMinute: clock(9), endMinute: clock(20) });
  });

  describe('with the default window', () => {
    const cases: ReadonlyArray<readonly [string, string | null, string, TextingWindowDecision]> = [
      // New York in summer (EDT, UTC-4): open 13:00Z-00:00Z
      ['at 09:00, clamped to Twilio’s maximum', NEW_YORK, '2026-07-15T13:00:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      ['at noon, until 20:00', NEW_YORK, '2026-07-15T16:00:00Z', closingIn(8 * 3600)],
      ['at 19:00', NEW_YORK, '2026-07-15T23:00:00Z', closingIn(3600)],
      ['at the start of the last minute', NEW_YORK, '2026-07-15T23:59:00Z', closingIn(60)],
      ['with the allowance and Twilio’s 1 s left', NEW_YORK, '2026-07-15T23:59:54Z', send(1)],
      ['with a hair less than that left, until 09:00 tomorrow', NEW_YORK, '2026-07-15T23:59:54.001Z', hold('2026-07-16T13:00:00Z')],
      ['in the last millisecond', NEW_YORK, '2026-07-15T23:59:59.999Z', hold('2026-07-16T13:00:00Z')],
      ['at 20:00, when the window has closed', NEW_YORK, '2026-07-16T00:00:00Z', hold('2026-07-16T13:00:00Z')],
      ['a millisecond before 09:00', NEW_YORK, '2026-07-15T12:59:59.999Z', hold('2026-07-15T13:00:00Z')],
      ['at 03:00', NEW_YORK, '2026-07-15T07:00:00Z', hold('2026-07-15T13:00:00Z')],
      ['at local midnight', NEW_YORK, '2026-07-15T04:00:00Z', hold('2026-07-15T13:00:00Z')],
      ['a minute before local midnight', NEW_YORK, '2026-07-15T03:59:00Z', hold('2026-07-15T13:00:00Z')],
      // New York in winter (EST, UTC-5): open 14:00Z-01:00Z
      ['at 09:00 in winter', NEW_YORK, '2026-01-15T14:00:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      ['at 19:30 in winter, an hour later in UTC', NEW_YORK, '2026-01-16T00:30:00Z', closingIn(1800)],
      ['at 20:00 in winter', NEW_YORK, '2026-01-16T01:00:00Z', hold('2026-01-16T14:00:00Z')],
      // New York springs forward at 02:00 on Sunday 8 March 2026: the window opens at 09:00 EDT, 13:00Z
      ['at 19:00 EST on the Saturday, closing at 01:00Z', NEW_YORK, '2026-03-08T00:00:00Z', closingIn(3600)],
      ['at 20:00 EST on the Saturday, across the change', NEW_YORK, '2026-03-08T01:00:00Z', hold('2026-03-08T13:00:00Z')],
      ['at 01:59 EST, just before the change', NEW_YORK, '2026-03-08T06:59:00Z', hold('2026-03-08T13:00:00Z')],
      ['at 03:00 EDT, just after the change', NEW_YORK, '2026-03-08T07:00:00Z', hold('2026-03-08T13:00:00Z')],
      ['at 08:59 EDT', NEW_YORK, '2026-03-08T12:59:00Z', hold('2026-03-08T13:00:00Z')],
      ['at 09:00 EDT on the day of the change', NEW_YORK, '2026-03-08T13:00:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      ['in the last minute of the day of the change', NEW_YORK, '2026-03-08T23:59:00Z', closingIn(60)],
      // New York falls back at 02:00 on Sunday 1 November 2026: the window opens at 09:00 EST, 14:00Z
      ['at 20:00 EDT on the Saturday, across the change', NEW_YORK, '2026-11-01T00:00:00Z', hold('2026-11-01T14:00:00Z')],
      ['at the first 01:30 (EDT)', NEW_YORK, '2026-11-01T05:30:00Z', hold('2026-11-01T14:00:00Z')],
      ['at the second 01:30 (EST)', NEW_YORK, '2026-11-01T06:30:00Z', hold('2026-11-01T14:00:00Z')],
      ['at 08:00 EST, which would be 09:00 on the old clock', NEW_YORK, '2026-11-01T13:00:00Z', hold('2026-11-01T14:00:00Z')],
      ['at 09:00 EST on the day of the change', NEW_YORK, '2026-11-01T14:00:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      ['in the last minute of the day of the change', NEW_YORK, '2026-11-02T00:59:00Z', closingIn(60)],
      // Honolulu keeps HST (UTC-10) all year: open 19:00Z-06:00Z
      ['at 09:00 in Honolulu', HONOLULU, '2026-07-15T19:00:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      ['a second before 09:00 in Honolulu', HONOLULU, '2026-07-15T18:59:59Z', hold('2026-07-15T19:00:00Z')],
      ['in the last minute in Honolulu', HONOLULU, '2026-07-16T05:59:00Z', closingIn(60)],
      ['at 20:00 in Honolulu', HONOLULU, '2026-07-16T06:00:00Z', hold('2026-07-16T19:00:00Z')],
      ['in Honolulu while New York springs forward', HONOLULU, '2026-03-08T13:00:00Z', hold('2026-03-08T19:00:00Z')],
      ['at 09:00 in Honolulu in winter, the same UTC time as in summer', HONOLULU, '2026-01-15T19:00:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      // a half-hour offset (IST, UTC+5:30): open 03:30Z-14:30Z
      ['at 09:00 in Kolkata', KOLKATA, '2026-07-15T03:30:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      ['in the last minute in Kolkata', KOLKATA, '2026-07-15T14:29:00Z', closingIn(60)],
      ['at 20:00 in Kolkata', KOLKATA, '2026-07-15T14:30:00Z', hold('2026-07-16T03:30:00Z')],
      // Samoa skipped 30 December 2011: 23:59 on the 29th (UTC-10) was followed by 00:00 on the 31st (UTC+14)
      ['at 09:00 in Apia the day before Samoa skipped a day', 'Pacific/Apia', '2011-12-29T19:00:00Z', send(TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS)],
      ['at 21:00 in Apia, across the skipped day', 'Pacific/Apia', '2011-12-30T07:00:00Z', hold('2011-12-30T19:00:00Z')],
      // unknown zone: open only while open from Puerto Rico (closes 20:00 AST = 00:00Z) to Honolulu (opens 19:00Z)
      ['for an unknown zone before Honolulu opens', UNKNOWN, '2026-07-15T18:59:00Z', hold('2026-07-15T19:00:00Z')],
      ['for an unknown zone when Honolulu opens, until Puerto Rico closes', UNKNOWN, '2026-07-15T19:00:00Z', closingIn(5 * 3600)],
      ['for an unknown zone in the last minute', UNKNOWN, '2026-07-15T23:59:00Z', closingIn(60)],
      ['for an unknown zone when Puerto Rico closes', UNKNOWN, '2026-07-16T00:00:00Z', hold('2026-07-16T19:00:00Z')],
      ['for an unknown zone in winter, when Puerto Rico closes an hour before New York', UNKNOWN, '2026-01-15T23:00:00Z', closingIn(3600)],
      ['for an unknown zone at 19:30 EST, when New York is open but Puerto Rico is not', UNKNOWN, '2026-01-16T00:30:00Z', hold('2026-01-16T19:00:00Z')],
      ['for an unknown zone across the spring-forward night', UNKNOWN, '2026-03-08T01:00:00Z', hold('2026-03-08T19:00:00Z')],
      ['for an unknown zone across the fall-back night', UNKNOWN, '2026-11-01T06:30:00Z', hold('2026-11-01T19:00:00Z')],
    ];

    it.each(cases)('should decide %s (%p, %p)', (_description, timeZone, now, expected) => {
      expect(decideTextingWindow(timeZone, at(now))).toStrictEqual(expected);
    });
  });

  describe('with a campaign window', () => {
    const cases: ReadonlyArray<readonly [string, string | null, TextingWindow, string, TextingWindowDecision]> = [
      ['narrowed to start at 08:00', NEW_YORK, { startMinute: clock(7), endMinute: clock(22) }, '2026-07-15T11:30:00Z', hold('2026-07-15T12:00:00Z')],
      ['narrowed to end at 21:00', NEW_YORK, { startMinute: clock(7), endMinute: clock(22) }, '2026-07-16T00:30:00Z', closingIn(1800)],
      [
        'closed at 21:00 though the campaign says 22:00',
        NEW_YORK,
        { startMinute: clock(7), endMinute: clock(22) },
        '2026-07-16T01:00:00Z',
        hold('2026-07-16T12:00:00Z'),
      ],
      ['the whole legal window, clamped to Twilio’s maximum', NEW_YORK, { startMinute: clock(8), endMinute: clock(21) }, '2026-07-15T12:00:00Z', send(36_000)],
      ['short enough for the period to be its length', NEW_YORK, { startMinute: clock(12), endMinute: clock(13) }, '2026-07-15T16:00:00Z', closingIn(3600)],
      ['of six hours, which leaves nothing open in every US zone', UNKNOWN, { startMinute: clock(10), endMinute: clock(16) }, '2026-07-15T20:00:00Z', NEVER],
      [
        'of six hours and one minute, one minute open in every US zone',
        UNKNOWN,
        { startMinute: clock(10), endMinute: clock(16, 1) },
        '2026-07-15T20:00:00Z',
        closingIn(60),
      ],
      [
        'of six hours and one minute, before that minute',
        UNKNOWN,
        { startMinute: clock(10), endMinute: clock(16, 1) },
        '2026-07-15T19:00:00Z',
        hold('2026-07-15T20:00:00Z'),
      ],
      ['entirely after the legal end', NEW_YORK, { startMinute: clock(21), endMinute: clock(22) }, '2026-07-15T16:00:00Z', NEVER],
      ['that is empty', NEW_YORK, { startMinute: clock(12), endMinute: clock(12) }, '2026-07-15T16:00:00Z', NEVER],
      ['whose start is after its end', NEW_YORK, { startMinute: clock(14), endMinute: clock(10) }, '2026-07-15T16:00:00Z', NEVER],
    ];

    it.each(cases)('should decide for a window %s (%p)', (_description, timeZone, window, now, expected) => {
      expect(decideTextingWindow(timeZone, at(now), window)).toStrictEqual(expected);
    });
  });

  describe('against a minute-by-minute search', () => {
    /** The first whole minute after `now` when the window is open: what a hold must wait for. */
    function firstOpenMinuteAfter(timeZone: string | null, now: Date): Date {
      let instant = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
      while (!isWithinCallingWindow(timeZone, new Date(instant), DEFAULT_TEXTING_WINDOW)) instant += 60_000;
      return new Date(instant);
    }

    /** Every 47 minutes and 13 seconds over three days, so each decision starts at a different phase. */
    const instantsAround = (startIso: string): Date[] => Array.from({ length: 92 }, (_, index) => new Date(at(startIso).getTime() + index * 2_833_000));

    it.each([
      [NEW_YORK, 'spring-forward', '2026-03-07T00:00:00Z'],
      [NEW_YORK, 'fall-back', '2026-10-31T00:00:00Z'],
      [HONOLULU, 'spring-forward', '2026-03-07T00:00:00Z'],
      [UNKNOWN, 'spring-forward', '2026-03-07T00:00:00Z'],
      [UNKNOWN, 'fall-back', '2026-10-31T00:00:00Z'],
    ])('should send only inside the window and hold until it next opens in %p around the %s days', (timeZone, _days, startIso) => {
      for (const now of instantsAround(startIso)) {
        const decision = decideTextingWindow(timeZone, now);

        if (decision.kind === 'send') {
          const lastArrival = now.getTime() + (decision.validityPeriodSeconds + REQUEST_ALLOWANCE_SECONDS) * 1000;
          expect(isWithinCallingWindow(timeZone, now, DEFAULT_TEXTING_WINDOW)).toBe(true);
          expect(isWithinCallingWindow(timeZone, new Date(lastArrival - 1), DEFAULT_TEXTING_WINDOW)).toBe(true);
          if (decision.validityPeriodSeconds < TWILIO_MAXIMUM_VALIDITY_PERIOD_SECONDS) {
            // the period runs to the closing, to the second
            expect(isWithinCallingWindow(timeZone, new Date(lastArrival + 1000), DEFAULT_TEXTING_WINDOW)).toBe(false);
          }
        } else {
          expect(decision).toStrictEqual({ kind: 'hold', until: firstOpenMinuteAfter(timeZone, now) });
        }
      }
    });
  });

  it('should find openings and closings with a few clock look-ups in US zones, not a minute-by-minute search', () => {
    // The worker decides once per message; the search is only for zones whose clock jumps across the window's edge.
    const lookUps = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const decisions: ReadonlyArray<readonly [string | null, string, TextingWindow]> = [
      [NEW_YORK, '2026-03-08T01:00:00Z', DEFAULT_TEXTING_WINDOW],
      [NEW_YORK, '2026-11-01T00:00:00Z', DEFAULT_TEXTING_WINDOW],
      [NEW_YORK, '2026-03-08T00:00:00Z', DEFAULT_TEXTING_WINDOW],
      [HONOLULU, '2026-07-16T06:00:00Z', DEFAULT_TEXTING_WINDOW],
      [UNKNOWN, '2026-03-08T01:00:00Z', DEFAULT_TEXTING_WINDOW],
      [UNKNOWN, '2026-07-15T19:00:00Z', DEFAULT_TEXTING_WINDOW],
      [NEW_YORK, '2026-07-15T11:30:00Z', { startMinute: clock(7), endMinute: clock(22) }],
      [NEW_YORK, '2026-07-16T00:30:00Z', { startMinute: clock(7), endMinute: clock(22) }],
    ];

    try {
      const lookUpsByDecision = decisions.map(([timeZone, now, window]) => {
        lookUps.mockClear();
        decideTextingWindow(timeZone, at(now), window);
        return { timeZone, now, lookUps: lookUps.mock.calls.length };
      });
      // A scan would take hundreds; the arithmetic takes a few per zone (an unknown zone is eight).
      expect(lookUpsByDecision.filter((decision) => decision.lookUps > (decision.timeZone === null ? 8 : 1) * 12)).toStrictEqual([]);
    } finally {
      lookUps.mockRestore();
    }
  });

  it('should read no clock and change nothing it is given', () => {
    const now = at('2026-07-15T16:00:00Z');
    const window: TextingWindow = Object.freeze({ startMinute: clock(9), endMinute: clock(20) });
    const dateNow = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('the policy read the clock');
    });

    try {
      expect(decideTextingWindow(NEW_YORK, now, window)).toStrictEqual(closingIn(8 * 3600));
      expect(decideTextingWindow(UNKNOWN, now, window)).toStrictEqual(hold('2026-07-15T19:00:00Z'));
      expect(now.toISOString()).toBe('2026-07-15T16:00:00.000Z');
    } finally {
      dateNow.mockRestore();
    }
  });
});
