import { type CallingWindow, openTimeZones } from './calling-window';
import { VOTER_TIME_ZONES } from './voter-time-zone';

/** Every zone a call-list row may carry: the ZIP table's, and any other the runtime knows (a voter abroad). */
const ALL_ZONES = [...new Set<string>([...VOTER_TIME_ZONES, ...Intl.supportedValuesOf('timeZone')])];

/**
 * The zones whose calling window is open at `instant`. A window opens and closes on whole minutes,
 * so the answer is kept for the rest of the minute: the next-voter query asks on every request.
 */
export class OpenZonesCache {
  private readonly answers = new Map<string, string[]>();

  openAt(instant: Date, window: CallingWindow): string[] {
    const key = `${Math.floor(instant.getTime() / 60_000)}:${window.startMinute}-${window.endMinute}`;
    let zones = this.answers.get(key);
    if (zones === undefined) {
      if (this.answers.size > 64) this.answers.clear();
      zones = openTimeZones(ALL_ZONES, instant, window);
      this.answers.set(key, zones);
    }
    return zones;
  }
}
