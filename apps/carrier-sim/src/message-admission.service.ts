import { senderOf } from './message-request.parser';
import type { OptOutRegistry } from './opt-out.registry';
import type { Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';
import type { SendRateLimiter } from './send-rate.limiter';
import type { SenderThroughputTracker } from './sender-throughput.tracker';
import type { MessageRequest } from './simulated-message';
import type { SimulatorCounters } from './simulator.stats';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';

/** Twilio's messages for the create-time codes a scenario is likely to give (`messages.numbers[to].createError`). */
const CREATE_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  21211: "Invalid 'To' Phone Number",
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
  21606: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account",
  21610: 'Attempt to send to unsubscribed recipient',
  21612: "The 'To' phone number is not currently reachable via SMS",
  21614: "'To' number is not a valid mobile number",
};

export interface MessageAdmissionDependencies {
  readonly scenario: () => Scenario;
  /** The simulator's main sequence; drawn only when serverErrorRate is above 0, so other scenarios replay as before. */
  readonly random: () => SeededRandom;
  readonly limiter: SendRateLimiter;
  readonly throughput: SenderThroughputTracker;
  readonly optOuts: OptOutRegistry;
  readonly counters: SimulatorCounters;
}

/**
 * What Twilio checks before it creates a text, in the order a request meets them: the rate caps
 * (429, 20429), a transient failure (500, 20500), a number the scenario refuses at create time, and
 * the opt-out list (400, 21610). Whatever refuses a request, nothing is created.
 */
export class MessageAdmission {
  constructor(private readonly dependencies: MessageAdmissionDependencies) {}

  /** Throws TwilioApiException when the text must not be created; otherwise counts it as accepted for its sender. */
  admit(request: MessageRequest, now: number): void {
    const { scenario, random, limiter, throughput, optOuts, counters } = this.dependencies;
    const sender = senderOf(request);
    if (limiter.tryTake(sender, now) !== null) {
      counters.messagesRateLimited += 1;
      throughput.rateLimited(sender);
      throw new TwilioApiException(429, TWILIO_ERROR.tooManyRequests, 'Too Many Requests');
    }
    const settings = scenario().messages;
    if (random().chance(settings.serverErrorRate)) {
      counters.messagesServerErrors += 1;
      throw new TwilioApiException(500, TWILIO_ERROR.internalError, 'Internal Server Error');
    }
    const createError = settings.numbers[request.to]?.createError;
    if (createError !== undefined) {
      counters.messagesCreateErrors += 1;
      throw new TwilioApiException(400, createError, CREATE_ERROR_MESSAGES[createError] ?? `Simulated create error ${createError}`);
    }
    const senders = [request.from, request.messagingServiceSid].filter((candidate): candidate is string => candidate !== null);
    if (optOuts.isOptedOut(senders, request.to)) {
      counters.messagesOptedOut += 1;
      throw new TwilioApiException(400, TWILIO_ERROR.unsubscribedRecipient, CREATE_ERROR_MESSAGES[TWILIO_ERROR.unsubscribedRecipient]);
    }
    throughput.accepted(sender, now);
  }
}
