import { isUtf8 } from 'node:buffer';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import type { TabSeparatedLine as DelimitedLine } from './tab-separated-line.reader';
import { UnreadableVoterFileError } from './voter-file.error';

export interface CommaSeparatedReadOptions {
  readonly delimiter: string;
  readonly maxLineBytes: number;
  /** Called for a line the parser could not read (an unclosed quote, say); reading goes on after it. */
  readonly onUnreadableLine: (lineNumber: number, reason: string) => void;
}

const BATCH_LINES = 500;

/**
 * Splits a comma- (or otherwise) delimited voter file (Ohio, generic exports) with a real CSV
 * parser: quoted fields may hold delimiters, quotes and newlines. The encoding is decided on
 * the first chunk (UTF-8 when it is valid UTF-8, Latin-1 otherwise), since a CSV record may
 * span lines and cannot be decoded line by line.
 */
export async function* readCommaSeparatedLines(input: Readable, options: CommaSeparatedReadOptions): AsyncGenerator<DelimitedLine[]> {
  const parser = parse({
    delimiter: options.delimiter,
    relax_column_count: true,
    skip_records_with_error: true,
    max_record_size: options.maxLineBytes,
    info: true,
    bom: true,
  });
  parser.on('skip', (error: CsvError) => options.onUnreadableLine(Number(error.lines ?? parser.info.lines), describe(error)));
  const decoded = input.pipe(new DecodingGuard());
  decoded.on('error', (error) => parser.destroy(error));
  decoded.pipe(parser);
  let batch: DelimitedLine[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      batch.push({ lineNumber: info.lines, fields: record });
      if (batch.length === BATCH_LINES) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof UnreadableVoterFileError) throw error;
    const csvError = error as CsvError;
    if (csvError.code === 'CSV_MAX_RECORD_SIZE') {
      throw new UnreadableVoterFileError(`Line ${String(csvError.lines)} is longer than ${options.maxLineBytes} bytes; this is not a voter file line`, {
        lineNumber: csvError.lines,
        maxLineBytes: options.maxLineBytes,
      });
    }
    throw error;
  }
  if (batch.length > 0) yield batch;
}

function describe(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a quote inside a field is not doubled (malformed quoting)';
    default:
      return error.message;
  }
}

/** Where the last whole UTF-8 character ends: a chunk may cut a multi-byte one at its end. */
function completeCharactersEnd(chunk: Buffer): number {
  let index = chunk.length - 1;
  while (index >= 0 && chunk.length - index <= 4 && (chunk[index] & 0xc0) === 0x80) index -= 1;
  return index >= 0 && chunk[index] >= 0xc0 ? index : chunk.length;
}

/** Refuses binary input and decodes to text in one encoding chosen from the first chunk. */
class DecodingGuard extends Transform {
  private encoding: 'utf8' | 'latin1' | null = null;
  private readonly decoder = { utf8: new TextDecoder('utf-8'), latin1: new TextDecoder('latin1') };

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.indexOf(0) !== -1) {
      callback(new UnreadableVoterFileError('The file is binary (it contains NUL bytes), not a text voter file'));
      return;
    }
    this.encoding ??= isUtf8(chunk.subarray(0, completeCharactersEnd(chunk))) ? 'utf8' : 'latin1';
    callback(null, this.decoder[this.encoding].decode(chunk, { stream: true }));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.encoding === null ? '' : this.decoder[this.encoding].decode());
  }
}
