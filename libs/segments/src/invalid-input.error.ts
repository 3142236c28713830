import { DomainErrorCode, DomainException } from '@app/common';

/** A refusal of what a data lead sent, naming the field at fault (`segments[2].colour`). */
export function invalidInput(field: string, message: string): DomainException {
  return new DomainException(DomainErrorCode.ValidationFailed, message, { field });
}
