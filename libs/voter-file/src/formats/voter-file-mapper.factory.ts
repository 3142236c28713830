import { assertUnreachable, DomainErrorCode, DomainException } from '@app/common';
import { CaliforniaMapper } from './california.mapper';
import { GenericMapper, parseVoterFileMapping } from './generic.mapper';
import { NcvhisMapper } from './ncvhis.mapper';
import { OhioMapper } from './ohio.mapper';
import { NcvoterMapper } from './ncvoter.mapper';
import type { VoterFileFormat } from './voter-file-format';
import type { FieldDelimiter, VoterFileMapper } from './voter-file.mapper';

export interface MapperOptions {
  /** The generic format's mapping, as given (validated here). */
  readonly mapping: unknown;
  /** Birth years are judged plausible relative to this year. */
  readonly asOfYear: number;
}

/** The delimiter each state layout uses; generic files say theirs in the mapping or are sniffed from their header. */
export function delimiterOf(format: VoterFileFormat | null, mapping: unknown): FieldDelimiter | undefined {
  switch (format) {
    case 'generic':
      return parseVoterFileMapping(mapping).delimiter;
    case 'ncvoter':
    case 'ncvhis':
    case 'california':
      return '\t';
    case 'ohio':
      return ',';
    default:
      return undefined;
  }
}

/** The mapper for a layout, built from the header; throws MissingColumnsError or InvalidMappingError. */
export function createVoterFileMapper(format: VoterFileFormat, header: readonly string[], options: MapperOptions): VoterFileMapper {
  if (format !== 'generic' && options.mapping !== null && options.mapping !== undefined) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `A mapping is only used with the generic format, not with ${format}`, { format });
  }
  switch (format) {
    case 'ncvoter':
      return new NcvoterMapper(header, options.asOfYear);
    case 'ncvhis':
      return new NcvhisMapper(header);
    case 'ohio':
      return new OhioMapper(header, options.asOfYear);
    case 'california':
      return new CaliforniaMapper(header, options.asOfYear);
    case 'generic':
      return new GenericMapper(header, parseVoterFileMapping(options.mapping), options.asOfYear);
    default:
      return assertUnreachable(format);
  }
}

/** Throws InvalidMappingError naming what is wrong with a generic mapping. */
export function validateMapping(mapping: unknown): void {
  parseVoterFileMapping(mapping);
}
