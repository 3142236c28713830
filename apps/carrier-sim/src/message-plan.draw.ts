import type { MessageOutcome, Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';

/** How one text plays out, drawn when it is created. */
export interface MessagePlan {
  readonly outcome: MessageOutcome;
  /** Reported with `undelivered` and `failed`; null when delivered. */
  readonly errorCode: number | null;
  /** Waiting in the carrier's queue before the `sentMs` leg; past the ValidityPeriod the text fails with `expiredErrorCode` instead. */
  readonly queueMs: number;
  /** Leaving the queue to `sent` (or to `failed`). */
  readonly sentMs: number;
  /** `sent` to `delivered` or `undelivered`. */
  readonly deliveredMs: number;
  readonly expiredErrorCode: number;
}

export function drawMessagePlan(scenario: Scenario, random: SeededRandom, to: string): MessagePlan {
  const settings = scenario.messages;
  const override = settings.numbers[to];
  const outcome = override?.outcome ?? random.weighted(settings.weights);
  const sentMs = random.within(settings.sentMs);
  const deliveredMs = random.within(settings.deliveredMs);
  // Drawn after the older draws (and not at all for a fixed 0): scenarios without a queue delay replay as before.
  const queueMs = random.within(settings.queueDelayMs);
  const errorCode = outcome === 'delivered' ? null : (override?.errorCode ?? settings.errorCodes[outcome]);
  return { outcome, errorCode, queueMs, sentMs, deliveredMs, expiredErrorCode: settings.errorCodes.expired };
}
