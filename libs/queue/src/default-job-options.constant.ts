import type { DefaultJobOptions } from 'bullmq';

/**
 * One place for retry and retention policy. Failed jobs are kept for inspection and redrive;
 * completed ones are trimmed so Redis does not grow with history the database already holds.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10000 },
  removeOnFail: false,
};
