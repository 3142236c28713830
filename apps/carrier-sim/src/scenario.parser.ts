import {
  ANSWERED_BY_VALUES,
  ANSWERED_EVENT_MOMENTS,
  CALL_OUTCOMES,
  type CallNumberOverride,
  DEFAULT_SCENARIO,
  LINE_TYPES,
  MESSAGE_ENDS,
  MESSAGE_OUTCOMES,
  type MessageNumberOverride,
  type MessageOutcome,
  RINGING_OUTCOMES,
  type RingingOutcome,
  type Scenario,
} from './scenario';
import { isHttpUrl } from './call-request.parser';
import { isMessageSender } from './message-request.parser';
import type { MillisecondRange } from './seeded-random';
import { isE164 } from './twilio-format.util';

/** A scenario document that cannot be used; `field` is its dotted path, such as `timings.ringMs.human.max`. */
export class ScenarioValidationException extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`scenario.${field} ${problem}`);
    this.name = 'ScenarioValidationException';
  }
}

// A day: anything longer is a typo, and keeps timer delays far below setTimeout's 2^31 ms limit.
const MAX_MILLISECONDS = 86_400_000;

type Fields = Readonly<Record<string, unknown>>;

/** Validates a scenario document (every field optional) and fills in the defaults. Throws ScenarioValidationException. */
export function parseScenario(input: unknown): Scenario {
  const document = objectAt(input ?? {}, '', [
    'seed',
    'weights',
    'numbers',
    'timings',
    'amd',
    'duplicateRate',
    'outOfOrderRate',
    'lateMs',
    'callbackDelayMs',
    'lossRate',
    'retryMs',
    'lineTypes',
    'messages',
  ]);
  const timings = objectAt(document.timings ?? {}, 'timings', [
    'connectMs',
    'ringMs',
    'detectionMs',
    'greetingMs',
    'talkMs',
    'maxCallMs',
    'timeoutBufferMs',
    'sayMsPerCharacter',
    'playMs',
  ]);
  const defaults = DEFAULT_SCENARIO;
  return {
    seed: document.seed === undefined ? defaults.seed : wholeNumberAt(document.seed, 'seed', 0, 0xffffffff),
    weights: document.weights === undefined ? defaults.weights : weightsAt(document.weights, 'weights', CALL_OUTCOMES),
    numbers: callNumbersAt(document.numbers ?? {}),
    timings: {
      connectMs: optionalRangeAt(timings.connectMs, 'timings.connectMs', defaults.timings.connectMs),
      ringMs: ringTimesAt(timings.ringMs ?? {}),
      detectionMs:
        timings.detectionMs === undefined || timings.detectionMs === null ? defaults.timings.detectionMs : rangeAt(timings.detectionMs, 'timings.detectionMs'),
      greetingMs: optionalRangeAt(timings.greetingMs, 'timings.greetingMs', defaults.timings.greetingMs),
      talkMs: talkTimesAt(timings.talkMs ?? {}),
      maxCallMs: timings.maxCallMs === undefined ? defaults.timings.maxCallMs : wholeNumberAt(timings.maxCallMs, 'timings.maxCallMs', 1, MAX_MILLISECONDS),
      timeoutBufferMs: optionalRangeAt(timings.timeoutBufferMs, 'timings.timeoutBufferMs', defaults.timings.timeoutBufferMs),
      sayMsPerCharacter:
        timings.sayMsPerCharacter === undefined
          ? defaults.timings.sayMsPerCharacter
          : wholeNumberAt(timings.sayMsPerCharacter, 'timings.sayMsPerCharacter', 0, 10_000),
      playMs: optionalRangeAt(timings.playMs, 'timings.playMs', defaults.timings.playMs),
    },
    amd: machineDetectionAt(document.amd ?? {}),
    duplicateRate: document.duplicateRate === undefined ? defaults.duplicateRate : probabilityAt(document.duplicateRate, 'duplicateRate'),
    outOfOrderRate: document.outOfOrderRate === undefined ? defaults.outOfOrderRate : probabilityAt(document.outOfOrderRate, 'outOfOrderRate'),
    lateMs: optionalRangeAt(document.lateMs, 'lateMs', defaults.lateMs),
    callbackDelayMs: optionalRangeAt(document.callbackDelayMs, 'callbackDelayMs', defaults.callbackDelayMs),
    lossRate: document.lossRate === undefined ? defaults.lossRate : probabilityAt(document.lossRate, 'lossRate'),
    retryMs: optionalRangeAt(document.retryMs, 'retryMs', defaults.retryMs),
    lineTypes: document.lineTypes === undefined ? defaults.lineTypes : weightsAt(document.lineTypes, 'lineTypes', LINE_TYPES),
    messages: messagesAt(document.messages ?? {}),
  };
}

function machineDetectionAt(value: unknown): Scenario['amd'] {
  const amd = objectAt(value, 'amd', [
    'humanGreetingMs',
    'machineVerdictMs',
    'humanAsMachine',
    'machineAsHuman',
    'unknownRate',
    'faxRate',
    'messageEnd',
    'answeredEvent',
  ]);
  const defaults = DEFAULT_SCENARIO.amd;
  const rate = (key: 'humanAsMachine' | 'machineAsHuman' | 'unknownRate' | 'faxRate'): number =>
    amd[key] === undefined ? defaults[key] : probabilityAt(amd[key], `amd.${key}`);
  return {
    humanGreetingMs: optionalRangeAt(amd.humanGreetingMs, 'amd.humanGreetingMs', defaults.humanGreetingMs),
    machineVerdictMs: optionalRangeAt(amd.machineVerdictMs, 'amd.machineVerdictMs', defaults.machineVerdictMs),
    humanAsMachine: rate('humanAsMachine'),
    machineAsHuman: rate('machineAsHuman'),
    unknownRate: rate('unknownRate'),
    faxRate: rate('faxRate'),
    messageEnd: amd.messageEnd === undefined ? defaults.messageEnd : weightsAt(amd.messageEnd, 'amd.messageEnd', MESSAGE_ENDS),
    answeredEvent: amd.answeredEvent === undefined ? defaults.answeredEvent : oneOfAt(amd.answeredEvent, 'amd.answeredEvent', ANSWERED_EVENT_MOMENTS),
  };
}

function messagesAt(value: unknown): Scenario['messages'] {
  const messages = objectAt(value, 'messages', [
    'weights',
    'numbers',
    'sentMs',
    'deliveredMs',
    'errorCodes',
    'queueDelayMs',
    'maxPerSecondPerSender',
    'maxPerSecondPerAccount',
    'senderCaps',
    'serverErrorRate',
    'autoReplies',
    'inboundUrl',
  ]);
  const defaults = DEFAULT_SCENARIO.messages;
  const errorCodes = objectAt(messages.errorCodes ?? {}, 'messages.errorCodes', ['undelivered', 'failed', 'expired']);
  const errorCode = (key: 'undelivered' | 'failed' | 'expired'): number =>
    errorCodes[key] === undefined ? defaults.errorCodes[key] : errorCodeAt(errorCodes[key], `messages.errorCodes.${key}`);
  return {
    weights: messages.weights === undefined ? defaults.weights : weightsAt(messages.weights, 'messages.weights', MESSAGE_OUTCOMES),
    numbers: messageNumbersAt(messages.numbers ?? {}),
    sentMs: optionalRangeAt(messages.sentMs, 'messages.sentMs', defaults.sentMs),
    deliveredMs: optionalRangeAt(messages.deliveredMs, 'messages.deliveredMs', defaults.deliveredMs),
    errorCodes: { undelivered: errorCode('undelivered'), failed: errorCode('failed'), expired: errorCode('expired') },
    queueDelayMs: optionalRangeAt(messages.queueDelayMs, 'messages.queueDelayMs', defaults.queueDelayMs),
    maxPerSecondPerSender: optionalRateAt(messages.maxPerSecondPerSender, 'messages.maxPerSecondPerSender'),
    maxPerSecondPerAccount: optionalRateAt(messages.maxPerSecondPerAccount, 'messages.maxPerSecondPerAccount'),
    senderCaps: senderCapsAt(messages.senderCaps ?? {}),
    serverErrorRate: messages.serverErrorRate === undefined ? defaults.serverErrorRate : probabilityAt(messages.serverErrorRate, 'messages.serverErrorRate'),
    autoReplies: messages.autoReplies === undefined ? defaults.autoReplies : booleanAt(messages.autoReplies, 'messages.autoReplies'),
    inboundUrl: messages.inboundUrl === undefined || messages.inboundUrl === null ? defaults.inboundUrl : httpUrlAt(messages.inboundUrl, 'messages.inboundUrl'),
  };
}

function senderCapsAt(value: unknown): Record<string, number | null> {
  const caps = objectAt(value, 'messages.senderCaps');
  return Object.fromEntries(
    Object.entries(caps).map(([sender, cap]) => {
      const path = `messages.senderCaps.${sender}`;
      if (!isMessageSender(sender)) {
        throw new ScenarioValidationException(path, 'must be keyed by a sender: an E.164 number, an alphanumeric sender ID or a MessagingServiceSid (MG…)');
      }
      return [sender, optionalRateAt(cap, path)];
    }),
  );
}

// A million texts a second is far beyond any real sender; more is a typo.
const MAX_RATE_PER_SECOND = 1_000_000;

/** A cap in texts per second (fractions allowed), or null (or left out) for no cap. */
function optionalRateAt(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_RATE_PER_SECOND) {
    throw new ScenarioValidationException(path, `must be a number of texts per second above 0 and at most ${MAX_RATE_PER_SECOND}, or null for no cap`);
  }
  return value;
}

function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new ScenarioValidationException(path, 'must be true or false');
  return value;
}

function httpUrlAt(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isHttpUrl(value)) throw new ScenarioValidationException(path, 'must be an http(s) URL, or null');
  return value;
}

function callNumbersAt(value: unknown): Record<string, CallNumberOverride> {
  const numbers = objectAt(value, 'numbers');
  return Object.fromEntries(
    Object.entries(numbers).map(([phoneNumber, override]) => {
      const path = `numbers.${phoneNumber}`;
      if (!isE164(phoneNumber)) throw new ScenarioValidationException(path, 'must be keyed by an E.164 number such as +15551230001');
      const fields = objectAt(override, path, ['outcome', 'ringMs', 'talkMs', 'answeredBy', 'greetingMs', 'lineType']);
      // An override that fixes nothing is a mistake; the outcome is what one usually meant to give.
      if (Object.values(fields).every((field) => field === undefined)) {
        throw new ScenarioValidationException(`${path}.outcome`, `must be one of ${CALL_OUTCOMES.join(', ')} (or give another override field)`);
      }
      const parsed: CallNumberOverride = {
        ...(fields.outcome === undefined ? {} : { outcome: oneOfAt(fields.outcome, `${path}.outcome`, CALL_OUTCOMES) }),
        ...(fields.ringMs === undefined ? {} : { ringMs: rangeAt(fields.ringMs, `${path}.ringMs`) }),
        ...(fields.talkMs === undefined ? {} : { talkMs: fields.talkMs === null ? null : rangeAt(fields.talkMs, `${path}.talkMs`) }),
        ...(fields.answeredBy === undefined ? {} : { answeredBy: oneOfAt(fields.answeredBy, `${path}.answeredBy`, ANSWERED_BY_VALUES) }),
        ...(fields.greetingMs === undefined ? {} : { greetingMs: rangeAt(fields.greetingMs, `${path}.greetingMs`) }),
        ...(fields.lineType === undefined ? {} : { lineType: oneOfAt(fields.lineType, `${path}.lineType`, LINE_TYPES) }),
      };
      return [phoneNumber, parsed];
    }),
  );
}

function messageNumbersAt(value: unknown): Record<string, MessageNumberOverride> {
  const numbers = objectAt(value, 'messages.numbers');
  return Object.fromEntries(
    Object.entries(numbers).map(([phoneNumber, override]) => {
      const path = `messages.numbers.${phoneNumber}`;
      if (!isE164(phoneNumber)) throw new ScenarioValidationException(path, 'must be keyed by an E.164 number such as +15551230001');
      const fields = objectAt(override, path, ['outcome', 'errorCode', 'createError']);
      // Without a createError the outcome is what the override is for; a number refused at create time needs none.
      if (fields.outcome === undefined && fields.createError === undefined) {
        throw new ScenarioValidationException(`${path}.outcome`, `must be one of ${MESSAGE_OUTCOMES.join(', ')} (or give createError)`);
      }
      const parsed: MessageNumberOverride = {
        ...(fields.outcome === undefined ? {} : { outcome: oneOfAt<MessageOutcome>(fields.outcome, `${path}.outcome`, MESSAGE_OUTCOMES) }),
        ...(fields.errorCode === undefined ? {} : { errorCode: errorCodeAt(fields.errorCode, `${path}.errorCode`) }),
        ...(fields.createError === undefined ? {} : { createError: createErrorAt(fields.createError, `${path}.createError`) }),
      };
      return [phoneNumber, parsed];
    }),
  );
}

function ringTimesAt(value: unknown): Record<RingingOutcome, MillisecondRange> {
  const ringMs = objectAt(value, 'timings.ringMs', RINGING_OUTCOMES);
  return Object.fromEntries(
    RINGING_OUTCOMES.map((outcome) => [outcome, optionalRangeAt(ringMs[outcome], `timings.ringMs.${outcome}`, DEFAULT_SCENARIO.timings.ringMs[outcome])]),
  ) as Record<RingingOutcome, MillisecondRange>;
}

function talkTimesAt(value: unknown): Scenario['timings']['talkMs'] {
  const talkMs = objectAt(value, 'timings.talkMs', ['human', 'machine']);
  const read = (key: 'human' | 'machine'): MillisecondRange | null =>
    talkMs[key] === undefined ? DEFAULT_SCENARIO.timings.talkMs[key] : talkMs[key] === null ? null : rangeAt(talkMs[key], `timings.talkMs.${key}`);
  return { human: read('human'), machine: read('machine') };
}

function weightsAt<Key extends string>(value: unknown, path: string, keys: readonly Key[]): Record<Key, number> {
  const fields = objectAt(value, path, keys);
  const weights = Object.fromEntries(
    keys.map((key) => {
      const weight = fields[key] ?? 0;
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new ScenarioValidationException(`${path}.${key}`, 'must be a number ≥ 0');
      return [key, weight];
    }),
  ) as Record<Key, number>;
  if (!keys.some((key) => weights[key] > 0)) throw new ScenarioValidationException(path, 'must give at least one outcome a weight above 0');
  return weights;
}

function objectAt(value: unknown, path: string, allowedKeys?: readonly string[]): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ScenarioValidationException(path || '(root)', 'must be a JSON object');
  if (allowedKeys) {
    const unknown = Object.keys(value).find((key) => !allowedKeys.includes(key));
    if (unknown !== undefined)
      throw new ScenarioValidationException(path ? `${path}.${unknown}` : unknown, `is not a scenario field (expected one of ${allowedKeys.join(', ')})`);
  }
  return value as Fields;
}

function optionalRangeAt(value: unknown, path: string, fallback: MillisecondRange): MillisecondRange {
  return value === undefined ? fallback : rangeAt(value, path);
}

function rangeAt(value: unknown, path: string): MillisecondRange {
  if (typeof value === 'number') {
    const fixed = wholeNumberAt(value, path, 0, MAX_MILLISECONDS);
    return { min: fixed, max: fixed };
  }
  const fields = objectAt(value, path, ['min', 'max']);
  const min = wholeNumberAt(fields.min, `${path}.min`, 0, MAX_MILLISECONDS);
  const max = wholeNumberAt(fields.max, `${path}.max`, 0, MAX_MILLISECONDS);
  if (max < min) throw new ScenarioValidationException(`${path}.max`, `must be ≥ min (${min})`);
  return { min, max };
}

function wholeNumberAt(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ScenarioValidationException(path, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function probabilityAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new ScenarioValidationException(path, 'must be a probability from 0 to 1');
  return value;
}

function errorCodeAt(value: unknown, path: string): number {
  return wholeNumberAt(value, path, 1, 99_999);
}

/** A Twilio REST error code (five digits, such as 21211); anything else would not read as one in a RestException. */
function createErrorAt(value: unknown, path: string): number {
  return wholeNumberAt(value, path, 10_000, 99_999);
}

function oneOfAt<Value extends string>(value: unknown, path: string, allowed: readonly Value[]): Value {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ScenarioValidationException(path, `must be one of ${allowed.join(', ')}`);
  }
  return value as Value;
}
