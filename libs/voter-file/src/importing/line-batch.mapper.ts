import type { LineProblem, MappedLine } from '../formats/normalized-voter';
import type { VoterFileMapper } from '../formats/voter-file.mapper';

/** As the voter table's check constraint says (migration 1795400000003). */
export const MAX_SOURCE_VOTER_ID_LENGTH = 64;
import type { NewVoterPropensity } from '../normalization/propensity.rule';
import type { TabSeparatedLine } from '../reading/tab-separated-line.reader';
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
  constructor(
    private readonly mapper: VoterFileMapper,
    private readonly propensity: NewVoterPropensity,
  ) {}

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

  /** The columns worth splitting out of each line (see VoterFileMapper.wantedColumns). */
  get wantedColumns(): readonly boolean[] | undefined {
    return this.mapper.wantedColumns;
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
