/** Stable job names (never derived from class names); each belongs to exactly one queue. */
export enum JobName {
  DialerQueueProbe = 'dialer.queue-probe',
  SmsQueueProbe = 'sms.queue-probe',
  ImportsQueueProbe = 'imports.queue-probe',
  VoterImport = 'imports.voter-import',
  // Segment work reads or writes the whole voter file like an import: same queue, one at a time.
  SegmentModelTraining = 'imports.segment-model-training',
  SegmentApplication = 'imports.segment-application',
  SegmentImportClassification = 'imports.segment-import-classification',
  PlaceCall = 'dialer.place-call',
  EndCall = 'dialer.end-call',
  CallEvent = 'dialer.call-event',
  PacingTick = 'dialer.pacing-tick',
}
