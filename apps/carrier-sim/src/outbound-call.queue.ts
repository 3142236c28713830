import type { TimerHandle, TimerRegistry } from './timer.registry';

export interface OutboundQueueStats {
  readonly waiting: number;
  readonly dequeued: number;
  readonly maxWaitMs: number;
  /** Epoch ms of the first and the latest departure since the last reset; null before any. */
  readonly firstDequeuedAt: number | null;
  readonly lastDequeuedAt: number | null;
}

/**
 * An account's outbound queue, paced like Twilio's: creation only enqueues, and calls leave one at a
 * time, at least 1/callsPerSecond apart. A call placed while the queue is backed up waits its turn.
 */
export class OutboundCallQueue<Item> {
  private readonly waiting: Array<{ readonly item: Item; readonly enqueuedAt: number }> = [];
  private readonly intervalMs: number;
  private nextDepartureAt = 0;
  private timer: TimerHandle | undefined;
  private dequeued = 0;
  private maxWaitMs = 0;
  private firstDequeuedAt: number | null = null;
  private lastDequeuedAt: number | null = null;

  constructor(
    callsPerSecond: number,
    private readonly timers: TimerRegistry,
    private readonly onDeparture: (item: Item, waitedMs: number) => void,
  ) {
    if (!(callsPerSecond > 0) || !Number.isFinite(callsPerSecond)) throw new RangeError(`callsPerSecond must be a positive number, got ${callsPerSecond}`);
    this.intervalMs = 1000 / callsPerSecond;
  }

  enqueue(item: Item): void {
    this.waiting.push({ item, enqueuedAt: Date.now() });
    this.scheduleNext();
  }

  /** Takes a call out before its turn (canceled while queued); it uses no departure slot. */
  remove(item: Item): boolean {
    const index = this.waiting.findIndex((entry) => entry.item === item);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  /**
   * How long a waiting call has left before its turn, as Twilio's QueueTime estimate: the time to
   * the next departure slot plus one interval per call ahead of it. undefined once it has left.
   */
  estimatedWaitMs(item: Item): number | undefined {
    const position = this.waiting.findIndex((entry) => entry.item === item);
    if (position < 0) return undefined;
    return Math.round(Math.max(0, this.nextDepartureAt - Date.now()) + position * this.intervalMs);
  }

  /** Drops every waiting call and the figures. */
  clear(): void {
    this.timers.cancel(this.timer);
    this.timer = undefined;
    this.waiting.length = 0;
    this.nextDepartureAt = 0;
    this.dequeued = 0;
    this.maxWaitMs = 0;
    this.firstDequeuedAt = null;
    this.lastDequeuedAt = null;
  }

  stats(): OutboundQueueStats {
    const { dequeued, maxWaitMs, firstDequeuedAt, lastDequeuedAt } = this;
    return { waiting: this.waiting.length, dequeued, maxWaitMs, firstDequeuedAt, lastDequeuedAt };
  }

  private scheduleNext(): void {
    if (this.timer !== undefined || this.waiting.length === 0) return;
    // Always through a timer, even when a slot is free: creation answers before the call starts.
    this.timer = this.timers.after(this.nextDepartureAt - Date.now(), () => this.depart());
  }

  private depart(): void {
    this.timer = undefined;
    const now = Date.now();
    // Node's timers run on a cached loop clock and can fire a millisecond or two early by the wall clock.
    if (now < this.nextDepartureAt) {
      this.timer = this.timers.after(this.nextDepartureAt - now, () => this.depart());
      return;
    }
    const entry = this.waiting.shift();
    if (entry) {
      // Spaced from the actual departure, so a late timer never lets two calls leave closer than the interval.
      this.nextDepartureAt = now + this.intervalMs;
      const waitedMs = now - entry.enqueuedAt;
      this.dequeued += 1;
      this.maxWaitMs = Math.max(this.maxWaitMs, waitedMs);
      this.firstDequeuedAt ??= now;
      this.lastDequeuedAt = now;
      this.onDeparture(entry.item, waitedMs);
    }
    this.scheduleNext();
  }
}
