/**
 * What a handler reports. `skipped`: the work was already done or no longer applies.
 * `failed`: it can never succeed (an invalid number, an opted-out phone), so it is recorded and
 * not retried; errors that may pass (a timeout, a lost connection) are thrown and retried instead.
 */
export enum JobResult {
  Success = 'success',
  Skipped = 'skipped',
  Failed = 'failed',
}
