/** Stable job names (never derived from class names); each belongs to exactly one queue. */
export enum JobName {
  DialerQueueProbe = 'dialer.queue-probe',
  SmsQueueProbe = 'sms.queue-probe',
  ImportsQueueProbe = 'imports.queue-probe',
  VoterImport = 'imports.voter-import',
}
