import type { VoterFileMapper } from '../formats/voter-file.mapper';
import type { NewVoterPropensity } from '../normalization/propensity.rule';
import type { TabSeparatedLine } from '../reading/tab-separated-line.reader';
import { historyCopyLine, voterCopyLine } from './staging-row.serializer';
import type { RecordedProblem } from './voter-import.repository';

/** A batch of lines mapped and written as COPY text, with what was wrong in it. */
export interface MappedBatch {
  readonly voters: string;
  readonly history: string;
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

  /** The columns worth splitting out of each line (see VoterFileMapper.wantedColumns). */
  get wantedColumns(): readonly boolean[] | undefined {
    return this.mapper.wantedColumns;
  }

  map(lines: readonly TabSeparatedLine[]): MappedBatch {
    let voters = '';
    let history = '';
    let rows = 0;
    const problems: RecordedProblem[] = [];
    for (const line of lines) {
      // Trailing blank lines are common and mean nothing.
      if (line.fields.length === 1 && line.fields[0].trim() === '') continue;
      rows += 1;
      const mapped = this.mapper.map(line.lineNumber, line.fields);
      if (mapped.rejection) {
        problems.push({ ...mapped.rejection, kind: 'rejected' });
        continue;
      }
      for (const problem of mapped.dropped) problems.push({ ...problem, kind: 'dropped' });
      // Staged as if the voter had no history; the merge re-derives it in SQL for voters that have some.
      if (mapped.voter) voters += voterCopyLine(line.lineNumber, mapped.voter, this.propensity.of(mapped.voter.registrationDate));
      for (const entry of mapped.history) history += historyCopyLine(line.lineNumber, entry);
    }
    return { voters, history, rows, problems };
  }
}
