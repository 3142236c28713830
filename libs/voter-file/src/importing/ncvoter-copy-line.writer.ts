import type { NcvoterColumnPositions } from '../formats/ncvoter.mapper';
import { normalizeParty, type StandardParty } from '../normalization/party.normalizer';
import type { NewVoterPropensity } from '../normalization/propensity.rule';
import { normalizeRaceEthnicity, type StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { nanpLineTypeByPrefix } from '../phone-number.util';
import type { CopyTextBuffer } from './copy-text.buffer';
import { MAX_SOURCE_VOTER_ID_LENGTH } from './max-source-voter-id-length.constant';

/** Turns a plain line's bytes straight into a staged voter's COPY line, or declines the line. */
export interface CopyLineWriter {
  /**
   * Writes the line `bytes[start, end)` (no line break) as COPY text and returns true; or returns
   * false, having written nothing, when the line needs the general path (which reads it as text
   * and knows how to word every problem).
   */
  tryWrite(bytes: Uint8Array, start: number, end: number, lineNumber: number, out: CopyTextBuffer): boolean;
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const DASH = 0x2d;
const DOT = 0x2e;
const PLUS = 0x2b;
const OPEN_PARENTHESIS = 0x28;
const CLOSE_PARENTHESIS = 0x29;
const ZERO = 0x30;
const FIRST_NON_ASCII = 0x80;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whitespace as String.prototype.trim and /\s/ see it, among the bytes a plain field can hold (tab and line breaks cannot occur in one). */
function isBlank(byte: number): boolean {
  return byte === SPACE || byte === 0x0b || byte === 0x0c;
}

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= ZERO + 9;
}

/**
 * NcvoterMapper plus the COPY serializer, for the lines nearly every statewide file consists of:
 * ASCII, quoted or not, with MM/DD/YYYY dates, plain ZIPs and plainly written valid phones. Fields
 * go from the file's bytes to COPY bytes without becoming strings. Any other line (accents or
 * Latin-1, inner quotes, backslashes, odd dates, anything to report) is declined and takes the general
 * path, so what is written is byte for byte what that path would write (a test holds them equal).
 */
export class NcvoterCopyLineWriter implements CopyLineWriter {
  // Where each field's content begins and ends on the current line (inside its quotes, if quoted).
  private readonly contentStarts: Int32Array;
  private readonly contentEnds: Int32Array;
  /** The text columns written between the voter id and the ZIP, in COPY order. */
  private readonly nameAndPlaceColumns: readonly number[];
  private readonly phoneDigits = new Int32Array(11);
  private readonly nationalDigits = new Int32Array(10);
  private readonly parties = new Map<number, StandardParty>();
  private readonly raceEthnicities = new Map<number, StandardRaceEthnicity>();
  // The line whose national digits nationalText reads: one function for every line, not a closure per phone.
  private currentLine: Uint8Array = new Uint8Array(0);
  private readonly nationalText = (): string => {
    let text = '';
    for (const position of this.nationalDigits) text += String.fromCharCode(this.currentLine[position]);
    return text;
  };
  // Trimmed bounds of the current line's fields, by column, filled by `bound`.
  private trimmedStart = 0;
  private trimmedEnd = 0;

  constructor(
    private readonly columns: NcvoterColumnPositions,
    private readonly fieldCount: number,
    private readonly asOfYear: number,
    private readonly propensity: NewVoterPropensity,
  ) {
    this.contentStarts = new Int32Array(fieldCount);
    this.contentEnds = new Int32Array(fieldCount);
    this.nameAndPlaceColumns = [
      columns.firstName,
      columns.middleName,
      columns.lastName,
      columns.nameSuffix,
      columns.address,
      columns.city,
      columns.county,
      columns.precinct,
    ];
  }

  tryWrite(bytes: Uint8Array, start: number, end: number, lineNumber: number, out: CopyTextBuffer): boolean {
    if (!this.splitPlainLine(bytes, start, end)) return false;
    const { columns } = this;

    // Everything that can decline is read before anything is written.
    this.bound(bytes, columns.ncid);
    const idStart = this.trimmedStart;
    const idEnd = this.trimmedEnd;
    if (idEnd === idStart || idEnd - idStart > MAX_SOURCE_VOTER_ID_LENGTH) return false;
    const registrationDay = this.registrationDay(bytes, columns.registrationDate);
    if (registrationDay === undefined) return false;
    const birthYear = this.birthYear(bytes, columns.birthYear);
    if (birthYear === undefined) return false;
    const zipStart = this.zipDigitsStart(bytes, columns.zip);
    if (zipStart === undefined) return false;
    const zipEnd = this.trimmedEnd;
    const phonePrefix = this.phonePrefix(bytes, columns.phone);
    if (phonePrefix === undefined) return false;
    const lineType = phonePrefix === null ? null : nanpLineTypeByPrefix(phonePrefix, this.nationalTextOf(bytes));
    if (phonePrefix !== null && lineType === null) return false;
    const party = this.party(bytes, columns.party);
    const raceEthnicity = this.raceEthnicity(bytes, columns.race, columns.ethnicity);

    out.writeInteger(lineNumber);
    out.writeByte(TAB);
    this.writeClean(bytes, columns.ncid, out);
    for (const column of this.nameAndPlaceColumns) this.writeClean(bytes, column, out);
    this.writeZip(bytes, zipStart, zipEnd, out);
    if (birthYear === null) out.writeNull();
    else out.writeInteger(birthYear);
    out.writeByte(TAB);
    this.writeClean(bytes, columns.party, out);
    out.writeAscii(party);
    out.writeByte(TAB);
    this.writeClean(bytes, columns.gender, out);
    this.writeClean(bytes, columns.race, out);
    this.writeClean(bytes, columns.ethnicity, out);
    out.writeAscii(raceEthnicity);
    out.writeByte(TAB);
    if (registrationDay === null) out.writeNull();
    else this.writeIsoDate(bytes, this.contentStarts[columns.registrationDate], out);
    out.writeByte(TAB);
    this.writeClean(bytes, columns.status, out);
    if (phonePrefix === null) out.writeAscii('[]');
    else {
      out.writeAscii('[{"e164":"+1');
      out.reserve(10);
      for (const position of this.nationalDigits) out.put(bytes[position]);
      out.writeAscii(`","lineType":"${lineType}"}]`);
    }
    out.writeByte(TAB);
    out.writeAscii(this.propensity.ofDay(registrationDay));
    out.writeByte(NEWLINE);
    return true;
  }

  /**
   * Finds the fields of a line that is plain ASCII without backslashes or carriage returns and has
   * the header's field count. A field may be wrapped in double quotes (legacy NC files quote every
   * field), which are left out of its content; a quote anywhere else sends the line to the general path.
   */
  private splitPlainLine(bytes: Uint8Array, start: number, end: number): boolean {
    let fields = 0;
    let fieldStart = start;
    let quotes = 0;
    for (let index = start; index <= end; index += 1) {
      const byte = index === end ? TAB : bytes[index];
      if (byte === TAB) {
        if (fields >= this.fieldCount) return false;
        if (quotes === 0) {
          this.contentStarts[fields] = fieldStart;
          this.contentEnds[fields] = index;
        } else if (quotes === 2 && index - fieldStart >= 2 && bytes[fieldStart] === QUOTE && bytes[index - 1] === QUOTE) {
          this.contentStarts[fields] = fieldStart + 1;
          this.contentEnds[fields] = index - 1;
        } else return false;
        fields += 1;
        fieldStart = index + 1;
        quotes = 0;
      } else if (byte === QUOTE) quotes += 1;
      else if (byte >= FIRST_NON_ASCII || byte === BACKSLASH || byte === CARRIAGE_RETURN || byte === NEWLINE) return false;
    }
    return fields === this.fieldCount;
  }

  /** Sets trimmedStart/trimmedEnd to the column's field without surrounding whitespace (empty for a column the header lacks). */
  private bound(bytes: Uint8Array, column: number): void {
    if (column < 0) {
      this.trimmedStart = this.trimmedEnd = 0;
      return;
    }
    let start = this.contentStarts[column];
    let end = this.contentEnds[column];
    while (start < end && isBlank(bytes[start])) start += 1;
    while (end > start && isBlank(bytes[end - 1])) end -= 1;
    this.trimmedStart = start;
    this.trimmedEnd = end;
  }

  /** cleanText in bytes: trimmed, runs of two or more whitespace bytes become one space; empty is \N. Then a tab. */
  private writeClean(bytes: Uint8Array, column: number, out: CopyTextBuffer): void {
    this.bound(bytes, column);
    const start = this.trimmedStart;
    const end = this.trimmedEnd;
    if (start === end) out.writeNull();
    else {
      out.reserve(end - start + 1);
      for (let index = start; index < end; index += 1) {
        const byte = bytes[index];
        if (isBlank(byte) && isBlank(bytes[index + 1])) {
          while (isBlank(bytes[index + 1])) index += 1;
          out.put(SPACE);
        } else out.put(byte);
      }
    }
    out.writeByte(TAB);
  }

  /** parseDate's common MM/DD/YYYY as the number YYYYMMDD; null for an empty field; undefined for anything else. */
  private registrationDay(bytes: Uint8Array, column: number): number | null | undefined {
    if (column < 0) return null;
    const start = this.contentStarts[column];
    const length = this.contentEnds[column] - start;
    if (length === 0) return null;
    if (length !== 10 || bytes[start + 2] !== SLASH || bytes[start + 5] !== SLASH) return undefined;
    const month = twoDigits(bytes, start);
    const day = twoDigits(bytes, start + 3);
    const year = twoDigits(bytes, start + 6) * 100 + twoDigits(bytes, start + 8);
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]) || Number.isNaN(year)) return undefined;
    if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined;
    return year * 10_000 + month * 100 + day;
  }

  /** The ten national digits of this line as text, asked for by the verdict table only at its first look at a prefix. */
  private nationalTextOf(bytes: Uint8Array): () => string {
    this.currentLine = bytes;
    return this.nationalText;
  }

  /** MM/DD/YYYY (already checked) as YYYY-MM-DD. */
  private writeIsoDate(bytes: Uint8Array, start: number, out: CopyTextBuffer): void {
    out.writeBytes(bytes, start + 6, start + 10);
    out.writeByte(DASH);
    out.writeBytes(bytes, start, start + 2);
    out.writeByte(DASH);
    out.writeBytes(bytes, start + 3, start + 5);
  }

  /** parseBirthYear's accepted four digits; null when empty; undefined for anything it would refuse. */
  private birthYear(bytes: Uint8Array, column: number): number | null | undefined {
    this.bound(bytes, column);
    const start = this.trimmedStart;
    if (start === this.trimmedEnd) return null;
    if (this.trimmedEnd - start !== 4) return undefined;
    const year = twoDigits(bytes, start) * 100 + twoDigits(bytes, start + 2);
    if (Number.isNaN(year) || year < this.asOfYear - 120 || year > this.asOfYear - 16) return undefined;
    return year;
  }

  /**
   * Where the ZIP's digits begin (trimmedEnd marks where they end), null when there is no ZIP, and
   * undefined when parseZip5 would refuse it or it is not plain digits (dashes are left to the general path).
   */
  private zipDigitsStart(bytes: Uint8Array, column: number): number | null | undefined {
    this.bound(bytes, column);
    const start = this.trimmedStart;
    const length = this.trimmedEnd - start;
    if (length === 0) return null;
    if (length !== 5 && length !== 9 && length !== 4 && length !== 8) return undefined;
    for (let index = start; index < this.trimmedEnd; index += 1) if (!isDigit(bytes[index])) return undefined;
    return start;
  }

  private writeZip(bytes: Uint8Array, start: number | null, end: number, out: CopyTextBuffer): void {
    if (start === null) out.writeNull();
    else {
      const length = end - start;
      // A leading zero lost by a spreadsheet (4 or 8 digits) is restored.
      if (length === 4 || length === 8) {
        out.writeByte(ZERO);
        out.writeBytes(bytes, start, start + 4);
      } else out.writeBytes(bytes, start, start + 5);
    }
    out.writeByte(TAB);
  }

  /**
   * A phone written as plainNanpNationalNumber accepts it (digits with spaces, dots, dashes or
   * parentheses, an optional leading 1 or +1; area code 2–9): its first six national digits as a
   * number, the ten digits' positions left in nationalDigits; null when the field is blank;
   * undefined for any other spelling (the general path reads those).
   */
  private phonePrefix(bytes: Uint8Array, column: number): number | null | undefined {
    this.bound(bytes, column);
    if (this.trimmedStart === this.trimmedEnd) return null;
    const digits = this.phoneDigits;
    let count = 0;
    let plus = false;
    for (let index = this.contentStarts[column]; index < this.contentEnds[column]; index += 1) {
      const byte = bytes[index];
      if (isDigit(byte)) {
        if (count === digits.length) return undefined;
        digits[count++] = index;
      } else if (byte === PLUS && count === 0 && !plus) plus = true;
      else if (byte !== SPACE && byte !== OPEN_PARENTHESIS && byte !== CLOSE_PARENTHESIS && byte !== DASH && byte !== DOT) return undefined;
    }
    const first = count === 11 && bytes[digits[0]] === ZERO + 1 ? 1 : count === 10 && !plus ? 0 : -1;
    if (first < 0 || bytes[digits[first]] < ZERO + 2) return undefined;
    let prefix = 0;
    for (let digit = 0; digit < 10; digit += 1) {
      this.nationalDigits[digit] = digits[first + digit];
      if (digit < 6) prefix = prefix * 10 + bytes[digits[first + digit]] - ZERO;
    }
    return prefix;
  }

  private party(bytes: Uint8Array, column: number): StandardParty {
    this.bound(bytes, column);
    const key = packedKey(bytes, this.trimmedStart, this.trimmedEnd);
    let party = key === null ? undefined : this.parties.get(key);
    if (party === undefined) {
      party = normalizeParty(cleanedText(bytes, this.trimmedStart, this.trimmedEnd));
      if (key !== null) this.parties.set(key, party);
    }
    return party;
  }

  private raceEthnicity(bytes: Uint8Array, raceColumn: number, ethnicityColumn: number): StandardRaceEthnicity {
    this.bound(bytes, raceColumn);
    const raceStart = this.trimmedStart;
    const raceEnd = this.trimmedEnd;
    this.bound(bytes, ethnicityColumn);
    const raceKey = packedKey(bytes, raceStart, raceEnd);
    const ethnicityKey = packedKey(bytes, this.trimmedStart, this.trimmedEnd);
    const key = raceKey === null || ethnicityKey === null ? null : raceKey * 2 ** 25 + ethnicityKey;
    let value = key === null ? undefined : this.raceEthnicities.get(key);
    if (value === undefined) {
      value = normalizeRaceEthnicity(cleanedText(bytes, raceStart, raceEnd), cleanedText(bytes, this.trimmedStart, this.trimmedEnd));
      if (key !== null) this.raceEthnicities.set(key, value);
    }
    return value;
  }
}

function twoDigits(bytes: Uint8Array, at: number): number {
  const tens = bytes[at] - ZERO;
  const ones = bytes[at + 1] - ZERO;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : Number.NaN;
}

/** Up to three bytes without whitespace as one number (a code's cache key); null otherwise. */
function packedKey(bytes: Uint8Array, start: number, end: number): number | null {
  if (end - start > 3) return null;
  let key = 1;
  for (let index = start; index < end; index += 1) {
    if (isBlank(bytes[index])) return null;
    key = key * 256 + bytes[index];
  }
  return key;
}

/** The trimmed field as text, inner whitespace runs collapsed as cleanText does (a code's rare slow path). */
function cleanedText(bytes: Uint8Array, start: number, end: number): string {
  return latin1(bytes, start, end).replace(/\s{2,}/g, ' ');
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
