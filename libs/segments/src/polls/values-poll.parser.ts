import { parse } from 'csv-parse/sync';
import { invalidInput } from '../invalid-input.error';

export interface ValuesPollRow {
  /** The line of the file (the header is line 1). */
  readonly lineNumber: number;
  readonly sourceVoterId: string;
  readonly segment: string;
}

export const MAX_POLL_ROWS = 200_000;
const MAX_EXAMPLES = 10;

/**
 * Reads a values poll, `voter_id,segment` with a header (other columns are ignored), and refuses
 * the whole file, naming lines, when it is empty, lacks a column, has a blank cell, gives a
 * segment the taxonomy does not have, or gives one voter twice. Matching voters is the caller's.
 */
export function parseValuesPoll(content: Buffer | string, segmentKeys: readonly string[]): ValuesPollRow[] {
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof parsed;
  } catch (error) {
    throw invalidInput('poll', `the poll is not readable CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const records = parsed.map((each) => each.record);
  if (records.length === 0) throw invalidInput('poll', 'the poll file is empty; expected a header voter_id,segment and one line per respondent');
  const header = records[0].map((name) => name.toLowerCase());
  const voterColumn = header.indexOf('voter_id');
  const segmentColumn = header.indexOf('segment');
  if (voterColumn === -1 || segmentColumn === -1) {
    throw invalidInput('poll', `the poll's header must name the columns voter_id and segment; it has ${records[0].join(', ') || 'nothing'}`);
  }
  if (records.length === 1) throw invalidInput('poll', 'the poll has a header but no respondents');
  if (records.length - 1 > MAX_POLL_ROWS) throw invalidInput('poll', `the poll has ${records.length - 1} respondents; at most ${MAX_POLL_ROWS} are taken`);

  const rows: ValuesPollRow[] = [];
  const blank: number[] = [];
  const unknownSegments = new Map<string, number[]>();
  const firstLineOf = new Map<string, number>();
  const duplicates: string[] = [];
  const known = new Set(segmentKeys);
  // Blank lines are skipped, so line numbers come from the parser's own count.
  parsed.slice(1).forEach(({ record, info }) => {
    const lineNumber = info.lines;
    const sourceVoterId = record[voterColumn] ?? '';
    const segment = record[segmentColumn] ?? '';
    if (sourceVoterId === '' || segment === '') return void blank.push(lineNumber);
    if (!known.has(segment)) return void unknownSegments.set(segment, [...(unknownSegments.get(segment) ?? []), lineNumber]);
    const earlier = firstLineOf.get(sourceVoterId);
    if (earlier !== undefined) return void duplicates.push(`${sourceVoterId} (lines ${earlier} and ${lineNumber})`);
    firstLineOf.set(sourceVoterId, lineNumber);
    rows.push({ lineNumber, sourceVoterId, segment });
  });
  if (blank.length > 0) throw invalidInput('poll', `${blank.length} poll line(s) lack a voter_id or segment: line(s) ${examples(blank)}`);
  if (unknownSegments.size > 0) {
    const named = [...unknownSegments].map(([segment, lines]) => `"${segment}" (line${lines.length > 1 ? 's' : ''} ${examples(lines)})`);
    throw invalidInput(
      'poll',
      `the poll names segment(s) the taxonomy does not have: ${named.slice(0, MAX_EXAMPLES).join(', ')}; the segments are ${segmentKeys.join(', ')}`,
    );
  }
  if (duplicates.length > 0) {
    throw invalidInput('poll', `${duplicates.length} voter id(s) appear more than once in the poll: ${duplicates.slice(0, MAX_EXAMPLES).join(', ')}`);
  }
  return rows;
}

function examples(lines: readonly number[]): string {
  return `${lines.slice(0, MAX_EXAMPLES).join(', ')}${lines.length > MAX_EXAMPLES ? ', …' : ''}`;
}
