import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainErrorCode, DomainException } from '@app/common';
import { AppConfig } from '@app/config';
import { RedisClient } from '@app/queue';

/** Failed sign-ins one account may have in the window before it waits: slows a password guesser to a crawl. */
export const ACCOUNT_FAILURES_ALLOWED = 5;
/** Sign-in attempts, right or wrong, from one address in the window: a whole office behind one NAT still fits. */
export const ADDRESS_ATTEMPTS_ALLOWED = 30;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

/**
 * Counts sign-in attempts in Redis, per account (failures only) and per address (all), so every
 * api replica shares one count. Accounts are keyed by a hash of the email: no address book in Redis.
 */
@Injectable()
export class SignInRateLimiter {
  private readonly accounts: RateLimiterRedis;
  private readonly addresses: RateLimiterRedis;

  constructor(redis: RedisClient, config: AppConfig) {
    const options = { storeClient: redis.connection, duration: SIGN_IN_WINDOW_SECONDS, rejectIfRedisNotReady: true };
    this.accounts = new RateLimiterRedis({ ...options, keyPrefix: `${config.queue.prefix}:sign-in:account`, points: ACCOUNT_FAILURES_ALLOWED });
    this.addresses = new RateLimiterRedis({ ...options, keyPrefix: `${config.queue.prefix}:sign-in:address`, points: ADDRESS_ATTEMPTS_ALLOWED });
  }

  /** Counts an attempt from the address and refuses it if the address or the account is over its limit. */
  async admit(email: string, address: string): Promise<void> {
    const account = await guarded(() => this.accounts.get(accountKey(email)));
    if (account !== null && account.consumedPoints >= ACCOUNT_FAILURES_ALLOWED) throw tooMany(account.msBeforeNext);
    await this.admitAddress(address);
  }

  /** Counts a request that names no account (an invitation link, a reset request) against its address only. */
  async admitAddress(address: string): Promise<void> {
    await guarded(() => this.addresses.consume(address));
  }

  async recordFailure(email: string): Promise<void> {
    // A rejection here only means the account has just reached its limit; the next attempt is refused.
    await guarded(() => this.accounts.penalty(accountKey(email)));
  }

  async recordSuccess(email: string): Promise<void> {
    await guarded(() => this.accounts.delete(accountKey(email)));
  }
}

const accountKey = (email: string): string => createHash('sha256').update(email.toLowerCase(), 'utf8').digest('base64url');

function tooMany(msBeforeNext: number): DomainException {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainException(DomainErrorCode.RateLimited, `Too many sign-in attempts; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
}

/** The limiter rejects with its verdict when over the limit and with an Error when Redis fails; sign-in fails closed. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(error.msBeforeNext);
    throw new DomainException(DomainErrorCode.DependencyUnavailable, 'Sign-in is unavailable for a moment; try again shortly');
  }
}
