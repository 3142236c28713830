/** Stable queue names: they live in Redis, so renaming one orphans its jobs. */
export enum QueueName {
  Dialer = 'dialer',
  Sms = 'sms',
}
