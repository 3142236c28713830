const BACKSLASH_N = [0x5c, 0x4e];

/**
 * COPY text built as UTF-8 bytes, growing as needed: what a block of lines becomes when its
 * fields are copied byte for byte rather than made into strings first.
 */
export class CopyTextBuffer {
  private bytes: Uint8Array;
  length = 0;

  constructor(initialBytes: number) {
    this.bytes = new Uint8Array(Math.max(initialBytes, 1024));
  }

  /** Makes room for `more` bytes; callers writing byte by byte reserve first, then use `put`. */
  reserve(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + more));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** One byte, into room already reserved. */
  put(byte: number): void {
    this.bytes[this.length++] = byte;
  }

  writeByte(byte: number): void {
    this.reserve(1);
    this.bytes[this.length++] = byte;
  }

  writeBytes(source: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    // Fields are short: a loop beats making a subarray view for set().
    for (let index = start; index < end; index += 1) this.bytes[this.length++] = source[index];
  }

  /** ASCII text (codes, digits, JSON punctuation): one byte per character. */
  writeAscii(text: string): void {
    this.reserve(text.length);
    for (let index = 0; index < text.length; index += 1) this.bytes[this.length++] = text.charCodeAt(index);
  }

  writeUtf8(text: string): void {
    this.reserve(text.length * 3);
    this.length += Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).write(text, this.length, 'utf8');
  }

  /** COPY's null marker. */
  writeNull(): void {
    this.reserve(2);
    this.bytes[this.length++] = BACKSLASH_N[0];
    this.bytes[this.length++] = BACKSLASH_N[1];
  }

  writeInteger(value: number): void {
    this.writeAscii(String(value));
  }

  /** The bytes written, as a copy sized to fit (safe to transfer to another thread). */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
