import { DomainErrorCode, DomainException } from '@app/common';

/** A file that cannot be read at all (binary, a line over the limit): nothing of it is imported. */
export class UnreadableVoterFileError extends DomainException {
  constructor(reason: string, details: Readonly<Record<string, unknown>> = {}) {
    super(DomainErrorCode.ValidationFailed, reason, details);
    this.name = 'UnreadableVoterFileError';
  }
}
