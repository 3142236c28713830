import type { FormFields } from './request-body.util';
import { CALL_EVENTS, type CallEvent, type CallRequest, type MachineDetection, type MachineDetectionOptions } from './simulated-call';
import type { CallbackMethod } from './status-callback.sender';
import { badRequest, TWILIO_ERROR } from './twilio-api.exception';
import { isE164 } from './twilio-format.util';

const MAX_TWIML_CHARACTERS = 4000;
const MAX_TIMEOUT_SECONDS = 600;
const DEFAULT_TIMEOUT_SECONDS = 60;

/** Create Call's form fields (PascalCase, as Twilio's spec names them), validated; throws TwilioApiException (400). */
export function parseCreateCall(form: FormFields): CallRequest {
  const to = nonEmpty(form.get('To'));
  if (to === undefined) throw badRequest(TWILIO_ERROR.callToMissing, "No 'To' number is specified");
  if (!isE164(to)) throw badRequest(TWILIO_ERROR.invalidTo, "Invalid 'To' Phone Number: To must be an E.164 number such as +15551230001");
  const from = nonEmpty(form.get('From'));
  if (from === undefined) throw badRequest(TWILIO_ERROR.callFromMissing, "No 'From' number is specified");
  if (!isE164(from)) throw badRequest(TWILIO_ERROR.invalidFrom, "Invalid 'From' Phone Number: From must be an E.164 number such as +15551230001");

  const url = nonEmpty(form.get('Url'));
  const twiml = nonEmpty(form.get('Twiml'));
  const applicationSid = nonEmpty(form.get('ApplicationSid'));
  const given = [url && 'Url', twiml && 'Twiml', applicationSid && 'ApplicationSid'].filter(Boolean);
  if (given.length === 0) throw badRequest(TWILIO_ERROR.invalidUrl, 'One of Url, Twiml or ApplicationSid is required');
  // Twilio ignores Twiml when Url is given too (call.d.ts); with ApplicationSid the mix is refused (unverified).
  if (applicationSid !== undefined && given.length > 1) {
    throw badRequest(TWILIO_ERROR.invalidUrl, `Give only one of Url, Twiml or ApplicationSid, not ${given.join(' and ')}`);
  }
  if (url !== undefined && !isHttpUrl(url)) throw badRequest(TWILIO_ERROR.invalidUrl, 'Url is not a valid http(s) URL');
  if (twiml !== undefined && twiml.length > MAX_TWIML_CHARACTERS) {
    throw badRequest(TWILIO_ERROR.invalidParameter, `Twiml is longer than ${MAX_TWIML_CHARACTERS} characters`);
  }
  const fallbackUrl = nonEmpty(form.get('FallbackUrl')) ?? null;
  if (fallbackUrl !== null && !isHttpUrl(fallbackUrl)) throw badRequest(TWILIO_ERROR.invalidUrl, 'FallbackUrl is not a valid http(s) URL');
  if (applicationSid !== undefined && !/^AP[0-9a-fA-F]{32}$/.test(applicationSid)) {
    throw badRequest(TWILIO_ERROR.invalidApplicationSid, 'ApplicationSid must be AP followed by 32 hex digits');
  }

  const statusCallback = nonEmpty(form.get('StatusCallback')) ?? null;
  if (statusCallback !== null && !isHttpUrl(statusCallback)) throw badRequest(TWILIO_ERROR.invalidUrl, 'StatusCallback is not a valid http(s) URL');
  return {
    to,
    from,
    url: url ?? null,
    method: httpMethod(form, 'Method'),
    twiml: url === undefined ? (twiml ?? null) : null,
    fallbackUrl,
    fallbackMethod: httpMethod(form, 'FallbackMethod'),
    applicationSid: applicationSid ?? null,
    statusCallback,
    statusCallbackMethod: httpMethod(form, 'StatusCallbackMethod'),
    statusCallbackEvents: statusCallbackEvents(form),
    timeoutSeconds: timeoutSeconds(form),
    // Twilio ignores MachineDetection when SendDigits is given.
    machineDetection: nonEmpty(form.get('SendDigits')) === undefined ? machineDetection(form) : null,
    machineDetectionOptions: machineDetectionOptions(form),
  };
}

/** Twilio's documented ranges (call.d.ts); MachineDetectionTimeout's 3–59 s is not in the SDK or the OpenAPI spec (unverified). */
const MACHINE_DETECTION_RANGES = {
  MachineDetectionTimeout: { min: 3, max: 59, fallback: 30 },
  MachineDetectionSpeechThreshold: { min: 1000, max: 6000, fallback: 2400 },
  MachineDetectionSpeechEndThreshold: { min: 500, max: 5000, fallback: 1200 },
  MachineDetectionSilenceTimeout: { min: 2000, max: 10000, fallback: 5000 },
} as const;

function machineDetectionOptions(form: FormFields): MachineDetectionOptions {
  const asyncValue = nonEmpty(form.get('AsyncAmd'))?.toLowerCase() ?? 'false';
  if (asyncValue !== 'true' && asyncValue !== 'false') throw badRequest(TWILIO_ERROR.invalidMachineDetection, 'AsyncAmd must be true or false');
  const statusCallback = nonEmpty(form.get('AsyncAmdStatusCallback')) ?? null;
  if (statusCallback !== null && !isHttpUrl(statusCallback)) throw badRequest(TWILIO_ERROR.invalidUrl, 'AsyncAmdStatusCallback is not a valid http(s) URL');
  const bounded = (field: keyof typeof MACHINE_DETECTION_RANGES): number => {
    const { min, max, fallback } = MACHINE_DETECTION_RANGES[field];
    const value = nonEmpty(form.get(field));
    if (value === undefined) return fallback;
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= min && number <= max)) throw badRequest(TWILIO_ERROR.invalidMachineDetection, `${field} must be a whole number from ${min} to ${max}`);
    return number;
  };
  return {
    asynchronous: asyncValue === 'true',
    statusCallback,
    statusCallbackMethod: httpMethod(form, 'AsyncAmdStatusCallbackMethod'),
    timeoutSeconds: bounded('MachineDetectionTimeout'),
    speechThresholdMs: bounded('MachineDetectionSpeechThreshold'),
    speechEndThresholdMs: bounded('MachineDetectionSpeechEndThreshold'),
    silenceTimeoutMs: bounded('MachineDetectionSilenceTimeout'),
  };
}

export function httpMethod(form: FormFields, field: string): CallbackMethod {
  const value = nonEmpty(form.get(field))?.toUpperCase() ?? 'POST';
  if (value !== 'GET' && value !== 'POST') throw badRequest(TWILIO_ERROR.invalidParameter, `${field} must be GET or POST`);
  return value;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function statusCallbackEvents(form: FormFields): CallEvent[] {
  // twilio-node repeats the field; a space-separated list in one field is accepted too.
  const values = form.all('StatusCallbackEvent').flatMap((value) => value.split(/[\s,]+/).filter(Boolean));
  for (const value of values) {
    if (!(CALL_EVENTS as readonly string[]).includes(value)) {
      throw badRequest(TWILIO_ERROR.invalidParameter, `StatusCallbackEvent must be among ${CALL_EVENTS.join(', ')}`);
    }
  }
  const events = new Set(values.length === 0 ? ['completed'] : values);
  return CALL_EVENTS.filter((event) => events.has(event));
}

function timeoutSeconds(form: FormFields): number {
  const value = nonEmpty(form.get('Timeout'));
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 1)) throw badRequest(TWILIO_ERROR.invalidTimeout, `Timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`);
  return Math.min(seconds, MAX_TIMEOUT_SECONDS);
}

function machineDetection(form: FormFields): MachineDetection | null {
  const value = nonEmpty(form.get('MachineDetection'));
  if (value === undefined) return null;
  if (value !== 'Enable' && value !== 'DetectMessageEnd')
    throw badRequest(TWILIO_ERROR.invalidParameter, 'MachineDetection must be Enable or DetectMessageEnd');
  return value;
}
