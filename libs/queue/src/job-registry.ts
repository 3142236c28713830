import { JobName } from './job-name.enum';
import { QueueName } from './queue-name.enum';

/** Payloads carry ids only; the handler reloads the row and acts on its current state. */
export interface JobPayloads {
  [JobName.DialerQueueProbe]: { probeId: string };
  [JobName.SmsQueueProbe]: { probeId: string };
  [JobName.ImportsQueueProbe]: { probeId: string };
  [JobName.VoterImport]: { importId: string };
  [JobName.SegmentModelTraining]: { modelId: string };
  [JobName.SegmentApplication]: { applicationId: string };
  [JobName.SegmentImportClassification]: { importId: string };
  [JobName.PlaceCall]: { callId: string };
  /** `unplacedOnly`: cancel the call only if the carrier was never asked (never hang up one that may be ringing). */
  [JobName.EndCall]: { callId: string; unplacedOnly?: boolean };
  /** A stored carrier event (provider_event row) to apply. */
  [JobName.CallEvent]: { eventId: string };
  /** One pool: a power or predictive campaign's call list for one organization. */
  [JobName.PacingTick]: { campaignId: string; organizationId: string };
  /** A campaign whose call-list rows with no line type are looked up. */
  [JobName.LineTypeFill]: { campaignId: string };
  /** Names no row: the sweep reads which pools are live from the database. */
  [JobName.PacingSweep]: Record<string, never>;
  /** `slotAt`: the sending slot this job was delayed to (epoch ms); absent, the job reserves one. */
  [JobName.SmsSend]: { messageId: string; slotAt?: number };
  /** A stored delivery status callback (provider_event row) to apply. */
  [JobName.SmsStatus]: { eventId: string };
  /** A stored inbound text (provider_event row) to file and act on. */
  [JobName.SmsInbound]: { eventId: string };
  [JobName.SmsSweep]: Record<string, never>;
  [JobName.ProgressQueueProbe]: { probeId: string };
  /** Names no row: the attempts to count are queued in the database. */
  [JobName.ProgressRollup]: Record<string, never>;
  /** Every alliance when `allianceId` is absent. */
  [JobName.ProgressReconcile]: { allianceId?: string };
}

export const JOB_QUEUE: { readonly [Name in JobName]: QueueName } = {
  [JobName.DialerQueueProbe]: QueueName.Dialer,
  [JobName.SmsQueueProbe]: QueueName.Sms,
  [JobName.ImportsQueueProbe]: QueueName.Imports,
  [JobName.VoterImport]: QueueName.Imports,
  [JobName.SegmentModelTraining]: QueueName.Imports,
  [JobName.SegmentApplication]: QueueName.Imports,
  [JobName.SegmentImportClassification]: QueueName.Imports,
  [JobName.PlaceCall]: QueueName.Dialer,
  [JobName.EndCall]: QueueName.Dialer,
  [JobName.CallEvent]: QueueName.Dialer,
  [JobName.PacingTick]: QueueName.Dialer,
  [JobName.LineTypeFill]: QueueName.Dialer,
  [JobName.PacingSweep]: QueueName.Dialer,
  [JobName.SmsSend]: QueueName.Sms,
  [JobName.SmsStatus]: QueueName.Sms,
  [JobName.SmsInbound]: QueueName.Sms,
  [JobName.SmsSweep]: QueueName.Sms,
  [JobName.ProgressQueueProbe]: QueueName.Progress,
  [JobName.ProgressRollup]: QueueName.Progress,
  [JobName.ProgressReconcile]: QueueName.Progress,
};

/** What is stored in Redis for every job: the typed payload plus the work's correlation id. */
export interface JobEnvelope<Name extends JobName = JobName> {
  readonly payload: JobPayloads[Name];
  readonly correlationId: string;
}

export function jobNamesOf(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
}

export function isJobName(value: string): value is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUE, value);
}
