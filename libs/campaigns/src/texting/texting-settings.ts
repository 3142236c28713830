import { DomainErrorCode, DomainException } from '@app/common';
import type { CallingWindow } from '../calling-window';
import { parseMergeTemplate } from '../scripts/merge-template.parser';

/**
 * A text campaign's settings and their bounds, the same as the database's CHECKs (migration
 * 1795400000017) where it has them, so a bad value is refused with its field's path first.
 */
export const TEXTING_SETTING_LIMITS = {
  /** Our numbers a campaign texts from; more than a few hundred is a Messaging Service's job. */
  sendingNumbers: { max: 400 },
  /** A text body: Twilio's cap on one message, 10 segments. */
  template: { minLength: 1, maxLength: 1_600 },
  initialMessageVariants: { max: 50 },
  cannedResponses: { max: 50 },
  cannedResponseTitle: { minLength: 1, maxLength: 80 },
  suppressTextedWithinDays: { min: 1, max: 365 },
} as const;

/** When a text campaign without a window of its own may text: inside the law's 08:00-21:00, an evening hour short of it. */
export const DEFAULT_TEXTING_WINDOW: CallingWindow = { startMinute: 9 * 60, endMinute: 20 * 60 };

/** The names of the texting settings, as an owner sends them; a phone campaign takes none of them. */
export const TEXTING_SETTING_FIELDS = ['sendingNumbers', 'messagingServiceSid', 'initialMessage', 'cannedResponses', 'suppressTextedWithinDays'] as const;
export type TextingSettingField = (typeof TEXTING_SETTING_FIELDS)[number];

/** The initial text a voter in one values segment gets instead of the base template. */
export interface InitialMessageVariant {
  readonly segmentKey: string;
  readonly template: string;
}

/** The first text of each conversation, with merge fields, and its per-segment wordings. */
export interface InitialMessage {
  readonly template: string;
  readonly variants: readonly InitialMessageVariant[];
}

/** A reply a texter sends with one click; its body may use merge fields. */
export interface CannedResponse {
  /** Unique within the campaign, lower snake case like survey question keys. */
  readonly key: string;
  readonly title: string;
  readonly body: string;
}

/** What an owner sends; absent keeps, null clears (the messaging service, the initial message, the suppression). */
export interface TextingSettingsInput {
  readonly sendingNumbers?: unknown;
  readonly messagingServiceSid?: unknown;
  readonly initialMessage?: unknown;
  readonly cannedResponses?: unknown;
  readonly suppressTextedWithinDays?: unknown;
}

/** Checked: well-formed, in bounds, templates trimmed; absent fields stay absent. */
export interface TextingSettings {
  readonly sendingNumbers?: readonly string[];
  readonly messagingServiceSid?: string | null;
  readonly initialMessage?: InitialMessage | null;
  readonly cannedResponses?: readonly CannedResponse[];
  readonly suppressTextedWithinDays?: number | null;
}

export interface TextingSettingsContext {
  /** The segment keys of the alliance's taxonomy; when given, a variant must be for one of them. */
  readonly segmentKeys?: readonly string[];
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
/** Lower snake case, like the taxonomy's segment keys and survey question keys. */
const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const INITIAL_MESSAGE_PROPERTIES = ['template', 'variants'];
const VARIANT_PROPERTIES = ['segmentKey', 'template'];
const CANNED_RESPONSE_PROPERTIES = ['key', 'title', 'body'];
const PROBLEMS_IN_MESSAGE = 10;

/**
 * Checks each texting setting given and throws once, naming every problem by its path
 * (`initialMessage.variants[1].template`), as `parseDialerSettings` does for the dialer's. Merge
 * fields are read by the call script's parser, so a text can use what a script can (the voter's
 * first name, the texter's) and a broken brace is caught before a voter reads it.
 */
export function parseTextingSettings(input: TextingSettingsInput, context: TextingSettingsContext = {}): TextingSettings {
  const problems = new TextingProblems();
  const settings: TextingSettings = {
    sendingNumbers: input.sendingNumbers === undefined ? undefined : readSendingNumbers(input.sendingNumbers, problems),
    messagingServiceSid: input.messagingServiceSid === undefined ? undefined : readMessagingServiceSid(input.messagingServiceSid, problems),
    initialMessage: input.initialMessage === undefined ? undefined : readInitialMessage(input.initialMessage, context, problems),
    cannedResponses: input.cannedResponses === undefined ? undefined : readCannedResponses(input.cannedResponses, problems),
    suppressTextedWithinDays: input.suppressTextedWithinDays === undefined ? undefined : readSuppressTextedWithinDays(input.suppressTextedWithinDays, problems),
  };
  problems.throwIfAny();
  return settings;
}

/** Why a text campaign with these settings cannot start texting, each with the field to fill; empty when it can. */
export function textingReadinessProblems(campaign: {
  readonly sendingNumbers: readonly string[];
  readonly messagingServiceSid: string | null;
  readonly initialMessage: InitialMessage | null;
}): Array<{ readonly field: TextingSettingField; readonly problem: string }> {
  const missing: Array<{ field: TextingSettingField; problem: string }> = [];
  if (campaign.initialMessage === null) missing.push({ field: 'initialMessage', problem: 'it needs an initial message (initialMessage)' });
  if (campaign.sendingNumbers.length === 0 && campaign.messagingServiceSid === null) {
    missing.push({
      field: 'sendingNumbers',
      problem: 'it needs at least one sending number (sendingNumbers) or a messaging service (messagingServiceSid) to text from',
    });
  }
  return missing;
}

/** Every problem found, by path; thrown at the end as one refusal. */
class TextingProblems {
  private readonly found: Array<[string, string]> = [];

  report(path: string, problem: string): void {
    this.found.push([path, problem]);
  }

  throwIfAny(): void {
    if (this.found.length === 0) return;
    const listed = this.found.slice(0, PROBLEMS_IN_MESSAGE).map(([path, problem]) => `${path}: ${problem}`);
    const more = this.found.length > PROBLEMS_IN_MESSAGE ? `; and ${this.found.length - PROBLEMS_IN_MESSAGE} more` : '';
    throw new DomainException(DomainErrorCode.ValidationFailed, `${listed.join('; ')}${more}`, {
      field: this.found[0][0],
      fields: [...new Set(this.found.map(([path]) => path))],
    });
  }

  /** An object with only the known properties, or null (reported) when it is not an object. */
  object(value: unknown, path: string, allowed: readonly string[], expected: string): Record<string, unknown> | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, `expected ${expected}, got ${describe(value)}`);
      return null;
    }
    const object = value as Record<string, unknown>;
    for (const property of Object.keys(object)) {
      if (!allowed.includes(property)) this.report(`${path}.${property}`, `not a known property; use ${allowed.join(', ')}`);
    }
    return object;
  }

  /** A list of at most `maximum`, or null (reported). */
  list(value: unknown, path: string, maximum: number, what: string): unknown[] | null {
    if (Array.isArray(value) && value.length <= maximum) return value;
    this.report(path, Array.isArray(value) ? `at most ${maximum} ${what}, got ${value.length}` : `expected a list of ${what}, got ${describe(value)}`);
    return null;
  }

  key(value: unknown, path: string): string | null {
    if (typeof value === 'string' && KEY.test(value)) return value;
    this.report(path, `expected lower case letters, digits and underscores, starting with a letter (at most 40), got ${describe(value)}`);
    return null;
  }

  /** Trimmed text of `minimum` to `maximum` characters. */
  text(value: unknown, path: string, bounds: { readonly minLength: number; readonly maxLength: number }): string | null {
    if (typeof value !== 'string') {
      this.report(path, `expected text, got ${describe(value)}`);
      return null;
    }
    const text = value.trim();
    if (text.length >= bounds.minLength && text.length <= bounds.maxLength) return text;
    this.report(path, `expected ${bounds.minLength} to ${bounds.maxLength} characters, got ${text.length}`);
    return null;
  }

  /** A text body whose merge fields all exist and are well written. */
  template(value: unknown, path: string): string | null {
    const text = this.text(value, path, TEXTING_SETTING_LIMITS.template);
    if (text === null) return null;
    const { problems } = parseMergeTemplate(text);
    for (const problem of problems) this.report(path, problem);
    return problems.length === 0 ? text : null;
  }
}

function readSendingNumbers(value: unknown, problems: TextingProblems): string[] {
  const list = problems.list(value, 'sendingNumbers', TEXTING_SETTING_LIMITS.sendingNumbers.max, 'phone numbers in E.164 (send [] for none)');
  const owners = new Map<string, number>();
  const numbers: string[] = [];
  for (const [index, number] of (list ?? []).entries()) {
    const path = `sendingNumbers[${index}]`;
    if (typeof number !== 'string' || !E164.test(number)) {
      problems.report(path, `expected a phone number in E.164 such as +14155550123, got ${describe(number)}`);
      continue;
    }
    const earlier = owners.get(number);
    if (earlier !== undefined) {
      problems.report(path, `${number} is already sendingNumbers[${earlier}]; list each number once`);
      continue;
    }
    owners.set(number, index);
    numbers.push(number);
  }
  return numbers;
}

function readMessagingServiceSid(value: unknown, problems: TextingProblems): string | null {
  if (value === null) return null;
  if (typeof value === 'string' && MESSAGING_SERVICE_SID.test(value)) return value;
  problems.report('messagingServiceSid', `expected a Messaging Service SID (MG and 32 hexadecimal digits), or null for none, got ${describe(value)}`);
  return null;
}

function readInitialMessage(value: unknown, context: TextingSettingsContext, problems: TextingProblems): InitialMessage | null {
  if (value === null) return null;
  const path = 'initialMessage';
  const message = problems.object(value, path, INITIAL_MESSAGE_PROPERTIES, 'an object with template and variants, or null for none');
  if (message === null) return null;
  const template = problems.template(message.template, `${path}.template`) ?? '';
  const variants = message.variants === undefined || message.variants === null ? [] : readVariants(message.variants, `${path}.variants`, context, problems);
  return { template, variants };
}

function readVariants(value: unknown, path: string, context: TextingSettingsContext, problems: TextingProblems): InitialMessageVariant[] {
  const list = problems.list(value, path, TEXTING_SETTING_LIMITS.initialMessageVariants.max, 'variants, one per segment at most');
  const owners = new Map<string, number>();
  return (list ?? []).flatMap((each, index) => {
    const variantPath = `${path}[${index}]`;
    const variant = problems.object(each, variantPath, VARIANT_PROPERTIES, 'an object with segmentKey and template');
    if (variant === null) return [];
    const segmentKey = problems.key(variant.segmentKey, `${variantPath}.segmentKey`);
    if (segmentKey !== null) {
      const earlier = owners.get(segmentKey);
      if (earlier !== undefined) {
        problems.report(`${variantPath}.segmentKey`, `"${segmentKey}" already has a variant in ${path}[${earlier}]`);
      } else if (context.segmentKeys !== undefined && !context.segmentKeys.includes(segmentKey)) {
        problems.report(
          `${variantPath}.segmentKey`,
          `expected one of the taxonomy's segments (${context.segmentKeys.join(', ') || 'none'}), got "${segmentKey}"`,
        );
      }
      owners.set(segmentKey, earlier ?? index);
    }
    const template = problems.template(variant.template, `${variantPath}.template`);
    return segmentKey !== null && template !== null ? [{ segmentKey, template }] : [];
  });
}

function readCannedResponses(value: unknown, problems: TextingProblems): CannedResponse[] {
  const path = 'cannedResponses';
  const list = problems.list(value, path, TEXTING_SETTING_LIMITS.cannedResponses.max, 'canned responses (send [] for none)');
  const owners = new Map<string, number>();
  return (list ?? []).flatMap((each, index) => {
    const responsePath = `${path}[${index}]`;
    const response = problems.object(each, responsePath, CANNED_RESPONSE_PROPERTIES, 'an object with key, title and body');
    if (response === null) return [];
    const key = problems.key(response.key, `${responsePath}.key`);
    if (key !== null) {
      const earlier = owners.get(key);
      if (earlier !== undefined) problems.report(`${responsePath}.key`, `"${key}" is already the key of ${path}[${earlier}]`);
      else owners.set(key, index);
    }
    const title = problems.text(response.title, `${responsePath}.title`, TEXTING_SETTING_LIMITS.cannedResponseTitle);
    const body = problems.template(response.body, `${responsePath}.body`);
    return key !== null && title !== null && body !== null ? [{ key, title, body }] : [];
  });
}

function readSuppressTextedWithinDays(value: unknown, problems: TextingProblems): number | null {
  if (value === null) return null;
  const { min, max } = TEXTING_SETTING_LIMITS.suppressTextedWithinDays;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  problems.report('suppressTextedWithinDays', `expected a whole number of days from ${min} to ${max}, or null for no suppression, got ${describe(value)}`);
  return null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}
