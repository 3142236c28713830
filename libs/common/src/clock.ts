import { Injectable } from '@nestjs/common';

/**
 * The time rules run on (calling windows, call-back times). Injected rather than read from
 * `new Date()` so a test can put a phone bank at noon in the voter's zone whatever the hour in CI.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
