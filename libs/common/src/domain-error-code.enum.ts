/**
 * Every code a domain exception can carry. The HTTP status of each is decided in one place,
 * `httpStatusOf`, whose switch must cover them all (the compiler checks).
 */
export enum DomainErrorCode {
  ValidationFailed = 'validation_failed',
  NotFound = 'not_found',
  Conflict = 'conflict',
  Forbidden = 'forbidden',
  Unauthenticated = 'unauthenticated',
  RateLimited = 'rate_limited',
  DependencyUnavailable = 'dependency_unavailable',
}
