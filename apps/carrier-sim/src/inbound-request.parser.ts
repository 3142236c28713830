import { isHttpUrl } from './call-request.parser';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';
import { isE164 } from './twilio-format.util';

/** POST /sim/inbound: a handset texts one of our numbers. */
export interface InboundRequest {
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly messagingServiceSid: string | null;
  /** Where to post it; null: the scenario's `messages.inboundUrl`. */
  readonly url: string | null;
}

const MAX_BODY_CHARACTERS = 1600;

/** `{"from": "+1…", "to": "+1…", "body": "STOP", "messagingServiceSid"?: "MG…", "url"?: "http…"}`; 400 naming the field. */
export function parseInboundRequest(input: unknown): InboundRequest {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalid('The body must be a JSON object with from, to and body');
  const fields = input as Readonly<Record<string, unknown>>;
  const allowed = ['from', 'to', 'body', 'messagingServiceSid', 'url'];
  const unknown = Object.keys(fields).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw invalid(`${unknown} is not a field of an inbound text (expected one of ${allowed.join(', ')})`);
  const from = phoneNumberAt(fields.from, 'from');
  const to = phoneNumberAt(fields.to, 'to');
  if (typeof fields.body !== 'string' || fields.body.trim() === '') throw invalid('body must be a non-empty string');
  if (fields.body.length > MAX_BODY_CHARACTERS) throw invalid(`body must be at most ${MAX_BODY_CHARACTERS} characters`);
  const messagingServiceSid = fields.messagingServiceSid ?? null;
  if (messagingServiceSid !== null && (typeof messagingServiceSid !== 'string' || !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid))) {
    throw invalid('messagingServiceSid must be MG followed by 32 hex digits');
  }
  const url = fields.url ?? null;
  if (url !== null && (typeof url !== 'string' || !isHttpUrl(url))) throw invalid('url must be an http(s) URL');
  return { from, to, body: fields.body, messagingServiceSid, url };
}

function phoneNumberAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isE164(value)) throw invalid(`${field} must be an E.164 number such as +15551230001`);
  return value;
}

function invalid(message: string): TwilioApiException {
  return new TwilioApiException(400, TWILIO_ERROR.invalidParameter, message);
}
