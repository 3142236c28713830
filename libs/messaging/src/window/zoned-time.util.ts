const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * How far the wall clock of `timeZone` (an IANA name) is ahead of UTC at `instant`, in milliseconds;
 * negative west of Greenwich. It changes only at a zone's transitions (daylight saving time).
 */
export function utcOffsetMilliseconds(timeZone: string, instant: number): number {
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const wallClock = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  // The formatter shows whole seconds; compare with the instant cut to its second, or the
  // milliseconds would read as part of the offset.
  return wallClock - (instant - (((instant % 1000) + 1000) % 1000));
}
