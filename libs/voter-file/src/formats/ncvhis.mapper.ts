import { cleanText, parseDate } from '../normalization/field-parsers.util';
import { MissingColumnsError } from './missing-columns.error';
import { type ElectionType, type MappedLine, rejectedLine as rejected } from './normalized-voter';
import type { VoterFileMapper } from './voter-file.mapper';

/** The North Carolina `ncvhis` vote-history file's 15 columns, in the published order. */
export const NCVHIS_COLUMNS = [
  'county_id',
  'county_desc',
  'voter_reg_num',
  'election_lbl',
  'election_desc',
  'voting_method',
  'voted_party_cd',
  'voted_party_desc',
  'pct_label',
  'pct_description',
  'ncid',
  'voted_county_id',
  'voted_county_desc',
  'vtd_label',
  'vtd_description',
] as const;

export type NcvhisColumn = (typeof NCVHIS_COLUMNS)[number];

export const NCVHIS_REQUIRED_COLUMNS = ['ncid', 'election_lbl'] as const;

/**
 * Maps North Carolina `ncvhis` lines (one voter in one election each) to vote-history entries,
 * joined to the voters by `ncid`. Columns are read by header name, in any order.
 */
export class NcvhisMapper implements VoterFileMapper {
  readonly format = 'ncvhis' as const;
  readonly keyColumn = 'ncid';
  readonly carriesVoters = false;
  readonly carriesHistory = true;
  private readonly index: ReadonlyMap<string, number>;

  constructor(private readonly header: readonly string[]) {
    this.index = new Map(header.map((name, position) => [name.trim().toLowerCase(), position]));
    const missing = NCVHIS_REQUIRED_COLUMNS.filter((column) => !this.index.has(column));
    if (missing.length > 0) throw new MissingColumnsError('ncvhis', missing, NCVHIS_REQUIRED_COLUMNS);
  }

  map(lineNumber: number, fields: readonly string[]): MappedLine {
    if (fields.length !== this.header.length) {
      return rejected({ lineNumber, column: null, reason: `expected ${this.header.length} fields (as in the header), found ${fields.length}` });
    }
    const field = (name: NcvhisColumn): string => {
      const position = this.index.get(name);
      return position === undefined ? '' : fields[position];
    };
    const sourceVoterId = cleanText(field('ncid'));
    if (sourceVoterId === null) return rejected({ lineNumber, column: 'ncid', reason: 'the voter id is empty' });
    const electionDate = parseDate(field('election_lbl'));
    if (!electionDate.ok) return rejected({ lineNumber, column: 'election_lbl', reason: electionDate.reason });
    if (electionDate.value === null) return rejected({ lineNumber, column: 'election_lbl', reason: 'the election date is empty' });

    const electionLabel = cleanText(field('election_desc'));
    return {
      voter: null,
      history: [
        {
          sourceVoterId,
          electionDate: electionDate.value,
          electionType: electionTypeOf(electionLabel ?? ''),
          electionLabel,
          votingMethod: cleanText(field('voting_method')),
          votedPartyCode: cleanText(field('voted_party_cd')),
        },
      ],
      rejection: null,
      dropped: [],
    };
  }
}

// Checked in this order, so `SPECIAL GENERAL` counts as a general and `SPECIAL PRIMARY` as a primary.
function electionTypeOf(description: string): ElectionType {
  const text = description.toUpperCase();
  if (text.includes('GENERAL')) return 'general';
  if (text.includes('PRIMARY')) return 'primary';
  if (text.includes('SPECIAL')) return 'special';
  return 'other';
}
