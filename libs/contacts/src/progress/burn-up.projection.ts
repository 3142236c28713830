/** Voters newly reached on a day (YYYY-MM-DD, the alliance's reporting zone). */
export interface DailyReach {
  readonly day: string;
  readonly newlyReached: number;
}

export interface BurnUpPoint {
  readonly day: string;
  readonly newlyReached: number;
  /** Unique voters reached up to and including this day. */
  readonly reached: number;
}

export interface TargetProjection {
  /** Unique voters reached so far. */
  readonly reached: number;
  readonly target: number;
  readonly targetDate: string;
  /** Voters newly reached per day over the recent window (the last `windowDays` days up to today, or since the first contact when shorter). */
  readonly recentPerDay: number;
  readonly windowDays: number;
  /** Where the recent rate lands by the target date (today's figure when the date has passed). */
  readonly projectedAtTargetDate: number;
  /** The day the recent rate reaches the target; the day it was reached when it already was; null when the rate is zero. */
  readonly projectedReachDate: string | null;
  /** Voters a day still needed from tomorrow to the target date (0 once reached; null when the date has passed and it was not). */
  readonly requiredPerDay: number | null;
  readonly onTrack: boolean;
}

const DAY_MS = 24 * 3600_000;
const DEFAULT_WINDOW_DAYS = 14;

const dayNumber = (day: string): number => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RangeError(`not a day (YYYY-MM-DD): "${day}"`);
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
};
const dayOf = (number: number): string => new Date(number * DAY_MS).toISOString().slice(0, 10);

/**
 * The burn-up from the first day with a contact to `through`: every day present (a quiet day adds
 * nothing), the running count of unique voters reached. Days after `through` are left out.
 */
export function burnUp(daily: readonly DailyReach[], through: string): BurnUpPoint[] {
  const last = dayNumber(through);
  const byDay = new Map<number, number>();
  for (const entry of daily) {
    const day = dayNumber(entry.day);
    if (day <= last) byDay.set(day, (byDay.get(day) ?? 0) + entry.newlyReached);
  }
  if (byDay.size === 0) return [];
  const points: BurnUpPoint[] = [];
  let reached = 0;
  for (let day = Math.min(...byDay.keys()); day <= last; day += 1) {
    const newlyReached = byDay.get(day) ?? 0;
    reached += newlyReached;
    points.push({ day: dayOf(day), newlyReached, reached });
  }
  return points;
}

/**
 * Where the alliance is headed at its recent pace: a straight line from today's figure at the rate
 * of the last `windowDays` days. Plain on purpose: organizers read it as "at this week's pace".
 */
export function projectToTarget(input: {
  readonly daily: readonly DailyReach[];
  readonly today: string;
  readonly target: number;
  readonly targetDate: string;
  readonly windowDays?: number;
}): TargetProjection {
  const windowDays = input.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError(`windowDays must be a whole number of at least 1, got ${windowDays}`);
  const today = dayNumber(input.today);
  const targetDay = dayNumber(input.targetDate);
  const series = burnUp(input.daily, input.today);
  const reached = series.at(-1)?.reached ?? 0;
  // A campaign younger than the window is measured over the days it has run.
  const observedDays = series.length === 0 ? 0 : Math.min(windowDays, series.length);
  const recent = series.slice(series.length - observedDays).reduce((sum, point) => sum + point.newlyReached, 0);
  const recentPerDay = observedDays === 0 ? 0 : recent / observedDays;
  const daysLeft = Math.max(0, targetDay - today);
  const projectedAtTargetDate = Math.round(reached + recentPerDay * daysLeft);
  const reachedOn = series.find((point) => point.reached >= input.target)?.day ?? null;
  const projectedReachDate = reachedOn ?? (recentPerDay > 0 ? dayOf(today + Math.max(1, Math.ceil((input.target - reached) / recentPerDay))) : null);
  const requiredPerDay = reached >= input.target ? 0 : daysLeft === 0 ? null : (input.target - reached) / daysLeft;
  return {
    reached,
    target: input.target,
    targetDate: input.targetDate,
    recentPerDay,
    windowDays: observedDays,
    projectedAtTargetDate,
    projectedReachDate,
    requiredPerDay,
    onTrack: reached >= input.target || projectedAtTargetDate >= input.target,
  };
}
