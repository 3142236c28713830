/**
 * A token bucket: `capacity` tokens, refilled continuously at `ratePerSecond`, full to start with.
 * Time is passed in (epoch ms) so tests can drive it without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.refilledAt = now;
  }

  /** One second's worth of tokens (at least one, so a cap below 1/s still lets a text through now and then). */
  static perSecond(ratePerSecond: number, now: number): TokenBucket {
    return new TokenBucket(ratePerSecond, Math.max(1, ratePerSecond), now);
  }

  hasToken(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  /** Takes one token; call only after hasToken(now) said yes. */
  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  private refill(now: number): void {
    // A clock that steps back (it should not) must not drain the bucket.
    const elapsedMs = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs * this.ratePerSecond) / 1000);
    this.refilledAt = Math.max(this.refilledAt, now);
  }
}
