const COUNT = new Intl.NumberFormat('en-US');
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'];

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "1 voter", "12,345 voters". */
export function formatQuantity(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/** Decimal units, as file managers show them: 1.4 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${BYTE_UNITS[unit]}`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

/** "42 s", "3 min 12 s", "1 h 5 min"; null when either end is missing. */
export function formatDuration(fromIso: string | null, toIso: string | null): string | null {
  if (fromIso === null || toIso === null) return null;
  const seconds = Math.max(0, Math.round((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 1000));
  if (Number.isNaN(seconds)) return null;
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** A campaign's calling hours ("09:00" to "20:30") as the person's clock shows times: "9:00 AM to 8:30 PM". */
export function formatCallingHours(window: { readonly start: string; readonly end: string }): string {
  const format = (time: string) => {
    const [hours, minutes] = time.split(':').map(Number);
    return TIME.format(new Date(2000, 0, 1, hours, minutes));
  };
  return `${format(window.start)} to ${format(window.end)}`;
}
