import type { SimulatedMessage } from './simulated-message';
import { toRfc2822, TWILIO_API_VERSION } from './twilio-format.util';

const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
  30036: 'Validity Period Expired',
};

/** The text as Twilio's `api.v2010.account.message` resource. */
export function toMessageResource(message: SimulatedMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: TWILIO_API_VERSION,
    body: message.request.body,
    date_created: toRfc2822(message.createdAt),
    date_sent: message.sentAt === null ? null : toRfc2822(message.sentAt),
    date_updated: toRfc2822(message.updatedAt),
    direction: message.direction,
    error_code: message.errorCode,
    error_message: message.errorCode === null ? null : (ERROR_MESSAGES[message.errorCode] ?? 'Simulated carrier error'),
    from: message.from,
    messaging_service_sid: message.request.messagingServiceSid,
    num_media: String(message.request.mediaUrls.length),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: null,
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: message.request.to,
    uri: `${uri}.json`,
  };
}

/** The resource plus what only the simulator knows: the drawn outcome and queue wait, the callbacks, an inbound text's webhook answer. */
export function toMessageSnapshot(message: SimulatedMessage): Record<string, unknown> {
  return {
    ...toMessageResource(message),
    validity_period: message.request.validityPeriod,
    outcome: message.plan?.outcome ?? null,
    queueMs: message.plan?.queueMs ?? null,
    status_callback: message.request.statusCallback,
    callbacks: message.callbacks,
    webhook: message.webhook,
  };
}
