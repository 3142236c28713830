import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { createTestContext, IdentityFactory, type TestContext } from '@app/testing';
import { VoterImportStatus } from '../entities/voter-import.entity';
import { NCVOTER_COLUMNS } from '../formats/ncvoter-columns.constant';
import { NcvoterSyntheticGenerator } from '../generator/ncvoter-synthetic.generator';
import { OhioSyntheticGenerator } from '../generator/ohio-synthetic.generator';
import { VoterFileModule } from '../voter-file.module';
import { VoterImportRepository } from './voter-import.repository';
import { VoterImportService, type VoterImportRequest } from './voter-import.service';
import { VoterStagingRepository } from './voter-staging.repository';

const AS_OF = new Date('2026-11-23T12:00:00Z');

/** One ncvoter line with every column, from the fields a test cares about. */
function ncvoterLine(fields: Partial<Record<(typeof NCVOTER_COLUMNS)[number], string>>): string {
  return NCVOTER_COLUMNS.map((column) => fields[column] ?? '').join('\t');
}

const HEADER = NCVOTER_COLUMNS.join('\t');
const ALICE = {
  ncid: 'AA1',
  first_name: 'ALICE',
  last_name: 'NÚÑEZ',
  county_desc: 'WAKE',
  precinct_abbrv: '01-07',
  zip_code: '27601',
  registr_dt: '04/27/2010',
  birth_year: '1970',
  party_cd: 'DEM',
  race_code: 'B',
  ethnic_code: 'NL',
  full_phone_number: '(919) 555-0123',
};
const BOB = {
  ncid: 'BB2',
  first_name: 'BOB',
  last_name: 'SMITH',
  county_desc: 'DURHAM',
  zip_code: '27701',
  registr_dt: '01/15/2026',
  birth_year: '2001',
  party_cd: 'UNA',
  race_code: 'W',
  ethnic_code: 'HL',
};
const CAROL = {
  ncid: 'CC3',
  first_name: 'CAROL',
  last_name: 'JONES',
  county_desc: 'WAKE',
  zip_code: '27603',
  registr_dt: '03/03/1999',
  birth_year: '1950',
  party_cd: 'REP',
  full_phone_number: '0000000',
};

describe('VoterImportService (real PostgreSQL)', () => {
  let context: TestContext;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  let imports: VoterImportService;
  let fileCounter = 0;

  beforeAll(async () => {
    context = await createTestContext();
    app = await NestFactory.createApplicationContext(
      {
        module: class VoterImportTestModule {},
        imports: [
          CoreModule.forRoot({ config: context.config, endpoints: context.endpoints, serviceName: 'test', logDestination: new RecordingLogDestination() }),
          VoterFileModule,
        ],
      },
      { logger: false },
    );
    dataSource = app.get(DataSource);
    imports = app.get(VoterImportService);
  });

  afterAll(async () => {
    await app.close();
    await context.dispose();
  });

  const newAlliance = async (): Promise<string> => (await new IdentityFactory(dataSource).alliance()).id;

  const writeFile = (content: string | Buffer, extension = 'txt'): string => {
    const path = join(context.temporaryDirectory, `file-${(fileCounter += 1)}.${extension}`);
    writeFileSync(path, content);
    return path;
  };

  const importFile = async (allianceId: string, content: string | Buffer, options: Partial<VoterImportRequest> = {}) => {
    const filePath = options.filePath ?? writeFile(content);
    const record = await imports.create({
      allianceId,
      filePath,
      fileName: 'test.txt',
      fileBytes: typeof content === 'string' ? Buffer.byteLength(content) : content.length,
      fullRefresh: false,
      maxErrorRate: 0.01,
      correlationId: null,
      ...options,
    });
    return imports.run(record.id, { asOf: AS_OF });
  };

  /** Every column of every voter of the alliance, updated_at included: any write changes it. */
  const snapshot = async (allianceId: string): Promise<string> => {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS count, coalesce(md5(string_agg(v::text, '|' ORDER BY v.id)), '') AS digest FROM voter v WHERE alliance_id = $1`,
      [allianceId],
    )) as Array<{ count: number; digest: string }>;
    return `${row.count}:${row.digest}`;
  };

  const voters = async (allianceId: string): Promise<Array<Record<string, unknown>>> =>
    (await dataSource.query(`SELECT * FROM voter WHERE alliance_id = $1 ORDER BY source_voter_id`, [allianceId])) as Array<Record<string, unknown>>;

  const problems = async (importId: string): Promise<Array<{ line_number: number; column_name: string | null; reason: string; kind: string }>> =>
    (await dataSource.query(`SELECT line_number, column_name, reason, kind FROM voter_import_error WHERE import_id = $1 ORDER BY id`, [importId])) as Array<{
      line_number: number;
      column_name: string | null;
      reason: string;
      kind: string;
    }>;

  describe('ncvoter', () => {
    it('should import every field in the standard shape, with E.164 phones, dropped junk phones and a derived propensity', async () => {
      const allianceId = await newAlliance();
      const result = await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB), ncvoterLine(CAROL)].join('\n') + '\n');

      expect(result).toMatchObject({
        status: VoterImportStatus.Succeeded,
        format: 'ncvoter',
        rowsRead: 3,
        inserted: 3,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        droppedPhones: 1,
      });
      const [alice, bob, carol] = await voters(allianceId);
      expect(alice).toMatchObject({
        source_voter_id: 'AA1',
        source_line: 2,
        first_name: 'ALICE',
        last_name: 'NÚÑEZ',
        county: 'WAKE',
        precinct: '01-07',
        zip5: '27601',
        birth_year: 1970,
        party_code: 'DEM',
        party: 'democratic',
        race_ethnicity: 'black',
        phones: [{ e164: '+19195550123', lineType: 'unknown' }],
        has_phone: true,
        propensity: 'occasional',
        active: true,
        last_import_id: result.id,
      });
      expect(await dataSource.query(`SELECT registration_date::text AS date FROM voter WHERE alliance_id = $1 ORDER BY source_voter_id`, [allianceId])).toEqual(
        [{ date: '2010-04-27' }, { date: '2026-01-15' }, { date: '1999-03-03' }],
      );
      expect(bob).toMatchObject({ party: 'unaffiliated', race_ethnicity: 'hispanic', propensity: 'new', has_phone: false });
      expect(carol).toMatchObject({ phones: [], has_phone: false });
      expect(await problems(result.id)).toEqual([
        { line_number: 4, column_name: 'full_phone_number', reason: 'phone dropped: placeholder number (all zeros)', kind: 'dropped' },
      ]);
    });

    it("should give a new alliance's partition exactly the indexes of voter, each adopted by ATTACH rather than built twice", async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB)].join('\n'));

      const indexes = (await dataSource.query(
        `SELECT parent.inhparent::regclass::text AS parent_index
         FROM pg_inherits partition
         JOIN pg_index x ON x.indrelid = partition.inhrelid
         LEFT JOIN pg_inherits parent ON parent.inhrelid = x.indexrelid
         WHERE partition.inhparent = 'voter'::regclass AND partition.inhrelid = (SELECT tableoid FROM voter WHERE alliance_id = $1 LIMIT 1)
         ORDER BY 1`,
        [allianceId],
      )) as Array<{ parent_index: string | null }>;
      const parentIndexes = (await dataSource.query(
        `SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = 'voter'::regclass ORDER BY 1`,
      )) as Array<{
        name: string;
      }>;
      expect(indexes.map((index) => index.parent_index)).toEqual(parentIndexes.map((index) => index.name));
    });

    it('should change nothing when the same file is imported again', async () => {
      const allianceId = await newAlliance();
      const content = [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB), ncvoterLine(CAROL)].join('\n');
      await importFile(allianceId, content);
      const before = await snapshot(allianceId);

      const again = await importFile(allianceId, content);

      expect(again).toMatchObject({ status: VoterImportStatus.Succeeded, inserted: 0, updated: 0, unchanged: 3 });
      expect(await snapshot(allianceId)).toBe(before);
    });

    it('should update a changed voter, insert a new one and leave the rest untouched', async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB)].join('\n'));
      const [, bobBefore] = await voters(allianceId);

      const result = await importFile(
        allianceId,
        [HEADER, ncvoterLine({ ...ALICE, zip_code: '27605', party_cd: 'REP' }), ncvoterLine(BOB), ncvoterLine(CAROL)].join('\n'),
      );

      expect(result).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
      const [alice, bob, carol] = await voters(allianceId);
      expect(alice).toMatchObject({ zip5: '27605', party: 'republican', party_code: 'REP', last_import_id: result.id });
      expect(bob).toEqual(bobBefore);
      expect(carol).toMatchObject({ source_voter_id: 'CC3' });
    });

    it('should mark voters missing from a full file inactive, never deleting them, and reactivate them when they return', async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB), ncvoterLine(CAROL)].join('\n'));

      const partial = await importFile(allianceId, [HEADER, ncvoterLine(ALICE)].join('\n'), { fullRefresh: false });
      expect(partial).toMatchObject({ deactivated: 0, unchanged: 1 });
      const full = await importFile(allianceId, [HEADER, ncvoterLine(ALICE)].join('\n'), { fullRefresh: true });

      expect(full).toMatchObject({ status: VoterImportStatus.Succeeded, deactivated: 2, unchanged: 1 });
      expect((await voters(allianceId)).map((voter) => [voter.source_voter_id, voter.active])).toEqual([
        ['AA1', true],
        ['BB2', false],
        ['CC3', false],
      ]);
      const back = await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB)].join('\n'));
      expect(back).toMatchObject({ updated: 1, unchanged: 1 });
      expect((await voters(allianceId)).map((voter) => voter.active)).toEqual([true, true, false]);
    });

    it('should keep the later line of a repeated voter id and report the earlier one', async () => {
      const allianceId = await newAlliance();
      const result = await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB), ncvoterLine({ ...ALICE, zip_code: '27609' })].join('\n'));

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, inserted: 2 });
      expect((await voters(allianceId))[0]).toMatchObject({ source_voter_id: 'AA1', zip5: '27609', source_line: 4 });
      expect(await problems(result.id)).toEqual([
        { line_number: 2, column_name: 'ncid', reason: 'the voter id AA1 appears again on line 4, and the later line is the one imported', kind: 'duplicate' },
      ]);

      // The same on an alliance that already has voters (the merge path, not a fresh partition).
      const again = await importFile(allianceId, [HEADER, ncvoterLine(CAROL), ncvoterLine({ ...CAROL, zip_code: '27610' })].join('\n'));
      expect(again).toMatchObject({ inserted: 1 });
      expect((await voters(allianceId))[2]).toMatchObject({ source_voter_id: 'CC3', zip5: '27610' });
    });

    it('should keep Latin-1 names intact, line by line, even in a file that mixes encodings', async () => {
      const allianceId = await newAlliance();
      const latin1 = Buffer.from(`${HEADER}\n${ncvoterLine({ ...ALICE, first_name: 'JOSÉ', last_name: 'PEÑA' })}\n`, 'latin1');
      const utf8 = Buffer.from(`${ncvoterLine({ ...BOB, first_name: 'MARÍA', last_name: 'IBÁÑEZ' })}\n`, 'utf8');
      await importFile(allianceId, Buffer.concat([latin1, utf8]));

      expect((await voters(allianceId)).map((voter) => `${String(voter.first_name)} ${String(voter.last_name)}`)).toEqual(['JOSÉ PEÑA', 'MARÍA IBÁÑEZ']);
    });

    it('should read a gzip-compressed file', async () => {
      const allianceId = await newAlliance();
      const gzipped = gzipSync(Buffer.from([HEADER, ncvoterLine(ALICE), ncvoterLine(BOB)].join('\n')));
      const result = await importFile(allianceId, gzipped, { filePath: writeFile(gzipped, 'txt.gz') });

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, inserted: 2 });
    });

    it('should store cells that look like spreadsheet formulas as plain text', async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine({ ...ALICE, first_name: '=HYPERLINK("http://x.test","Click")', last_name: '+1-2' })].join('\n'));

      expect((await voters(allianceId))[0]).toMatchObject({ first_name: '=HYPERLINK("http://x.test","Click")', last_name: '+1-2' });
    });
  });

  describe('bad input', () => {
    it('should refuse a file missing required columns, naming them and the expected ones, and write nothing', async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE)].join('\n'));
      const before = await snapshot(allianceId);
      const header = NCVOTER_COLUMNS.filter((column) => column !== 'ncid' && column !== 'last_name');

      const result = await importFile(allianceId, `${header.join('\t')}\n${header.map(() => 'X').join('\t')}\n`, { format: 'ncvoter' });

      expect(result.status).toBe(VoterImportStatus.Rejected);
      expect(result.errorMessage).toBe(
        'The ncvoter file is missing the column(s) ncid, last_name; a ncvoter file needs at least ncid, last_name, first_name, county_desc',
      );
      expect(await snapshot(allianceId)).toBe(before);
    });

    it('should record each malformed line with its line, column and reason and import the rest', async () => {
      const allianceId = await newAlliance();
      const good = Array.from({ length: 300 }, (_, index) => ncvoterLine({ ...BOB, ncid: `OK${index}` }));
      const content = [HEADER, ...good, ncvoterLine({ ...ALICE, registr_dt: '13/45/2010' }), ncvoterLine({ ...BOB, birth_year: '19x1' }), 'AA9\ttoo\tfew'].join(
        '\n',
      );

      const result = await importFile(allianceId, content, { maxErrorRate: 0.02 });

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, rowsRead: 303, inserted: 300, rejected: 3 });
      expect(await problems(result.id)).toEqual([
        { line_number: 302, column_name: 'registr_dt', reason: '"13/45/2010" is not a calendar date', kind: 'rejected' },
        { line_number: 303, column_name: 'birth_year', reason: '"19x1" is not a four-digit year', kind: 'rejected' },
        { line_number: 304, column_name: null, reason: `expected ${NCVOTER_COLUMNS.length} fields (as in the header), found 3`, kind: 'rejected' },
      ]);
    });

    it('should reject the whole file when more lines are malformed than the limit allows, leaving voters as they were', async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE)].join('\n'));
      const before = await snapshot(allianceId);
      const content = [
        HEADER,
        ncvoterLine({ ...ALICE, zip_code: '27999' }),
        ...Array.from({ length: 99 }, () => ncvoterLine(CAROL)),
        ncvoterLine({ ...BOB, registr_dt: 'soon' }),
        ncvoterLine({ ...BOB, registr_dt: 'later' }),
      ].join('\n');

      const result = await importFile(allianceId, content);

      expect(result.status).toBe(VoterImportStatus.Rejected);
      expect(result.errorMessage).toBe(
        '2 of 102 lines (1.96%) could not be read, more than the limit of 1%; nothing was imported. The errors list each line, column and reason.',
      );
      expect(result).toMatchObject({ rowsRead: 102, rejected: 2, inserted: 0 });
      expect((await problems(result.id)).filter((problem) => problem.kind === 'rejected')).toEqual([
        { line_number: 102, column_name: 'registr_dt', reason: '"soon" is not a date (expected MM/DD/YYYY or YYYY-MM-DD)', kind: 'rejected' },
        { line_number: 103, column_name: 'registr_dt', reason: '"later" is not a date (expected MM/DD/YYYY or YYYY-MM-DD)', kind: 'rejected' },
      ]);
      expect(await snapshot(allianceId)).toBe(before);
    });

    it.each([
      ['an empty file', '', 'The file is empty: it has no header line and no voters'],
      ['a header without voters', `${HEADER}\n`, 'The file has a header but no voter lines'],
      ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x09, 0x0a]), 'The file is binary (it contains NUL bytes), not a text voter file'],
      [
        'an unknown layout',
        'id,name\n1,x\n',
        'The header does not match a known layout (ncvoter, ncvhis, ohio, california); give the format, or use the generic format with a mapping',
      ],
      [
        'a corrupt gzip file',
        Buffer.concat([gzipSync(Buffer.from(`${HEADER}\n${'x'.repeat(10_000)}`)).subarray(0, 40)]),
        'The file is gzip-compressed but its compressed data is corrupt or cut short (unexpected end of file)',
      ],
    ])('should reject %s with a clear error and change nothing', async (_case, content, message) => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE)].join('\n'));
      const before = await snapshot(allianceId);

      const result = await importFile(allianceId, content);

      expect(result).toMatchObject({ status: VoterImportStatus.Rejected, errorMessage: message });
      expect(await snapshot(allianceId)).toBe(before);
    });

    it('should reject a line over 1 MB without buffering the rest of the file', async () => {
      const allianceId = await newAlliance();
      const result = await importFile(allianceId, `${HEADER}\n${ncvoterLine(ALICE)}\n${'x'.repeat(1024 * 1024 + 10)}\n${ncvoterLine(BOB)}\n`);

      expect(result).toMatchObject({ status: VoterImportStatus.Rejected, errorMessage: 'Line 3 is longer than 1048576 bytes; this is not a voter file line' });
      expect(await snapshot(allianceId)).toBe('0:');
    });

    it('should refuse a full refresh with unreadable lines, since their voters would be marked inactive', async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB), ncvoterLine(CAROL)].join('\n'));
      const before = await snapshot(allianceId);

      const result = await importFile(
        allianceId,
        [HEADER, ncvoterLine(ALICE), ncvoterLine({ ...BOB, registr_dt: '02/30/2020' }), ncvoterLine(CAROL)].join('\n'),
        {
          fullRefresh: true,
          maxErrorRate: 0.5,
        },
      );

      expect(result).toMatchObject({ status: VoterImportStatus.Rejected, rejected: 1 });
      expect(result.errorMessage).toContain('A full refresh needs every line: 1 of 3 lines could not be read');
      expect(await snapshot(allianceId)).toBe(before);
    });

    it('should reject a line whose voter id is longer than the database keeps, and import the rest', async () => {
      const allianceId = await newAlliance();
      const lines = Array.from({ length: 150 }, (_, index) => ncvoterLine({ ...BOB, ncid: `ID${index}` }));
      const result = await importFile(allianceId, [HEADER, ...lines, ncvoterLine({ ...ALICE, ncid: 'X'.repeat(65) })].join('\n'));

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, inserted: 150, rejected: 1 });
      expect((await problems(result.id)).filter((problem) => problem.kind === 'rejected')).toEqual([
        { line_number: 152, column_name: 'ncid', reason: 'the voter id is 65 characters long; at most 64 are allowed', kind: 'rejected' },
      ]);
    });

    it('should refuse a CSV file with a quote that is never closed, naming the line, rather than lose the lines after it', async () => {
      const allianceId = await newAlliance();
      const rows = Array.from({ length: 50 }, (_, index) => `G${index},ANA,KING`);
      rows.splice(20, 0, 'G-BROKEN,"DANA,KING');
      const mapping = { columns: { id: 'sourceVoterId', first: 'firstName', county: 'county' } };

      const result = await importFile(allianceId, `id,first,county\n${rows.join('\n')}\n`, { format: 'generic', mapping });

      expect(result).toMatchObject({
        status: VoterImportStatus.Rejected,
        errorMessage: 'Line 22 opens a quoted field that is never closed, so the lines after it cannot be read',
      });
      expect(await snapshot(allianceId)).toBe('0:');
    });

    it('should refuse a cut-short gzip CSV file instead of waiting for the rest forever', async () => {
      const allianceId = await newAlliance();
      const ohio = Buffer.from(`${[...new OhioSyntheticGenerator({ rows: 20_000, seed: 6 }).lines()].join('\n')}\n`);
      const gzipped = gzipSync(ohio);
      const cut = gzipped.subarray(0, Math.floor(gzipped.length * 0.6));

      const result = await importFile(allianceId, cut, { filePath: writeFile(cut, 'csv.gz') });

      expect(result).toMatchObject({ status: VoterImportStatus.Rejected });
      expect(result.errorMessage).toContain('The file is gzip-compressed but its compressed data is corrupt or cut short');
      expect(await snapshot(allianceId)).toBe('0:');
    });

    it('should close a file it refuses while opening it (an open handle would keep a deleted upload on disk)', async () => {
      const allianceId = await newAlliance();
      const path = writeFile('just-one-column\nvalue\n');
      const result = await importFile(allianceId, '', { filePath: path });

      expect(result).toMatchObject({ status: VoterImportStatus.Rejected });
      expect(result.errorMessage).toContain('The header line has a single column');
      const open = readdirSync('/proc/self/fd').map((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return '';
        }
      });
      expect(open).not.toContain(path);
    });

    it('should refuse bad options before any work', async () => {
      const allianceId = await newAlliance();
      const base = { allianceId, filePath: '/nonexistent', fileName: 'x', fileBytes: 0, fullRefresh: false, correlationId: null };
      await expect(imports.create({ ...base, maxErrorRate: 2 })).rejects.toThrow('The maximum error rate must be between 0 and 1 (0.01 is 1%), got 2');
      await expect(imports.create({ ...base, maxErrorRate: 0.01, format: 'generic' })).rejects.toThrow(
        "The generic format needs a mapping of the file's columns to voter fields",
      );
      await expect(imports.create({ ...base, maxErrorRate: 0.01, format: 'ncvoter', mapping: { columns: {} } })).rejects.toThrow(
        'A mapping is only used with the generic format, not with ncvoter',
      );
    });
  });

  describe('other layouts', () => {
    it('should import Ohio voters with their vote history and derive propensity from it', async () => {
      const allianceId = await newAlliance();
      const lines = [...new OhioSyntheticGenerator({ rows: 400, seed: 5 }).lines()];

      const result = await importFile(allianceId, `${lines.join('\n')}\n`);

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, format: 'ohio', inserted: 400, rejected: 0 });
      expect(result.historyRows).toBeGreaterThan(400);
      const [{ with_history: withHistory, frequent }] = (await dataSource.query(
        `SELECT count(DISTINCT h.voter_id)::int AS with_history, (SELECT count(*)::int FROM voter WHERE alliance_id = $1 AND propensity = 'frequent') AS frequent
         FROM vote_history h WHERE h.alliance_id = $1`,
        [allianceId],
      )) as Array<{ with_history: number; frequent: number }>;
      expect(withHistory).toBeGreaterThan(100);
      expect(frequent).toBeGreaterThan(0);
      const before = await snapshot(allianceId);
      const again = await importFile(allianceId, `${lines.join('\n')}\n`);
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 400 });
      expect(await snapshot(allianceId)).toBe(before);
    });

    it('should join NC vote history to voters by ncid, count unmatched rows and re-derive propensity', async () => {
      const allianceId = await newAlliance();
      await importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB)].join('\n'));
      const history = [
        'county_id\tcounty_desc\tvoter_reg_num\telection_lbl\telection_desc\tvoting_method\tvoted_party_cd\tvoted_party_desc\tpct_label\tpct_description\tncid\tvoted_county_id\tvoted_county_desc\tvtd_label\tvtd_description',
        ...['11/03/2026', '11/05/2024', '11/08/2022'].map(
          (date) => `92\tWAKE\t1\t${date}\t${date} GENERAL\tIN-PERSON\tDEM\tDEMOCRATIC\t01\tP1\tAA1\t92\tWAKE\t01\tV1`,
        ),
        '92\tWAKE\t1\t03/05/2024\t03/05/2024 PRIMARY\tABSENTEE BY MAIL\tDEM\tDEMOCRATIC\t01\tP1\tAA1\t92\tWAKE\t01\tV1',
        '92\tWAKE\t1\t11/05/2024\t11/05/2024 GENERAL\tIN-PERSON\tUNA\tUNAFFILIATED\t01\tP1\tZZ9\t92\tWAKE\t01\tV1',
      ].join('\n');

      const result = await importFile(allianceId, history);

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, format: 'ncvhis', inserted: 4, unmatched: 1, historyRows: 4 });
      expect((await voters(allianceId)).map((voter) => voter.propensity)).toEqual(['frequent', 'new']);
      const again = await importFile(allianceId, history);
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    });

    it('should read a Latin-1 CSV file whose first lines are plain ASCII', async () => {
      const allianceId = await newAlliance();
      const rows = Array.from({ length: 20_000 }, (_, index) => `O${index},JOHN,SMITH,FRANKLIN`);
      const content = Buffer.concat([Buffer.from(`id,first,last,county\n${rows.join('\n')}\n`), Buffer.from('O-LAST,JOSÉ,PEÑA,FRANKLIN\n', 'latin1')]);
      const mapping = { columns: { id: 'sourceVoterId', first: 'firstName', last: 'lastName', county: 'county' } };

      const result = await importFile(allianceId, content, { format: 'generic', mapping });

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, inserted: 20_001 });
      const [last] = (await dataSource.query(`SELECT first_name, last_name FROM voter WHERE alliance_id = $1 AND source_voter_id = 'O-LAST'`, [
        allianceId,
      ])) as Array<{
        first_name: string;
        last_name: string;
      }>;
      expect(last).toEqual({ first_name: 'JOSÉ', last_name: 'PEÑA' });
    });

    it('should import a California file, reassembling split phones', async () => {
      const allianceId = await newAlliance();
      const header = [
        'CountyCode',
        'RegistrantID',
        'LastName',
        'FirstName',
        'Phone1Area',
        'Phone1Exchange',
        'Phone1NumberPart',
        'Phone2Area',
        'Phone2Exchange',
        'Phone2NumberPart',
        'PartyCode',
        'Zip',
      ];
      const content = [header.join('\t'), ['1', 'CA1', 'LÓPEZ', 'ANA', '510', '555', '0123', '415', '555', '0199', 'NPP', '94601'].join('\t')].join('\n');

      const result = await importFile(allianceId, content);

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, format: 'california', inserted: 1 });
      expect((await voters(allianceId))[0]).toMatchObject({
        county: 'ALAMEDA',
        party: 'unaffiliated',
        phones: [
          { e164: '+15105550123', lineType: 'unknown' },
          { e164: '+14155550199', lineType: 'unknown' },
        ],
      });
    });

    it('should import any delimited file through a mapping', async () => {
      const allianceId = await newAlliance();
      const content = 'Voter ID|Given|Family|County Name|Cell\nG-1|DANA|LEE|KING|206-555-0142\n';
      const mapping = { columns: { 'Voter ID': 'sourceVoterId', Given: 'firstName', Family: 'lastName', 'County Name': 'county', Cell: 'phone' } };

      const result = await importFile(allianceId, content, { format: 'generic', mapping });

      expect(result).toMatchObject({ status: VoterImportStatus.Succeeded, format: 'generic', inserted: 1 });
      expect((await voters(allianceId))[0]).toMatchObject({
        source_voter_id: 'G-1',
        first_name: 'DANA',
        county: 'KING',
        phones: [{ e164: '+12065550142', lineType: 'unknown' }],
      });
    });
  });

  describe('as a job', () => {
    it('should stamp the end of an import when its transaction ends, not when it began', async () => {
      const allianceId = await newAlliance();
      const content = `${[...new NcvoterSyntheticGenerator({ rows: 5_000, seed: 2 }).lines()].join('\n')}\n`;
      const started = Date.now();
      const result = await importFile(allianceId, content);
      const wall = Date.now() - started;

      // Reading and merging happen inside the transaction, so they are most of the recorded span.
      expect(result.finishedAt!.getTime() - result.startedAt!.getTime()).toBeGreaterThan(wall / 2);
    });

    it('should do nothing when the same import is run twice (a redelivered job)', async () => {
      const allianceId = await newAlliance();
      const first = await importFile(allianceId, [HEADER, ncvoterLine(ALICE)].join('\n'));
      const before = await snapshot(allianceId);

      const second = await imports.run(first.id, { asOf: AS_OF });

      expect(second).toMatchObject({ id: first.id, status: VoterImportStatus.Succeeded, inserted: 1 });
      expect(await snapshot(allianceId)).toBe(before);
    });

    it('should leave an import that another process is running alone (a job delivered twice at once)', async () => {
      const allianceId = await newAlliance();
      const record = await imports.create({
        allianceId,
        filePath: writeFile([HEADER, ncvoterLine(ALICE)].join('\n')),
        fileName: 'running.txt',
        fileBytes: 1,
        fullRefresh: false,
        maxErrorRate: 0.01,
        correlationId: null,
      });
      // The other process: it holds the import's session lock and has claimed it.
      const other = await app.get(VoterStagingRepository).open(record.id);
      try {
        await app.get(VoterImportRepository).claim(record.id);

        const seen = await imports.run(record.id, { asOf: AS_OF });

        expect(seen).toMatchObject({ status: VoterImportStatus.Running, inserted: 0 });
        expect(await snapshot(allianceId)).toBe('0:');
      } finally {
        await other.close();
      }
      // Once its process is gone (its lock free), the import is reported as interrupted.
      expect(await imports.findById(record.id)).toMatchObject({ status: VoterImportStatus.Failed });
    });

    it('should keep two imports into one alliance from interleaving', async () => {
      const allianceId = await newAlliance();
      const [one, two] = await Promise.all([
        importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(BOB)].join('\n')),
        importFile(allianceId, [HEADER, ncvoterLine(ALICE), ncvoterLine(CAROL)].join('\n')),
      ]);

      expect([one.status, two.status]).toEqual([VoterImportStatus.Succeeded, VoterImportStatus.Succeeded]);
      expect(one.inserted + two.inserted).toBe(3);
      expect((await voters(allianceId)).map((voter) => voter.source_voter_id)).toEqual(['AA1', 'BB2', 'CC3']);
    });
  });
});
