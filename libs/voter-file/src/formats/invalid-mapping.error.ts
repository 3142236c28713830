import { DomainErrorCode, DomainException } from '@app/common';

/** A generic file's column mapping is unusable: the file is refused before anything is read. */
export class InvalidMappingError extends DomainException {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(DomainErrorCode.ValidationFailed, message, details);
    this.name = 'InvalidMappingError';
  }
}
