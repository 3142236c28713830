import { DomainErrorCode, DomainException } from '@app/common';

/** The header lacks columns the format needs: the file is refused before anything is written. */
export class MissingColumnsError extends DomainException {
  constructor(
    readonly format: string,
    readonly missing: readonly string[],
    readonly required: readonly string[],
  ) {
    super(
      DomainErrorCode.ValidationFailed,
      `The ${format} file is missing the column(s) ${missing.join(', ')}; a ${format} file needs at least ${required.join(', ')}`,
      { format, missing, required },
    );
    this.name = 'MissingColumnsError';
  }
}
