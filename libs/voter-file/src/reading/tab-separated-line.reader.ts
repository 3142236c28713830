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

/** A run of whole lines of a tab-separated file, still as bytes: the unit handed to a mapping thread. */
export interface LineBlock {
  readonly bytes: Buffer;
  /** The 1-based number of the block's first line, the header being line 1. */
  readonly firstLineNumber: number;
}

/**
 * Cuts a tab-separated voter file (NC, California) into blocks of whole lines, never holding
 * more than one chunk plus one partial line, refusing binary data and over-long lines as it
 * goes. Splitting the lines into fields is left to parseLineBlock, on whichever thread.
 */
export async function* readLineBlocks(input: Readable, options: TabSeparatedReadOptions): AsyncGenerator<LineBlock> {
  let pending: Buffer = Buffer.alloc(0);
  let nextLineNumber = 1;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const buffer = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    if (buffer.indexOf(NUL) !== -1)
      throw new UnreadableVoterFileError('The file is binary (it contains NUL bytes), not a text voter file', { lineNumber: nextLineNumber });
    let start = 0;
    let lines = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      if (end - start > options.maxLineBytes) throw overLong(nextLineNumber + lines, options.maxLineBytes);
      lines += 1;
      start = end + 1;
    }
    pending = buffer.subarray(start);
    if (pending.length > options.maxLineBytes) throw overLong(nextLineNumber + lines, options.maxLineBytes);
    if (lines > 0) {
      yield { bytes: buffer.subarray(0, start), firstLineNumber: nextLineNumber };
      nextLineNumber += lines;
    }
  }
  if (pending.length > 0) yield { bytes: pending, firstLineNumber: nextLineNumber };
}

/**
 * The lines of a block split into fields. Each line is decoded as UTF-8 when it is valid UTF-8
 * and as Latin-1 otherwise: NC files come in either, sometimes mixed after a vendor's
 * concatenation. Fields wrapped in double quotes (legacy NC files quote every field) are unwrapped.
 */
export function parseLineBlock(block: LineBlock, wantedColumns?: readonly boolean[]): TabSeparatedLine[] {
  const { bytes } = block;
  const lines: TabSeparatedLine[] = [];
  let lineNumber = block.firstLineNumber;
  forEachLine(block, (start, stop) => {
    lines.push(parseLine(bytes.subarray(start, stop), lineNumber, wantedColumns));
    lineNumber += 1;
  });
  return lines;
}

/** Calls `visit` with the bounds of each line of a block, without its line break (LF or CRLF), in order. */
export function forEachLine(block: LineBlock, visit: (start: number, end: number) => void): void {
  const { bytes } = block;
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    visit(start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end);
    start = end + 1;
  }
}

/** One line's bytes (no line break) split into fields, as parseLineBlock splits each line. */
export function parseLine(bytes: Buffer, lineNumber: number, wantedColumns?: readonly boolean[]): TabSeparatedLine {
  const line = decode(bytes);
  return { lineNumber, fields: wantedColumns ? splitWantedFields(line, wantedColumns) : splitFields(line) };
}

/** Blocks parsed on this thread: for callers that want lines (the header, small files, tests). */
export async function* readTabSeparatedLines(input: Readable, options: TabSeparatedReadOptions): AsyncGenerator<TabSeparatedLine[]> {
  for await (const block of readLineBlocks(input, options)) yield parseLineBlock(block);
}

function decode(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

// Tabs never occur inside NC or California fields, so a plain split is exact; comma-separated
// layouts (Ohio) need a real CSV parser instead.
function splitFields(line: string): string[] {
  return line.split('\t').map(unquote);
}

/**
 * Like splitFields, but only the columns a mapper reads become strings; the others are '' (their
 * count still tells a short line from a whole one). A statewide file has 67 columns and a mapper
 * reads about 20: most of the garbage an import makes is never made.
 */
function splitWantedFields(line: string, wanted: readonly boolean[]): string[] {
  const fields: string[] = [];
  let start = 0;
  for (let index = 0; ; index += 1) {
    const tab = line.indexOf('\t', start);
    const end = tab === -1 ? line.length : tab;
    fields.push(wanted[index] === true ? unquote(line.slice(start, end)) : '');
    if (tab === -1) return fields;
    start = tab + 1;
  }
}

function unquote(field: string): string {
  return field.length >= 2 && field.charCodeAt(0) === 34 && field.charCodeAt(field.length - 1) === 34 ? field.slice(1, -1).replace(/""/g, '"') : field;
}

function overLong(lineNumber: number, maxLineBytes: number): UnreadableVoterFileError {
  return new UnreadableVoterFileError(`Line ${lineNumber} is longer than ${maxLineBytes} bytes; this is not a voter file line`, { lineNumber, maxLineBytes });
}
