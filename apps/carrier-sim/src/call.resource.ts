import { callDurationSeconds, type SimulatedCall } from './simulated-call';
import { formatForDisplay, toRfc2822, TWILIO_API_VERSION } from './twilio-format.util';

const CALL_SUBRESOURCES = [
  ['notifications', 'Notifications'],
  ['recordings', 'Recordings'],
  ['payments', 'Payments'],
  ['events', 'Events'],
  ['siprec', 'Siprec'],
  ['streams', 'Streams'],
  ['transcriptions', 'Transcriptions'],
  ['user_defined_message_subscriptions', 'UserDefinedMessageSubscriptions'],
  ['user_defined_messages', 'UserDefinedMessages'],
] as const;

/**
 * The call as Twilio's `api.v2010.account.call` resource; null where a real account would know more.
 * `queueTimeMs`: Twilio's estimate while the call waits in the queue, the actual wait after.
 */
export function toCallResource(call: SimulatedCall, queueTimeMs?: number): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${call.accountSid}/Calls/${call.sid}`;
  const duration = callDurationSeconds(call);
  return {
    sid: call.sid,
    date_created: toRfc2822(call.createdAt),
    date_updated: toRfc2822(call.updatedAt),
    parent_call_sid: null,
    account_sid: call.accountSid,
    to: call.request.to,
    to_formatted: formatForDisplay(call.request.to),
    from: call.request.from,
    from_formatted: formatForDisplay(call.request.from),
    phone_number_sid: null,
    status: call.status,
    start_time: call.dequeuedAt === null ? null : toRfc2822(call.dequeuedAt),
    end_time: call.endedAt === null ? null : toRfc2822(call.endedAt),
    duration: duration === null ? null : String(duration),
    price: null,
    price_unit: 'USD',
    direction: call.direction,
    answered_by: call.answeredBy,
    api_version: TWILIO_API_VERSION,
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: String(queueTimeMs ?? (call.dequeuedAt === null ? 0 : call.dequeuedAt - call.createdAt)),
    trunk_sid: null,
    uri: `${base}.json`,
    subresource_uris: Object.fromEntries(CALL_SUBRESOURCES.map(([key, name]) => [key, `${base}/${name}.json`])),
  };
}

/**
 * The resource plus what tests want to see: the drawn outcome and ground truth (who really answered,
 * when the greeting ended, when the verdict came, who the call was bridged to), every event,
 * callback, voice request, error and update. Twilio's own names keep its snake_case; the
 * simulator's ground truth is camelCase.
 */
export function toCallSnapshot(call: SimulatedCall, queueTimeMs?: number): Record<string, unknown> {
  return {
    ...toCallResource(call, queueTimeMs),
    outcome: call.plan?.outcome ?? null,
    callee: call.plan?.callee ?? null,
    clientIdentity: call.clientIdentity,
    url: call.url,
    twiml: call.twiml,
    fallback_url: call.fallbackUrl,
    application_sid: call.request.applicationSid,
    machine_detection: call.request.machineDetection,
    async_amd: call.request.machineDetectionOptions.asynchronous,
    pickedUpAt: isoOrNull(call.answeredAt),
    greetingEndsAt: isoOrNull(call.greetingEndsAt),
    verdictAt: isoOrNull(call.verdictAt),
    machine_detection_duration: call.plan?.answeredBy ? call.plan.detectionMs : null,
    bridgedAt: isoOrNull(call.bridgedAt),
    bridgedWith: call.bridgedWith,
    talkStartedAt: isoOrNull(call.talkStartedAt),
    talkMs: call.plan?.talkMs ?? null,
    conference: call.execution.conference,
    timeout: call.request.timeoutSeconds,
    status_callback: call.statusCallback,
    status_callback_method: call.statusCallbackMethod,
    status_callback_events: call.request.statusCallbackEvents,
    timeline: call.timeline,
    callbacks: call.callbacks,
    instructions: call.instructions,
    voiceRequests: call.voiceRequests,
    errors: call.errors,
  };
}

function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}
