import type { MessageOutcome, Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';

/** How one text plays out, drawn when it is created. */
export interface MessagePlan {
  readonly outcome: MessageOutcome;
  /** Reported with `undelivered` and `failed`; null when delivered. */
  readonly errorCode: number | null;
  /** Creation to `sent` (or to `failed`). */
  readonly sentMs: number;
  /** `sent` to `delivered` or `undelivered`. */
  readonly deliveredMs: number;
}

export function drawMessagePlan(scenario: Scenario, random: SeededRandom, to: string): MessagePlan {
  const settings = scenario.messages;
  const override = settings.numbers[to];
  const outcome = override?.outcome ?? random.weighted(settings.weights);
  const sentMs = random.within(settings.sentMs);
  const deliveredMs = random.within(settings.deliveredMs);
  const errorCode = outcome === 'delivered' ? null : (override?.errorCode ?? settings.errorCodes[outcome]);
  return { outcome, errorCode, sentMs, deliveredMs };
}
