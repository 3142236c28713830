import type { VoterFileFormat } from './voter-file-format';
import type { MappedLine } from './normalized-voter';

/**
 * What every layout implements: built from the header (throwing MissingColumnsError when the
 * header lacks what the layout needs), then called once per data line with its split fields.
 */
export interface VoterFileMapper {
  readonly format: VoterFileFormat;
  /** The header's name for the voter id, named in duplicate-line reports. */
  readonly keyColumn: string;
  /** Whether lines carry voters (ncvoter, ohio, california, generic) and/or vote history (ncvhis, ohio). */
  readonly carriesVoters: boolean;
  readonly carriesHistory: boolean;
  /**
   * The header positions `map` reads, when it reads only some: the others may arrive as ''
   * (they are never split out of the line). Absent means every column.
   */
  readonly wantedColumns?: readonly boolean[];
  map(lineNumber: number, fields: readonly string[]): MappedLine;
}

/** The field delimiter of each layout's lines; generic files say theirs in the mapping (or it is read off the header). */
export type FieldDelimiter = '\t' | ',' | '|' | ';';
