import { DomainErrorCode, DomainException } from '@app/common';

/** A moment's day (YYYY-MM-DD) in a time zone: the alliance reports its days in its own. */
export function dayIn(moment: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(moment);
}

/** A calendar day as typed (YYYY-MM-DD, a real date), or a validation error naming `name`. */
export function parseDay(value: unknown, name: string, detail: 'field' | 'parameter'): string {
  const day = typeof value === 'string' ? value.trim() : '';
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : null;
  if (parsed === null || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `${name}: "${String(value)}" is not a date (YYYY-MM-DD)`, { [detail]: name });
  }
  return day;
}
