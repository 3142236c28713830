import {
  type CallingWindow,
  DEFAULT_CALLING_WINDOW,
  effectiveWindow,
  formatClockTime,
  isWithinCallingWindow,
  LEGAL_CALLING_WINDOW,
  localMinuteOfDay,
  openTimeZones,
  parseClockTime,
  US_TIME_ZONES,
} from './calling-window';
import { timeZoneOfZip, VOTER_TIME_ZONES } from './voter-time-zone';

const at = (iso: string): Date => new Date(iso);
const clock = (hour: number, minute = 0): number => hour * 60 + minute;
const NEW_YORK = 'America/New_York';
const LOS_ANGELES = 'America/Los_Angeles';
const HONOLULU = 'Pacific/Honolulu';

/** Every `stepMinutes` from `startIso` for `hours` hours. */
function instantsFrom(startIso: string, hours: number, stepMinutes: number): Date[] {
  const start = at(startIso).getTime();
  return Array.from({ length: (hours * 60) / stepMinutes }, (_, index) => new Date(start + index * stepMinutes * 60_000));
}

describe('localMinuteOfDay', () => {
  it('should give the wall-clock time of each zone in winter (standard time)', () => {
    const instant = at('2026-11-30T15:00:00Z');

    expect(localMinuteOfDay(NEW_YORK, instant)).toBe(clock(10));
    expect(localMinuteOfDay('America/Chicago', instant)).toBe(clock(9));
    expect(localMinuteOfDay('America/Denver', instant)).toBe(clock(8));
    expect(localMinuteOfDay(LOS_ANGELES, instant)).toBe(clock(7));
    expect(localMinuteOfDay('America/Anchorage', instant)).toBe(clock(6));
    expect(localMinuteOfDay(HONOLULU, instant)).toBe(clock(5));
  });

  it('should follow daylight saving time in summer where the zone observes it', () => {
    const instant = at('2026-07-15T15:00:00Z');

    expect(localMinuteOfDay(NEW_YORK, instant)).toBe(clock(11));
    expect(localMinuteOfDay(LOS_ANGELES, instant)).toBe(clock(8));
    // Arizona and Hawaii keep standard time all year
    expect(localMinuteOfDay('America/Phoenix', instant)).toBe(clock(8));
    expect(localMinuteOfDay(HONOLULU, instant)).toBe(clock(5));
  });

  it('should jump an hour at the spring-forward instant', () => {
    expect(localMinuteOfDay(NEW_YORK, at('2026-03-08T06:59:00Z'))).toBe(clock(1, 59));
    expect(localMinuteOfDay(NEW_YORK, at('2026-03-08T07:00:00Z'))).toBe(clock(3));
  });

  it('should give 0, not 24:00, at local midnight', () => {
    expect(localMinuteOfDay(NEW_YORK, at('2026-11-30T05:00:00Z'))).toBe(0);
  });

  it('should keep the minutes of zones on a half-hour offset', () => {
    expect(localMinuteOfDay('Asia/Kolkata', at('2026-11-30T15:00:00Z'))).toBe(clock(20, 30));
  });
});

describe('effectiveWindow', () => {
  it('should narrow a window wider than the legal 08:00-21:00 to the legal one', () => {
    expect(effectiveWindow({ startMinute: clock(6), endMinute: clock(23) })).toStrictEqual({ startMinute: clock(8), endMinute: clock(21) });
  });

  it('should keep a window that lies inside the legal one', () => {
    expect(effectiveWindow({ startMinute: clock(9, 15), endMinute: clock(20, 45) })).toStrictEqual({ startMinute: clock(9, 15), endMinute: clock(20, 45) });
  });

  it('should narrow only the side that goes past the legal bound', () => {
    expect(effectiveWindow({ startMinute: clock(7), endMinute: clock(12) })).toStrictEqual({ startMinute: clock(8), endMinute: clock(12) });
    expect(effectiveWindow({ startMinute: clock(12), endMinute: clock(22) })).toStrictEqual({ startMinute: clock(12), endMinute: clock(21) });
  });
});

describe('isWithinCallingWindow', () => {
  const tenToNoon: CallingWindow = { startMinute: clock(10), endMinute: clock(12) };

  describe('for a voter whose zone is known', () => {
    it('should be open inside the window, in the voter’s own time', () => {
      // 16:00Z is 11:00 in New York and 08:00 in Los Angeles
      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T16:00:00Z'), tenToNoon)).toBe(true);
      expect(isWithinCallingWindow(LOS_ANGELES, at('2026-11-30T16:00:00Z'), tenToNoon)).toBe(false);
    });

    it('should be open from the first minute of the window', () => {
      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T14:59:00Z'), tenToNoon)).toBe(false);
      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T15:00:00Z'), tenToNoon)).toBe(true);
    });

    it('should be closed from the end minute of the window', () => {
      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T16:59:00Z'), tenToNoon)).toBe(true);
      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T17:00:00Z'), tenToNoon)).toBe(false);
    });

    it('should apply the window in daylight saving time by the summer clock', () => {
      // 14:00Z is 10:00 EDT but only 09:00 EST
      expect(isWithinCallingWindow(NEW_YORK, at('2026-07-15T14:00:00Z'), tenToNoon)).toBe(true);
      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T14:00:00Z'), tenToNoon)).toBe(false);
    });

    it('should not call before 08:00 or from 21:00 even when the campaign window is wider', () => {
      const dawnToMidnight: CallingWindow = { startMinute: clock(5), endMinute: clock(23, 59) };

      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T12:59:00Z'), dawnToMidnight)).toBe(false); // 07:59
      expect(isWithinCallingWindow(NEW_YORK, at('2026-11-30T13:00:00Z'), dawnToMidnight)).toBe(true); // 08:00
      expect(isWithinCallingWindow(NEW_YORK, at('2026-12-01T01:59:00Z'), dawnToMidnight)).toBe(true); // 20:59
      expect(isWithinCallingWindow(NEW_YORK, at('2026-12-01T02:00:00Z'), dawnToMidnight)).toBe(false); // 21:00
    });
  });

  describe('for a voter whose zone is unknown', () => {
    // With the default 09:00-20:30, in winter Honolulu (UTC-10) opens last at 19:00Z and New York (UTC-5) closes first at 01:30Z.
    it('should stay closed while the window is still shut in Honolulu although open in New York', () => {
      const instant = at('2026-11-30T18:59:00Z');

      expect(isWithinCallingWindow(NEW_YORK, instant, DEFAULT_CALLING_WINDOW)).toBe(true);
      expect(isWithinCallingWindow(null, instant, DEFAULT_CALLING_WINDOW)).toBe(false);
    });

    it('should open once the window is open in every US zone', () => {
      expect(isWithinCallingWindow(null, at('2026-11-30T19:00:00Z'), DEFAULT_CALLING_WINDOW)).toBe(true);
      expect(isWithinCallingWindow(null, at('2026-12-01T00:29:00Z'), DEFAULT_CALLING_WINDOW)).toBe(true);
      // 20:30 in Puerto Rico, which keeps Atlantic time all year
      expect(isWithinCallingWindow(null, at('2026-12-01T00:30:00Z'), DEFAULT_CALLING_WINDOW)).toBe(false);
    });

    it('should close as soon as the window shuts in New York although still open in Honolulu', () => {
      const instant = at('2026-12-01T01:30:00Z');

      expect(isWithinCallingWindow(HONOLULU, instant, DEFAULT_CALLING_WINDOW)).toBe(true);
      expect(isWithinCallingWindow(null, instant, DEFAULT_CALLING_WINDOW)).toBe(false);
    });

    // From 09:00 in Honolulu to 20:30 in Puerto Rico (and New York in summer): 19:00Z-00:30Z all year
    it.each([
      ['a winter day', '2026-11-30T00:00:00Z', 5.5],
      ['a summer day', '2026-07-15T00:00:00Z', 5.5],
    ])('should be open on %s only while every zone a voter can be placed in is open', (_, dayStart, sharedHours) => {
      let openInstants = 0;
      for (const instant of instantsFrom(dayStart, 24, 5)) {
        const openForUnknown = isWithinCallingWindow(null, instant, DEFAULT_CALLING_WINDOW);
        expect(openForUnknown).toBe(US_TIME_ZONES.every((zone) => isWithinCallingWindow(zone, instant, DEFAULT_CALLING_WINDOW)));
        if (!openForUnknown) continue;
        openInstants += 1;
        // The Pacific territories' ZIP codes are mapped, so an unknown voter is never there.
        for (const zone of VOTER_TIME_ZONES.filter((each) => !['Pacific/Guam', 'Pacific/Saipan', 'Pacific/Pago_Pago'].includes(each))) {
          expect(isWithinCallingWindow(zone, instant, DEFAULT_CALLING_WINDOW)).toBe(true);
        }
      }
      expect(openInstants).toBe((sharedHours * 60) / 5);
    });
  });
});

describe('openTimeZones', () => {
  it('should list the zones whose local time is inside the window, in the order given', () => {
    // 15:00Z in winter: New York 10:00, Chicago 09:00 (opens), Denver and Phoenix 08:00, Los Angeles 07:00, ...
    expect(openTimeZones(US_TIME_ZONES, at('2026-11-30T15:00:00Z'), DEFAULT_CALLING_WINDOW)).toStrictEqual([
      NEW_YORK,
      'America/Chicago',
      'America/Puerto_Rico',
    ]);
    expect(openTimeZones([LOS_ANGELES, HONOLULU, NEW_YORK], at('2026-11-30T21:00:00Z'), DEFAULT_CALLING_WINDOW)).toStrictEqual([
      LOS_ANGELES,
      HONOLULU,
      NEW_YORK,
    ]);
  });

  it('should list no zone at night everywhere', () => {
    // 11:00Z: 06:00 in New York, 01:00 in Honolulu, 21:00 in Guam, 00:00 in Pago Pago
    expect(openTimeZones(VOTER_TIME_ZONES, at('2026-11-30T11:00:00Z'), DEFAULT_CALLING_WINDOW)).toStrictEqual([]);
  });

  it('should respect the legal bound for a wider campaign window', () => {
    // 12:30Z in winter: New York 07:30
    expect(openTimeZones([NEW_YORK], at('2026-11-30T12:30:00Z'), { startMinute: 0, endMinute: clock(23, 59) })).toStrictEqual([]);
  });
});

describe('parseClockTime', () => {
  it.each([
    ['00:00', 0],
    ['08:00', clock(8)],
    ['09:05', clock(9, 5)],
    ['20:30', clock(20, 30)],
    ['23:59', clock(23, 59)],
    ['20:30:00', clock(20, 30)],
    [' 09:00 ', clock(9)],
  ])('should read %p as minute %p', (value, minute) => {
    expect(parseClockTime(value)).toBe(minute);
  });

  it.each(['', '9:00', '0900', '24:00', '12:60', '12:30:15', '12:3', 'noon', '-1:00', '12:00pm', '１２:００'])('should refuse %p', (value) => {
    expect(parseClockTime(value)).toBeNull();
  });
});

describe('formatClockTime', () => {
  it.each([
    [0, '00:00'],
    [clock(8), '08:00'],
    [clock(9, 5), '09:05'],
    [clock(20, 30), '20:30'],
    [clock(23, 59), '23:59'],
  ])('should write minute %p as %p', (minute, text) => {
    expect(formatClockTime(minute)).toBe(text);
  });

  it('should be read back to the same minute for every minute of the day', () => {
    for (let minute = 0; minute < 24 * 60; minute += 1) expect(parseClockTime(formatClockTime(minute))).toBe(minute);
  });

  it('should write the legal bounds as 08:00 and 21:00', () => {
    expect([formatClockTime(LEGAL_CALLING_WINDOW.startMinute), formatClockTime(LEGAL_CALLING_WINDOW.endMinute)]).toStrictEqual(['08:00', '21:00']);
  });
});

describe('timeZoneOfZip', () => {
  it.each([
    ['94110', LOS_ANGELES],
    ['27601', NEW_YORK],
    ['96701', HONOLULU],
    // the table's gaps and errors, mapped by hand
    ['00901', 'America/Puerto_Rico'],
    ['00802', 'America/St_Thomas'],
    ['96910', 'Pacific/Guam'],
    ['96950', 'Pacific/Saipan'],
    ['96799', 'Pacific/Pago_Pago'],
    ['99546', 'America/Adak'],
  ])('should place ZIP %p in %p', (zip, zone) => {
    expect(timeZoneOfZip(zip)).toBe(zone);
  });

  it('should give null for a well-formed ZIP that no table lists', () => {
    expect(timeZoneOfZip('00000')).toBeNull();
  });

  it.each([null, '', '9411', '941100', '94110-1234', ' 94110', 'abcde', '9411O'])('should give null for malformed input %p', (zip) => {
    expect(timeZoneOfZip(zip)).toBeNull();
  });

  it('should only answer zones listed in VOTER_TIME_ZONES, for a sample across the ZIP range', () => {
    const answered = new Set<string>();
    for (let zip = 501; zip <= 99950; zip += 97) {
      const zone = timeZoneOfZip(String(zip).padStart(5, '0'));
      if (zone !== null) answered.add(zone);
    }

    // the sample reaches well beyond the four mainland zones, so an incomplete list would show
    expect(answered.size).toBeGreaterThan(10);
    for (const zone of answered) expect(VOTER_TIME_ZONES).toContain(zone);
  });
});

describe('VOTER_TIME_ZONES', () => {
  it.each([...VOTER_TIME_ZONES])('should name %p, a zone Intl knows', (zone) => {
    expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone })).not.toThrow();
    expect(localMinuteOfDay(zone, at('2026-11-30T15:00:00Z'))).toBeGreaterThanOrEqual(0);
  });

  it('should list each zone once', () => {
    expect(new Set(VOTER_TIME_ZONES).size).toBe(VOTER_TIME_ZONES.length);
  });
});
