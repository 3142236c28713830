import { Readable } from 'node:stream';
import { DEFAULT_MAX_LINE_BYTES, readTabSeparatedLines, type TabSeparatedLine } from './tab-separated-line.reader';
import { UnreadableVoterFileError } from './voter-file.error';

async function readAll(chunks: Buffer[], maxLineBytes = DEFAULT_MAX_LINE_BYTES): Promise<TabSeparatedLine[]> {
  const lines: TabSeparatedLine[] = [];
  for await (const batch of readTabSeparatedLines(Readable.from(chunks), { maxLineBytes })) lines.push(...batch);
  return lines;
}

describe('readTabSeparatedLines', () => {
  it('should split lines and fields across chunk boundaries, with CRLF or LF and no final newline', async () => {
    const text = 'ncid\tlast_name\r\nAA1\tLOPEZ\nAA2\tSMITH';
    const chunks = [Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7, 19)), Buffer.from(text.slice(19))];
    expect(await readAll(chunks)).toEqual([
      { lineNumber: 1, fields: ['ncid', 'last_name'] },
      { lineNumber: 2, fields: ['AA1', 'LOPEZ'] },
      { lineNumber: 3, fields: ['AA2', 'SMITH'] },
    ]);
  });

  it('should unwrap quoted fields, doubled quotes included', async () => {
    expect(await readAll([Buffer.from('"AA1"\t"O""BRIEN"\t""\tplain\n')])).toEqual([{ lineNumber: 1, fields: ['AA1', 'O"BRIEN', '', 'plain'] }]);
  });

  it('should read UTF-8 and Latin-1 lines alike, even mixed in one file', async () => {
    const utf8 = Buffer.from('AA1\tNÚÑEZ\n', 'utf8');
    const latin1 = Buffer.from('AA2\tMUÑOZ\n', 'latin1');
    expect((await readAll([utf8, latin1])).map((line) => line.fields[1])).toEqual(['NÚÑEZ', 'MUÑOZ']);
  });

  it('should refuse a binary file, naming the reason', async () => {
    const attempt = readAll([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])]);
    await expect(attempt).rejects.toThrow(UnreadableVoterFileError);
    await expect(attempt).rejects.toThrow('The file is binary');
  });

  it('should stop at a line longer than the limit without buffering the rest', async () => {
    const attempt = readAll([Buffer.from('ok\n'), Buffer.alloc(200, 0x41), Buffer.alloc(200, 0x41)], 256);
    await expect(attempt).rejects.toThrow('Line 2 is longer than 256 bytes');
  });

  it('should yield nothing for an empty file', async () => {
    expect(await readAll([])).toEqual([]);
  });
});
