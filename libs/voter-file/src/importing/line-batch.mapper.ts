import type { LineProblem, MappedLine } from '../formats/normalized-voter';
import type { VoterFileMapper } from '../formats/voter-file.mapper';
import { NcvoterMapper } from '../formats/ncvoter.mapper';
import type { NewVoterPropensity } from '../normalization/propensity.rule';
import { forEachLine, type LineBlock, parseLine, parseLineBlock, type TabSeparatedLine } from '../reading/tab-separated-line.reader';
import { CopyTextBuffer } from './copy-text.buffer';
import { MAX_SOURCE_VOTER_ID_LENGTH } from './max-source-voter-id-length.constant';
import { type CopyLineWriter, NcvoterCopyLineWriter } from './ncvoter-copy-line.writer';
import { historyCopyLine, voterCopyLine } from './staging-row.serializer';
import type { RecordedProblem } from './voter-import.repository';

/** A batch of lines mapped and written as COPY text, with what was wrong in it. */
export interface MappedBatch {
  /** COPY text; UTF-8 bytes when it comes from a mapping thread (handed over, not copied). */
  readonly voters: string | Uint8Array;
  readonly history: string | Uint8Array;
  /** Data lines read (blank lines are not counted). */
  readonly rows: number;
  readonly problems: RecordedProblem[];
}

/** Maps lines to staging COPY text; plain data in and out, so it runs the same on a worker thread. */
export class LineBatchMapper {
  private readonly copyLineWriter: CopyLineWriter | null;
  private readonly copyText = new CopyTextBuffer(512 * 1024);

  constructor(
    private readonly mapper: VoterFileMapper,
    private readonly propensity: NewVoterPropensity,
  ) {
    this.copyLineWriter =
      mapper instanceof NcvoterMapper ? new NcvoterCopyLineWriter(mapper.positions, mapper.fieldCount, mapper.birthYearsJudgedIn, propensity) : null;
  }

  /** The database refuses longer ids; refused here, the line is named instead of the whole import failing. */
  private tooLongVoterId(lineNumber: number, mapped: MappedLine): LineProblem | null {
    const id = mapped.voter?.sourceVoterId ?? mapped.history[0]?.sourceVoterId;
    if (id === undefined || id.length <= MAX_SOURCE_VOTER_ID_LENGTH) return null;
    return {
      lineNumber,
      column: this.mapper.keyColumn,
      reason: `the voter id is ${id.length} characters long; at most ${MAX_SOURCE_VOTER_ID_LENGTH} are allowed`,
    };
  }

  /**
   * Whether blocks go from bytes to COPY bytes (ncvoter). That is cheap enough that the import's
   * own thread keeps ahead of PostgreSQL, and mapping threads would only add their overhead
   * (measured on a million lines: COPY 5.8 s on the import's thread, 7.3 s with one mapping
   * thread, 7.7 s with two).
   */
  get writesBytes(): boolean {
    return this.copyLineWriter !== null;
  }

  /** The columns worth splitting out of each line (see VoterFileMapper.wantedColumns). */
  get wantedColumns(): readonly boolean[] | undefined {
    return this.mapper.wantedColumns;
  }

  /**
   * A block of a tab-separated file, mapped. Where the layout has a byte-level writer (ncvoter),
   * plain lines go straight from the file's bytes to COPY bytes, and only the lines it declines
   * are split into strings and mapped one by one; the COPY text comes back as UTF-8 bytes.
   */
  mapBlock(block: LineBlock): MappedBatch {
    const writer = this.copyLineWriter;
    if (writer === null) return this.map(parseLineBlock(block, this.wantedColumns));
    const { bytes } = block;
    // One buffer reused for every block: only the copy handed on (toBytes) is new memory.
    const voters = this.copyText;
    voters.length = 0;
    const history: string[] = [];
    const problems: RecordedProblem[] = [];
    let rows = 0;
    let lineNumber = block.firstLineNumber;
    forEachLine(block, (start, end) => {
      if (writer.tryWrite(bytes, start, end, lineNumber, voters)) rows += 1;
      else {
        const declined = this.map([parseLine(bytes.subarray(start, end), lineNumber, this.wantedColumns)]);
        rows += declined.rows;
        for (const problem of declined.problems) problems.push(problem);
        voters.writeUtf8(declined.voters as string);
        if (declined.history.length > 0) history.push(declined.history as string);
      }
      lineNumber += 1;
    });
    return { voters: voters.toBytes(), history: history.join(''), rows, problems };
  }

  map(lines: readonly TabSeparatedLine[]): MappedBatch {
    // Lines gathered and joined once: `+=` would build a deep rope that costs more to flatten
    // (when it is encoded for COPY) than the lines cost to make.
    const voters: string[] = [];
    const history: string[] = [];
    let rows = 0;
    const problems: RecordedProblem[] = [];
    for (const line of lines) {
      // Trailing blank lines are common and mean nothing.
      if (line.fields.length === 1 && line.fields[0].trim() === '') continue;
      rows += 1;
      const mapped = this.mapper.map(line.lineNumber, line.fields);
      const rejection = mapped.rejection ?? this.tooLongVoterId(line.lineNumber, mapped);
      if (rejection) {
        problems.push({ ...rejection, kind: 'rejected' });
        continue;
      }
      for (const problem of mapped.dropped) problems.push({ ...problem, kind: 'dropped' });
      // Staged as if the voter had no history; the merge re-derives it in SQL for voters that have some.
      if (mapped.voter) voters.push(voterCopyLine(line.lineNumber, mapped.voter, this.propensity.of(mapped.voter.registrationDate)));
      for (const entry of mapped.history) history.push(historyCopyLine(line.lineNumber, entry));
    }
    return { voters: voters.join(''), history: history.join(''), rows, problems };
  }
}
