/**
 * The carrier refused or could not be reached. `permanent` says whether asking again could help:
 * a bad number will stay bad, a timeout or a 5xx may not.
 */
export class TelephonyRequestError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code: string | undefined,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'TelephonyRequestError';
  }
}
