import { DomainErrorCode, DomainException } from '@app/common';
import { MAX_POLL_ROWS, parseValuesPoll } from './values-poll.parser';

const SEGMENT_KEYS = ['pro_tax_base', 'aspiring_poc', 'balanced_suburbans', 'other'];

function refusal(content: Buffer | string): DomainException {
  try {
    parseValuesPoll(content, SEGMENT_KEYS);
  } catch (error) {
    if (error instanceof DomainException) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(content.toString().slice(0, 200))} to be refused`);
}

function refusalMessage(content: Buffer | string): string {
  const error = refusal(content);
  expect(error.code).toBe(DomainErrorCode.ValidationFailed);
  expect(error.details.field).toBe('poll');
  return error.message;
}

describe('parseValuesPoll', () => {
  describe('accepting', () => {
    it('should read one row per respondent, numbering lines from the header as line 1', () => {
      const rows = parseValuesPoll('voter_id,segment\nNC-1,pro_tax_base\nNC-2,other\n', SEGMENT_KEYS);
      expect(rows).toEqual([
        { lineNumber: 2, sourceVoterId: 'NC-1', segment: 'pro_tax_base' },
        { lineNumber: 3, sourceVoterId: 'NC-2', segment: 'other' },
      ]);
    });

    it('should read a file without a final line break', () => {
      expect(parseValuesPoll('voter_id,segment\nNC-1,other', SEGMENT_KEYS)).toEqual([{ lineNumber: 2, sourceVoterId: 'NC-1', segment: 'other' }]);
    });

    it('should read the header in any case and the columns in any order', () => {
      const rows = parseValuesPoll('Segment,VOTER_ID\naspiring_poc,NC-9\n', SEGMENT_KEYS);
      expect(rows).toEqual([{ lineNumber: 2, sourceVoterId: 'NC-9', segment: 'aspiring_poc' }]);
    });

    it('should skip a byte order mark', () => {
      const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('voter_id,segment\r\nNC-1,balanced_suburbans\r\n', 'utf8')]);
      expect(parseValuesPoll(content, SEGMENT_KEYS)).toEqual([{ lineNumber: 2, sourceVoterId: 'NC-1', segment: 'balanced_suburbans' }]);
      expect(parseValuesPoll('\ufeffvoter_id,segment\nNC-1,other\n', SEGMENT_KEYS)).toEqual([{ lineNumber: 2, sourceVoterId: 'NC-1', segment: 'other' }]);
    });

    it('should ignore extra columns', () => {
      const rows = parseValuesPoll('interviewer,voter_id,wave,segment,notes\nsam,NC-1,2,other,"called, twice"\n', SEGMENT_KEYS);
      expect(rows).toEqual([{ lineNumber: 2, sourceVoterId: 'NC-1', segment: 'other' }]);
    });

    it('should trim cells', () => {
      expect(parseValuesPoll('voter_id , segment\n  NC-1 ,  pro_tax_base  \n', SEGMENT_KEYS)).toEqual([
        { lineNumber: 2, sourceVoterId: 'NC-1', segment: 'pro_tax_base' },
      ]);
    });

    it('should skip blank lines but count them in line numbers', () => {
      const rows = parseValuesPoll('voter_id,segment\n\nNC-1,other\n\n   \nNC-2,aspiring_poc\n\n', SEGMENT_KEYS);
      expect(rows).toEqual([
        { lineNumber: 3, sourceVoterId: 'NC-1', segment: 'other' },
        { lineNumber: 6, sourceVoterId: 'NC-2', segment: 'aspiring_poc' },
      ]);
    });

    it('should count Windows line breaks once', () => {
      const rows = parseValuesPoll('voter_id,segment\r\nNC-1,other\r\n\r\nNC-2,other\r\n', SEGMENT_KEYS);
      expect(rows.map((row) => row.lineNumber)).toEqual([2, 4]);
    });

    it('should read a quoted voter id with a comma in it', () => {
      expect(parseValuesPoll('voter_id,segment\n"NC,1",other\n', SEGMENT_KEYS)).toEqual([{ lineNumber: 2, sourceVoterId: 'NC,1', segment: 'other' }]);
    });
    it(`should accept exactly ${MAX_POLL_ROWS} respondents`, () => {
      const lines = Array.from({ length: MAX_POLL_ROWS }, (_, index) => `NC-${index},other`);
      const rows = parseValuesPoll(`voter_id,segment\n${lines.join('\n')}\n`, SEGMENT_KEYS);
      expect(rows).toHaveLength(MAX_POLL_ROWS);
      expect(rows[MAX_POLL_ROWS - 1]).toEqual({ lineNumber: MAX_POLL_ROWS + 1, sourceVoterId: `NC-${MAX_POLL_ROWS - 1}`, segment: 'other' });
    });
  });

  describe('refusing', () => {
    it('should refuse an empty file', () => {
      expect(refusalMessage('')).toContain('empty');
      expect(refusalMessage('\n\n  \n')).toContain('empty');
      expect(refusalMessage(Buffer.alloc(0))).toContain('empty');
    });

    it('should refuse a header with no respondents', () => {
      expect(refusalMessage('voter_id,segment\n')).toContain('no respondents');
      expect(refusalMessage('voter_id,segment\n\n\n')).toContain('no respondents');
    });

    it('should refuse a header without a voter_id or a segment column, naming what it has', () => {
      const withoutSegment = refusalMessage('voter_id,seg\nNC-1,other\n');
      expect(withoutSegment).toContain('voter_id and segment');
      expect(withoutSegment).toContain('voter_id, seg');
      expect(refusalMessage('id,segment\nNC-1,other\n')).toContain('id, segment');
    });

    it('should refuse blank cells, naming every line that has one', () => {
      const message = refusalMessage('voter_id,segment\nNC-1,other\nNC-2,\n,aspiring_poc\n\nNC-5\nNC-6,  \n');
      expect(message).toContain('4 poll line(s)');
      expect(message).toContain('line(s) 3, 4, 6, 7');
    });

    it('should name only the first ten blank lines', () => {
      const lines = Array.from({ length: 12 }, (_, index) => `NC-${index},`);
      const message = refusalMessage(`voter_id,segment\n${lines.join('\n')}\n`);
      expect(message).toContain('12 poll line(s)');
      expect(message).toContain('line(s) 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …');
      expect(message).not.toContain('12, 13');
    });

    it('should refuse a segment the taxonomy does not have, naming it, its lines and the valid segments', () => {
      const message = refusalMessage('voter_id,segment\nNC-1,swing\nNC-2,other\nNC-3,swing\nNC-4,Other\n');
      expect(message).toContain('"swing" (lines 2, 4)');
      expect(message).toContain('"Other" (line 5)');
      expect(message).toContain('pro_tax_base, aspiring_poc, balanced_suburbans, other');
    });

    it('should refuse a voter id given twice, naming both lines', () => {
      const message = refusalMessage('voter_id,segment\nNC-1,other\nNC-2,other\n\nNC-1,pro_tax_base\n');
      expect(message).toContain('1 voter id(s)');
      expect(message).toContain('NC-1 (lines 2 and 5)');
    });

    it('should compare voter ids after trimming', () => {
      expect(refusalMessage('voter_id,segment\nNC-1,other\n NC-1 ,other\n')).toContain('NC-1 (lines 2 and 3)');
    });

    it(`should refuse more than ${MAX_POLL_ROWS} respondents`, () => {
      const lines = Array.from({ length: MAX_POLL_ROWS + 1 }, (_, index) => `NC-${index},other`);
      const message = refusalMessage(`voter_id,segment\n${lines.join('\n')}\n`);
      expect(message).toContain('200001');
      expect(message).toContain('200000');
    });

    it('should refuse a file that is not readable CSV', () => {
      expect(refusalMessage('voter_id,segment\n"NC-1,other\nNC-2,other\n')).toContain('not readable CSV');
      expect(refusalMessage('voter_id,segment\nNC-1,"oth"er\n')).toContain('not readable CSV');
    });
  });
});
