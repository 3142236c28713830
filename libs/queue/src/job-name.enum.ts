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
  // Looks up the line types a power or predictive campaign's call list lacks, in batches; run twice, it asks about nothing twice.
  LineTypeFill = 'dialer.line-type-fill',
  // Every second: which pools need a tick, and calls or carrier events a crash or a lost job left behind.
  PacingSweep = 'dialer.pacing-sweep',
  // Sends one text: window, pace, opt-out under the phone's lock, then the carrier.
  SmsSend = 'sms.send',
  SmsStatus = 'sms.status',
  SmsInbound = 'sms.inbound',
  // Every few seconds: texts whose request outlived its worker, unsent texts whose job was lost, events not applied.
  SmsSweep = 'sms.sweep',
  ProgressQueueProbe = 'progress.queue-probe',
  // Every second: counts the contact attempts queued for the progress rollups.
  ProgressRollup = 'progress.rollup',
  // Every hour: compares each alliance's rollups with its raw attempts and records any drift.
  ProgressReconcile = 'progress.reconcile',
}
