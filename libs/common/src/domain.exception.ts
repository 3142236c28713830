import { DomainErrorCode } from './domain-error-code.enum';

/**
 * What domain code throws for an expected failure. `message` is shown to the caller, so it
 * names what is wrong without internals; `details` carries structured facts (field, line, count).
 */
export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainException';
  }
}

export class NotFoundDomainException extends DomainException {
  constructor(what: string, id: string) {
    super(DomainErrorCode.NotFound, `${what} ${id} was not found`, { what, id });
  }
}
