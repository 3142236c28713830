/** What a handler reports; `skipped` means the work was already done or no longer applies. */
export enum JobResult {
  Success = 'success',
  Skipped = 'skipped',
}
