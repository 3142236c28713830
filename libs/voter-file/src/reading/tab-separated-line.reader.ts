import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { UnreadableVoterFileError } from './voter-file.error';

export interface TabSeparatedLine {
  /** 1-based, the header included, as an editor would number it. */
  readonly lineNumber: number;
  readonly fields: string[];
}

export interface TabSeparatedReadOptions {
  /** A longer line means a broken or hostile file; reading stops rather than buffering it. */
  readonly maxLineBytes: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const NUL = 0x00;

/**
 * Splits a tab-separated voter file (NC, California) into lines and fields in batches, never holding more than one chunk plus
 * one partial line. Each line is decoded as UTF-8 when it is valid UTF-8 and as Latin-1
 * otherwise: NC files come in either, sometimes mixed after a vendor's concatenation. Fields
 * wrapped in double quotes (legacy NC files quote every field) are unwrapped.
 */
export async function* readTabSeparatedLines(input: Readable, options: TabSeparatedReadOptions): AsyncGenerator<TabSeparatedLine[]> {
  let pending: Buffer = Buffer.alloc(0);
  let lineNumber = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const buffer = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (buffer.indexOf(NUL) !== -1)
      throw new UnreadableVoterFileError('The file is binary (it contains NUL bytes), not a text voter file', { lineNumber: lineNumber + 1 });
    const batch: TabSeparatedLine[] = [];
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      lineNumber += 1;
      if (end - start > options.maxLineBytes) throw overLong(lineNumber, options.maxLineBytes);
      const stop = end > start && buffer[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
      batch.push({ lineNumber, fields: splitFields(decode(buffer.subarray(start, stop))) });
      start = end + 1;
    }
    pending = buffer.subarray(start);
    if (pending.length > options.maxLineBytes) throw overLong(lineNumber + 1, options.maxLineBytes);
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) {
    lineNumber += 1;
    const stop = pending[pending.length - 1] === CARRIAGE_RETURN ? pending.length - 1 : pending.length;
    yield [{ lineNumber, fields: splitFields(decode(pending.subarray(0, stop))) }];
  }
}

function decode(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

// Tabs never occur inside NC or California fields, so a plain split is exact; comma-separated
// layouts (Ohio) need a real CSV parser instead.
function splitFields(line: string): string[] {
  const fields = line.split('\t');
  for (let index = 0; index < fields.length; index += 1) {
    const field = fields[index];
    if (field.length >= 2 && field.charCodeAt(0) === 34 && field.charCodeAt(field.length - 1) === 34) {
      fields[index] = field.slice(1, -1).replace(/""/g, '"');
    }
  }
  return fields;
}

function overLong(lineNumber: number, maxLineBytes: number): UnreadableVoterFileError {
  return new UnreadableVoterFileError(`Line ${lineNumber} is longer than ${maxLineBytes} bytes; this is not a voter file line`, { lineNumber, maxLineBytes });
}
