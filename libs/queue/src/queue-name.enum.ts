/** Stable queue names: they live in Redis, so renaming one orphans its jobs. */
export enum QueueName {
  Dialer = 'dialer',
  Sms = 'sms',
  Imports = 'imports',
  // Progress rollups and their reconciliation: consumed by the import worker beside imports, never behind one.
  Progress = 'progress',
}

/** Queues whose jobs are heavy enough that one worker process runs only this many at once. */
export const QUEUE_CONCURRENCY_LIMIT: Partial<Readonly<Record<QueueName, number>>> = {
  // A voter-file import uses a database connection, a CPU core and up to a few hundred MB.
  [QueueName.Imports]: 1,
};
