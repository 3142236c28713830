import { DomainErrorCode, DomainException } from '@app/common';
import { type CallingWindow, DEFAULT_CALLING_WINDOW, formatClockTime, LEGAL_CALLING_WINDOW, parseClockTime } from './calling-window';

export const CAMPAIGN_CHANNELS = ['phone', 'sms'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
export const DIAL_MODES = ['preview', 'power', 'predictive'] as const;
export type DialMode = (typeof DIAL_MODES)[number];
/** Every mode can be worked: preview (click to call), power and predictive (the dialer paces them). */
export const AVAILABLE_DIAL_MODES: ReadonlySet<DialMode> = new Set(['preview', 'power', 'predictive']);
/** The modes the dialer paces: their mobile and unknown-type numbers need a line-type lookup and a volunteer's or clicker's action. */
export const PACED_DIAL_MODES: ReadonlySet<DialMode> = new Set(['power', 'predictive']);
export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'finished'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** After these dispositions a voter is tried again, after the delay, until the attempts run out. */
export const RETRIABLE_DISPOSITIONS = ['not_home', 'voicemail', 'busy', 'call_back', 'language_needed'] as const;
export type RetriableDisposition = (typeof RETRIABLE_DISPOSITIONS)[number];

export interface RetryRule {
  /** Ignored for call_back: the volunteer names the time. */
  readonly delayMinutes: number;
  /** Attempts on this voter, counting this one, after which they are not called again. */
  readonly maxAttempts: number;
}
export type RetryPolicy = Readonly<Record<RetriableDisposition, RetryRule>>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  not_home: { delayMinutes: 240, maxAttempts: 3 },
  voicemail: { delayMinutes: 24 * 60, maxAttempts: 3 },
  busy: { delayMinutes: 30, maxAttempts: 4 },
  call_back: { delayMinutes: 0, maxAttempts: 5 },
  // a volunteer who speaks the language may pick them up; a day gives the lead time to find one
  language_needed: { delayMinutes: 24 * 60, maxAttempts: 3 },
};

const E164 = /^\+[1-9]\d{6,14}$/;

/** The law's cap on abandoned calls: 3% of live answers over 30 days. A campaign's target must sit below it. */
export const LEGAL_ABANDON_RATE_CAP = 0.03;

/**
 * The dialer's settings and their bounds, the same as the database's CHECKs (migration
 * 1795400000013), so a bad value is refused with its field's name before the database sees it.
 */
export const DIALER_SETTING_LIMITS = {
  /** This campaign's share of the carrier account's calls per second (Twilio's default is 1). */
  callsPerSecond: { min: 0, max: 100 },
  /** Power mode's lines per ready volunteer, a whole number. */
  powerLinesPerVolunteer: { min: 1, max: 4 },
  /** Predictive's ceiling on lines per available volunteer. */
  maxLinesPerVolunteer: { min: 1, max: 20 },
  identificationMessage: { minLength: 10, maxLength: 500 },
  voicemailMessage: { minLength: 10, maxLength: 1000 },
} as const;

/** What the dialer's settings an owner sends; absent keeps, null clears a message. */
export interface DialerSettingsInput {
  readonly callsPerSecond?: number;
  readonly powerLinesPerVolunteer?: number;
  readonly maxLinesPerVolunteer?: number;
  readonly abandonRateTarget?: number;
  readonly identificationMessage?: string | null;
  readonly voicemailMessage?: string | null;
}

/** Checked: in bounds, messages trimmed (empty → null). */
export type DialerSettings = DialerSettingsInput;

/** Checks each dialer setting given; throws naming every bad one. Messages are trimmed, and empty means none. */
export function parseDialerSettings(input: DialerSettingsInput): DialerSettings {
  const problems: Array<[string, string]> = [];
  const limits = DIALER_SETTING_LIMITS;
  const number = (field: string, value: number | undefined, ok: (value: number) => boolean, expected: string): void => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) problems.push([field, `expected ${expected}, got ${String(value)}`]);
  };
  number(
    'callsPerSecond',
    input.callsPerSecond,
    (value) => value > limits.callsPerSecond.min && value <= limits.callsPerSecond.max,
    'more than 0 and at most 100 calls a second',
  );
  number(
    'powerLinesPerVolunteer',
    input.powerLinesPerVolunteer,
    (value) => Number.isInteger(value) && value >= limits.powerLinesPerVolunteer.min && value <= limits.powerLinesPerVolunteer.max,
    'a whole number of lines from 1 to 4',
  );
  number(
    'maxLinesPerVolunteer',
    input.maxLinesPerVolunteer,
    (value) => value >= limits.maxLinesPerVolunteer.min && value <= limits.maxLinesPerVolunteer.max,
    'from 1 to 20 lines',
  );
  number(
    'abandonRateTarget',
    input.abandonRateTarget,
    (value) => value > 0 && value < LEGAL_ABANDON_RATE_CAP,
    'a share above 0 and below 0.03 (the law caps abandoned calls at 3% of live answers)',
  );
  const message = (field: string, value: string | null | undefined, bounds: { minLength: number; maxLength: number }): string | null | undefined => {
    if (value === undefined || value === null) return value;
    if (typeof value !== 'string') {
      problems.push([field, 'expected text']);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') return null;
    if (trimmed.length < bounds.minLength || trimmed.length > bounds.maxLength) {
      problems.push([field, `expected ${bounds.minLength} to ${bounds.maxLength} characters, got ${trimmed.length}`]);
    }
    return trimmed;
  };
  const identificationMessage = message('identificationMessage', input.identificationMessage, limits.identificationMessage);
  const voicemailMessage = message('voicemailMessage', input.voicemailMessage, limits.voicemailMessage);
  if (problems.length > 0) {
    throw new DomainException(DomainErrorCode.ValidationFailed, problems.map(([field, problem]) => `${field}: ${problem}`).join('; '), {
      field: problems[0][0],
      fields: problems.map(([field]) => field),
    });
  }
  return {
    callsPerSecond: input.callsPerSecond,
    powerLinesPerVolunteer: input.powerLinesPerVolunteer,
    maxLinesPerVolunteer: input.maxLinesPerVolunteer,
    abandonRateTarget: input.abandonRateTarget,
    identificationMessage,
    voicemailMessage,
  };
}

/** Why a campaign in this mode with this identification message may not exist, or null. */
export function identificationProblem(dialMode: DialMode, identificationMessage: string | null): string | null {
  if (dialMode !== 'predictive' || identificationMessage !== null) return null;
  return 'a predictive campaign needs an identification message: it is played to a person no volunteer could take in time, and must name who is calling and a number to call back';
}

/** Merges a partial policy over the defaults; throws naming each bad entry. */
export function parseRetryPolicy(input: unknown): RetryPolicy {
  if (input === undefined || input === null) return DEFAULT_RETRY_POLICY;
  if (typeof input !== 'object' || Array.isArray(input)) invalid('retryPolicy', 'expected an object keyed by disposition');
  const problems: string[] = [];
  const policy: Record<string, RetryRule> = { ...DEFAULT_RETRY_POLICY };
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!(RETRIABLE_DISPOSITIONS as readonly string[]).includes(key)) {
      problems.push(`retryPolicy.${key}: not a retriable disposition (${RETRIABLE_DISPOSITIONS.join(', ')})`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`retryPolicy.${key}: expected an object with delayMinutes and maxAttempts`);
      continue;
    }
    const unknown = Object.keys(value).filter((property) => property !== 'delayMinutes' && property !== 'maxAttempts');
    if (unknown.length > 0) {
      problems.push(`retryPolicy.${key}: unknown ${unknown.join(', ')} (expected delayMinutes and maxAttempts)`);
      continue;
    }
    const rule = value as Partial<RetryRule>;
    const delay = rule?.delayMinutes ?? policy[key].delayMinutes;
    const attempts = rule?.maxAttempts ?? policy[key].maxAttempts;
    if (!Number.isInteger(delay) || delay < 0 || delay > 60 * 24 * 30) problems.push(`retryPolicy.${key}.delayMinutes: expected 0-43200 minutes`);
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) problems.push(`retryPolicy.${key}.maxAttempts: expected 1-20`);
    policy[key] = { delayMinutes: delay, maxAttempts: attempts };
  }
  if (problems.length > 0) invalid('retryPolicy', problems.join('; '));
  return policy as RetryPolicy;
}

/** "HH:MM"-"HH:MM" inside 08:00-21:00, start before end; a side left out is the default's (the phone one unless another is given). */
export function parseCallingWindow(input: { start?: string; end?: string } | undefined, defaults: CallingWindow = DEFAULT_CALLING_WINDOW): CallingWindow {
  if (input === undefined) return defaults;
  const startMinute = input.start === undefined ? defaults.startMinute : parseClockTime(input.start);
  const endMinute = input.end === undefined ? defaults.endMinute : parseClockTime(input.end);
  if (startMinute === null) invalid('callingWindow.start', `expected a time such as 09:00, got "${input.start}"`);
  if (endMinute === null) invalid('callingWindow.end', `expected a time such as 20:30, got "${input.end}"`);
  const legal = `${formatClockTime(LEGAL_CALLING_WINDOW.startMinute)}-${formatClockTime(LEGAL_CALLING_WINDOW.endMinute)}`;
  if (startMinute < LEGAL_CALLING_WINDOW.startMinute)
    invalid('callingWindow.start', `voters may not be called before 08:00 their time (the window must lie within ${legal})`);
  if (endMinute > LEGAL_CALLING_WINDOW.endMinute)
    invalid('callingWindow.end', `voters may not be called after 21:00 their time (the window must lie within ${legal})`);
  if (startMinute >= endMinute) invalid('callingWindow', 'the start must come before the end');
  return { startMinute, endMinute };
}

export function parseCallerIds(input: readonly string[]): string[] {
  const bad = input.filter((number) => !E164.test(number));
  if (bad.length > 0) invalid('callerIds', `expected phone numbers in E.164 such as +14155550123; not: ${bad.join(', ')}`);
  return [...new Set(input)];
}

function invalid(field: string, message: string): never {
  throw new DomainException(DomainErrorCode.ValidationFailed, `${field}: ${message}`, { field });
}
