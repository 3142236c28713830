// The window a benchmark compares against a per-second cap.
const WINDOW_MS = 1_000;

/** One sender's (or the account's) Create Message figures. */
export interface ThroughputFigures {
  /** Texts created (201). */
  readonly accepted: number;
  /** Create Message requests answered 429. */
  readonly rateLimited: number;
  /** The most texts accepted within any 1,000 ms (a sliding window over acceptance times). */
  readonly maxAcceptedPerSecond: number;
}

class SlidingCount {
  accepted = 0;
  rateLimited = 0;
  maxAcceptedPerSecond = 0;
  private readonly recent: number[] = [];
  private oldest = 0;

  accept(now: number): void {
    this.accepted += 1;
    this.recent.push(now);
    // Keeps the acceptances in (now - 1000 ms, now]: two texts exactly a second apart are in different windows.
    while (this.recent[this.oldest] <= now - WINDOW_MS) this.oldest += 1;
    if (this.oldest > 1_024) {
      this.recent.splice(0, this.oldest);
      this.oldest = 0;
    }
    this.maxAcceptedPerSecond = Math.max(this.maxAcceptedPerSecond, this.recent.length - this.oldest);
  }

  figures(): ThroughputFigures {
    return { accepted: this.accepted, rateLimited: this.rateLimited, maxAcceptedPerSecond: this.maxAcceptedPerSecond };
  }
}

/** Accepted and rate-limited texts per sender and for the account, with the busiest second of each. */
export class SenderThroughputTracker {
  private readonly senders = new Map<string, SlidingCount>();
  private account = new SlidingCount();

  accepted(sender: string, now: number): void {
    this.countFor(sender).accept(now);
    this.account.accept(now);
  }

  rateLimited(sender: string): void {
    this.countFor(sender).rateLimited += 1;
    this.account.rateLimited += 1;
  }

  bySender(): Record<string, ThroughputFigures> {
    return Object.fromEntries([...this.senders].map(([sender, count]) => [sender, count.figures()]));
  }

  forAccount(): ThroughputFigures {
    return this.account.figures();
  }

  reset(): void {
    this.senders.clear();
    this.account = new SlidingCount();
  }

  private countFor(sender: string): SlidingCount {
    let count = this.senders.get(sender);
    if (!count) {
      count = new SlidingCount();
      this.senders.set(sender, count);
    }
    return count;
  }
}
