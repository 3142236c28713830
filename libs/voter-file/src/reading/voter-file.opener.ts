import { once } from 'node:events';
import { createReadStream, type ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FieldDelimiter } from '../formats/voter-file.mapper';
import { readCommaSeparatedLines } from './comma-separated-line.reader';
import { type LineBlock, readLineBlocks, type TabSeparatedLine } from './tab-separated-line.reader';
import { UnreadableVoterFileError } from './voter-file.error';

export interface VoterFileReadOptions {
  /** Known from the layout; read off the header line when not given. */
  readonly delimiter?: FieldDelimiter;
  readonly maxLineBytes: number;
  readonly onUnreadableLine: (lineNumber: number, reason: string) => void;
}

export interface OpenedVoterFile {
  readonly gzip: boolean;
  readonly delimiter: FieldDelimiter;
  /**
   * Tab-separated files come as blocks of whole lines (split into fields wherever they are
   * mapped, possibly on other threads); others as batches of split lines. Line 1 is the header.
   */
  readonly content:
    { readonly kind: 'blocks'; readonly blocks: AsyncGenerator<LineBlock> } | { readonly kind: 'lines'; readonly lines: AsyncGenerator<TabSeparatedLine[]> };
  /** Bytes of the file on disk consumed so far (compressed bytes for gzip), for progress. */
  bytesRead(): number;
  /** Stops reading and closes the file (when an import ends early). */
  close(): Promise<void>;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const CANDIDATE_DELIMITERS: readonly FieldDelimiter[] = ['\t', ',', '|', ';'];

/** Opens a voter file from disk: plain or gzip, the delimiter known or read off the header line. */
export async function openVoterFile(path: string, options: VoterFileReadOptions): Promise<OpenedVoterFile> {
  const gzip = await startsWithGzipMagic(path);
  const counter = new ByteCounter();
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  // pipe() forwards no errors: every stage's error is routed to the stream the reader consumes.
  const text = new PassThrough({ highWaterMark: 256 * 1024 });
  file.on('error', (error) => text.destroy(error));
  if (gzip) {
    const gunzip = createGunzip();
    gunzip.on('error', (error) =>
      text.destroy(new UnreadableVoterFileError(`The file is gzip-compressed but its compressed data is corrupt or cut short (${error.message})`)),
    );
    file.pipe(counter).pipe(gunzip).pipe(text);
  } else {
    file.pipe(counter).pipe(text);
  }
  let delimiter: FieldDelimiter;
  try {
    const firstLine = await peekFirstLine(text, options.maxLineBytes);
    delimiter = options.delimiter ?? sniffDelimiter(firstLine);
  } catch (error) {
    // Refused before reading began: nothing else will close the file (an upload is deleted next,
    // and an open handle would keep its blocks, and the voters in them, on disk).
    text.destroy();
    await closeFile(file);
    throw error;
  }
  const content: OpenedVoterFile['content'] =
    delimiter === '\t'
      ? { kind: 'blocks', blocks: readLineBlocks(text, { maxLineBytes: options.maxLineBytes }) }
      : { kind: 'lines', lines: readCommaSeparatedLines(text, { delimiter, maxLineBytes: options.maxLineBytes, onUnreadableLine: options.onUnreadableLine }) };
  const close = async (): Promise<void> => {
    await (content.kind === 'blocks' ? content.blocks.return(undefined) : content.lines.return(undefined));
    text.destroy();
    await closeFile(file);
  };
  return { gzip, delimiter, content, bytesRead: () => counter.bytes, close };
}

/** Destroys the file stream and waits until its descriptor is really closed (destroy alone only starts that). */
async function closeFile(file: ReadStream): Promise<void> {
  if (file.closed) return;
  const closed = once(file, 'close').catch(() => undefined);
  file.destroy();
  await closed;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** Reads until the first newline (or the end), then puts everything back for the line reader. */
async function peekFirstLine(stream: Readable, maxLineBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = stream.read() as Buffer | null;
    if (chunk === null) {
      if (stream.readableEnded) break;
      // Both waits are cancelled once one wins, so neither lingers to swallow (or leak as an
      // unhandled rejection) a later error meant for the reader.
      const waiting = new AbortController();
      const next = await Promise.race([
        once(stream, 'end', { signal: waiting.signal }).then(() => 'end' as const),
        once(stream, 'readable', { signal: waiting.signal }).then(() => 'readable' as const),
      ]).finally(() => waiting.abort());
      if (next === 'end') break;
      continue;
    }
    chunks.push(chunk);
    length += chunk.length;
    if (chunk.includes(0x0a) || length > maxLineBytes) break;
  }
  const buffered = Buffer.concat(chunks);
  if (buffered.length > 0) stream.unshift(buffered);
  if (buffered.length === 0) throw new UnreadableVoterFileError('The file is empty: it has no header line and no voters');
  const newline = buffered.indexOf(0x0a);
  return buffered.subarray(0, newline === -1 ? buffered.length : newline).toString('latin1');
}

function sniffDelimiter(headerLine: string): FieldDelimiter {
  const counts = CANDIDATE_DELIMITERS.map((delimiter) => [delimiter, headerLine.split(delimiter).length - 1] as const);
  const [best, count] = counts.reduce((winner, candidate) => (candidate[1] > winner[1] ? candidate : winner));
  if (count === 0) {
    throw new UnreadableVoterFileError('The header line has a single column: the file is not tab-, comma-, pipe- or semicolon-separated', {
      lineNumber: 1,
    });
  }
  return best;
}

class ByteCounter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
