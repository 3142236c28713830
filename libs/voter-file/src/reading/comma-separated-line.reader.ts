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
 * parser: quoted fields may hold delimiters, quotes and newlines. Text is decoded chunk by chunk
 * (cut at a newline, which never falls inside a UTF-8 character): UTF-8 when the chunk is valid
 * UTF-8, Latin-1 otherwise, so a Latin-1 file whose first lines are plain ASCII still reads right.
 */
export async function* readCommaSeparatedLines(input: Readable, options: CommaSeparatedReadOptions): AsyncGenerator<DelimitedLine[]> {
  let lastRecordEndLine = 1;
  const parser = parse({
    delimiter: options.delimiter,
    relax_column_count: true,
    skip_records_with_error: true,
    max_record_size: options.maxLineBytes,
    info: true,
    bom: true,
    on_record: (record: string[], context) => {
      lastRecordEndLine = context.lines;
      return record;
    },
  });
  parser.on('skip', (error: CsvError) => {
    const startLine = lastRecordEndLine + 1;
    lastRecordEndLine = Number(error.lines ?? parser.info.lines);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      // Everything after an unclosed quote would be read as one field: refuse rather than lose lines.
      parser.destroy(
        new UnreadableVoterFileError(`Line ${startLine} opens a quoted field that is never closed, so the lines after it cannot be read`, {
          lineNumber: startLine,
        }),
      );
      return;
    }
    options.onUnreadableLine(startLine, describe(error));
  });
  const decoder = new ChunkDecoder();
  // pipe() forwards no errors: each stage's error ends the parser, and with it the reading.
  input.on('error', (error) => parser.destroy(error));
  decoder.on('error', (error) => parser.destroy(error));
  input.pipe(decoder).pipe(parser);
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
  } finally {
    input.destroy();
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

/** Refuses binary input; decodes each run of whole lines as UTF-8 when it is valid UTF-8, else as Latin-1. */
class ChunkDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.indexOf(0) !== -1) {
      callback(new UnreadableVoterFileError('The file is binary (it contains NUL bytes), not a text voter file'));
      return;
    }
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const end = buffer.lastIndexOf(0x0a) + 1;
    this.pending = buffer.subarray(end);
    callback(null, end === 0 ? '' : decode(buffer.subarray(0, end)));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, decode(this.pending));
  }
}

function decode(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}
