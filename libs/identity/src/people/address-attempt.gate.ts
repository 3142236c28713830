import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@app/common';
import { SignInRateLimiter } from '../sessions/sign-in-rate.limiter';

/**
 * The per-address limit of requests that need no session (invitation links, password resets).
 * They spend sign-in's budget per address (SignInRateLimiter: counted in Redis, shared by every
 * replica), so switching between sign-in, invitations and resets buys a prober nothing. No
 * account is counted: someone locked out of sign-in must still be able to reset their password.
 */
@Injectable()
export class AddressAttemptGate {
  constructor(private readonly limiter: SignInRateLimiter) {}

  async admit(address: string): Promise<void> {
    try {
      await this.limiter.admitAddress(address);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const retryAfterSeconds = error.details.retryAfterSeconds;
      throw error.code === DomainErrorCode.RateLimited
        ? new DomainException(DomainErrorCode.RateLimited, `Too many requests from this address; try again in ${String(retryAfterSeconds)} seconds`, {
            retryAfterSeconds,
          })
        : new DomainException(error.code, 'This is unavailable for a moment; try again shortly');
    }
  }
}
