import type { Scenario } from './scenario';
import { TokenBucket } from './token-bucket';

/** Which cap refused a text; null when it may go. */
export type RateLimitVerdict = 'sender' | 'account' | null;

type RateCaps = Pick<Scenario['messages'], 'maxPerSecondPerSender' | 'maxPerSecondPerAccount' | 'senderCaps'>;

/**
 * Create Message's rate caps: one token bucket per sender and one for the account, each holding a
 * second's worth of tokens. A text takes a token from both or from neither, so one refused by the
 * account cap does not also spend its sender's allowance.
 */
export class SendRateLimiter {
  private readonly senders = new Map<string, TokenBucket>();
  private account: TokenBucket | undefined;

  constructor(private readonly caps: () => RateCaps) {}

  /** The sender's cap in texts per second (its override, else the per-sender default); null when unlimited. */
  capOf(sender: string): number | null {
    const caps = this.caps();
    return Object.hasOwn(caps.senderCaps, sender) ? (caps.senderCaps[sender] ?? null) : caps.maxPerSecondPerSender;
  }

  tryTake(sender: string, now: number): RateLimitVerdict {
    const senderBucket = this.bucketFor(sender, now);
    const accountBucket = this.accountBucket(now);
    if (senderBucket && !senderBucket.hasToken(now)) return 'sender';
    if (accountBucket && !accountBucket.hasToken(now)) return 'account';
    senderBucket?.take(now);
    accountBucket?.take(now);
    return null;
  }

  /** Forgets every bucket (reset, or a new scenario: its caps start with full buckets). */
  reset(): void {
    this.senders.clear();
    this.account = undefined;
  }

  private bucketFor(sender: string, now: number): TokenBucket | undefined {
    const cap = this.capOf(sender);
    if (cap === null) return undefined;
    const existing = this.senders.get(sender);
    if (existing && existing.ratePerSecond === cap) return existing;
    const bucket = TokenBucket.perSecond(cap, now);
    this.senders.set(sender, bucket);
    return bucket;
  }

  private accountBucket(now: number): TokenBucket | undefined {
    const cap = this.caps().maxPerSecondPerAccount;
    if (cap === null) return undefined;
    if (this.account?.ratePerSecond !== cap) this.account = TokenBucket.perSecond(cap, now);
    return this.account;
  }
}
