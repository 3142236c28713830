import { isHttpUrl, nonEmpty } from './call-request.parser';
import type { FormFields } from './request-body.util';
import type { MessageRequest } from './simulated-message';
import { badRequest, TWILIO_ERROR } from './twilio-api.exception';
import { isE164 } from './twilio-format.util';

const MAX_BODY_CHARACTERS = 1600;
// An alphanumeric sender ID: up to 11 letters, digits and spaces, at least one letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const MIN_VALIDITY_PERIOD_SECONDS = 1;
const MAX_VALIDITY_PERIOD_SECONDS = 36_000;

/** What a text can be sent from: an E.164 number, an alphanumeric sender ID, or a Messaging Service. */
export function isMessageSender(sender: string): boolean {
  return isE164(sender) || ALPHANUMERIC_SENDER.test(sender) || MESSAGING_SERVICE_SID.test(sender);
}

/** The sender rate caps and opt-outs are kept for: the From, or the Messaging Service when there is no From. */
export function senderOf(request: Pick<MessageRequest, 'from' | 'messagingServiceSid'>): string {
  return request.from ?? request.messagingServiceSid ?? '';
}

/** Create Message's form fields, validated; throws TwilioApiException (400). */
export function parseCreateMessage(form: FormFields): MessageRequest {
  const to = nonEmpty(form.get('To'));
  if (to === undefined) throw badRequest(TWILIO_ERROR.messageToMissing, "A 'To' phone number is required.");
  if (!isE164(to)) throw badRequest(TWILIO_ERROR.invalidTo, "Invalid 'To' Phone Number: To must be an E.164 number such as +15551230001");
  const from = nonEmpty(form.get('From')) ?? null;
  const messagingServiceSid = nonEmpty(form.get('MessagingServiceSid')) ?? null;
  if (from === null && messagingServiceSid === null)
    throw badRequest(TWILIO_ERROR.messageFromMissing, "A 'From' phone number or a MessagingServiceSid is required.");
  if (from !== null && !isE164(from) && !ALPHANUMERIC_SENDER.test(from)) {
    throw badRequest(TWILIO_ERROR.invalidFrom, "Invalid 'From' Phone Number: From must be an E.164 number or an alphanumeric sender ID");
  }
  if (messagingServiceSid !== null && !MESSAGING_SERVICE_SID.test(messagingServiceSid)) {
    throw badRequest(TWILIO_ERROR.invalidMessagingServiceSid, 'MessagingServiceSid must be MG followed by 32 hex digits');
  }
  const body = form.get('Body') ?? '';
  const mediaUrls = form.all('MediaUrl').filter((url) => url.trim() !== '');
  if (body.trim() === '' && mediaUrls.length === 0) throw badRequest(TWILIO_ERROR.messageBodyMissing, 'Message body is required.');
  if (body.length > MAX_BODY_CHARACTERS) throw badRequest(TWILIO_ERROR.messageBodyTooLong, `The Body exceeds the ${MAX_BODY_CHARACTERS} character limit.`);
  const statusCallback = nonEmpty(form.get('StatusCallback')) ?? null;
  if (statusCallback !== null && !isHttpUrl(statusCallback))
    throw badRequest(TWILIO_ERROR.invalidMessageStatusCallback, "Invalid 'StatusCallback': not a valid http(s) URL");
  return { to, from, messagingServiceSid, body, mediaUrls, statusCallback, validityPeriod: validityPeriodOf(form.get('ValidityPeriod')) };
}

function validityPeriodOf(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || seconds < MIN_VALIDITY_PERIOD_SECONDS || seconds > MAX_VALIDITY_PERIOD_SECONDS) {
    throw badRequest(
      TWILIO_ERROR.invalidValidityPeriod,
      `Invalid validity period value: ValidityPeriod must be a whole number of seconds from ${MIN_VALIDITY_PERIOD_SECONDS} to ${MAX_VALIDITY_PERIOD_SECONDS}`,
    );
  }
  return seconds;
}
