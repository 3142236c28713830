import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { DomainException } from '@app/common';
import { AllianceLookupService } from '@app/identity';
import { SegmentApplicationService } from '@app/segments';
import {
  DEFAULT_MAX_ERROR_RATE,
  VOTER_FILE_FORMATS,
  type VoterFileFormat,
  VoterImportService,
  VoterImportStatus,
  type VoterImportProgressReport,
} from '@app/voter-file';
import { printResult, withApplication, withServices } from '../cli-context';
import { UsageError } from './database.command';

interface ImportOptions {
  format?: string;
  mapping?: string;
  alliance?: string;
  full?: boolean;
  maxErrorRate: string;
}

/** `voters import FILE`: runs the import in this process (no worker needed) with a progress bar on a terminal. */
export function registerVoterImportCommand(voters: Command): void {
  voters
    .command('import')
    .description('import a voter file (ncvoter, ncvhis, ohio, california or generic with a mapping; plain or gzip) into an alliance')
    .argument('<file>', 'the voter file')
    .option('--format <format>', `layout: ${VOTER_FILE_FORMATS.join(', ')} (read off the header when not given)`)
    .option('--mapping <file>', 'JSON mapping of source columns to voter fields, for the generic format')
    .option('--alliance <slug>', 'the alliance to import into (default: the only one)')
    .option('--full', 'this file is the whole voter file: voters absent from it are marked inactive (never deleted)')
    .option('--max-error-rate <rate>', 'refuse the whole file when more than this share of lines is malformed (0.01 or 1%)', String(DEFAULT_MAX_ERROR_RATE))
    .action((file: string, options: ImportOptions) => importVoterFile(file, options));
}

async function importVoterFile(file: string, options: ImportOptions): Promise<void> {
  const path = resolve(file);
  const fileStat = await stat(path).catch(() => null);
  if (!fileStat?.isFile()) throw new UsageError(`${file}: no such file`);
  if (options.format !== undefined && !(VOTER_FILE_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format ${options.format}: the formats are ${VOTER_FILE_FORMATS.join(', ')}`);
  }
  const maxErrorRate = parseRate(options.maxErrorRate);
  const mapping = options.mapping === undefined ? undefined : await readMapping(options.mapping);
  const started = process.hrtime.bigint();
  await withServices((session) =>
    withApplication(session, async (app) => {
      const imports = app.get(VoterImportService);
      const result = await rejectAsUsage(async () => {
        const alliance = await app.get(AllianceLookupService).resolve(options.alliance);
        const record = await imports.create({
          allianceId: alliance.id,
          filePath: path,
          fileName: basename(path),
          fileBytes: fileStat.size,
          format: options.format as VoterFileFormat | undefined,
          mapping,
          fullRefresh: Boolean(options.full),
          maxErrorRate,
          correlationId: randomUUID(),
        });
        const bar = process.stderr.isTTY ? new ImportProgressBar(fileStat.size) : null;
        try {
          return await imports.run(record.id, { onProgress: (progress) => bar?.update(progress) });
        } finally {
          bar?.stop();
        }
      });
      // New and changed voters get the active model's segment, as the worker's imports do.
      const classified =
        result.status === VoterImportStatus.Succeeded ? await app.get(SegmentApplicationService).classifyImport(result.allianceId, result.id) : null;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (result.errorMessage) process.stderr.write(`${result.errorMessage}\n`);
      printResult({
        importId: result.id,
        status: result.status,
        format: result.format,
        rows: result.rowsRead,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        rejected: result.rejected,
        deactivated: result.deactivated,
        droppedPhones: result.droppedPhones,
        historyRows: result.historyRows,
        unmatched: result.unmatched,
        segmentsAssigned: classified?.voters ?? 0,
        seconds: Number(seconds.toFixed(2)),
      });
      process.exitCode = result.status === VoterImportStatus.Succeeded ? 0 : result.status === VoterImportStatus.Rejected ? 2 : 1;
    }),
  );
}

function parseRate(raw: string): number {
  const text = raw.trim();
  const rate = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (text === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new UsageError(`--max-error-rate must be a share between 0 and 1 (such as 0.01) or a percentage (such as 1%), got "${raw}"`);
  }
  return rate;
}

async function readMapping(file: string): Promise<unknown> {
  const text = await readFile(resolve(file), 'utf8').catch(() => {
    throw new UsageError(`--mapping ${file}: no such file`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--mapping ${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Refusals of the command's input (unknown alliance, bad mapping) exit 2 like other usage errors. */
async function rejectAsUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainException) throw new UsageError(error.message);
    throw error;
  }
}

class ImportProgressBar {
  private readonly bar = new SingleBar({
    stream: process.stderr,
    format: ' {phase} |{bar}| {percentage}% · {rows} rows · {rate} rows/s · {rejected} rejected',
    hideCursor: true,
    etaBuffer: 20,
  });
  private readonly started = Date.now();

  constructor(total: number) {
    this.bar.start(Math.max(total, 1), 0, { phase: 'reading', rows: 0, rate: 0, rejected: 0 });
  }

  update(progress: VoterImportProgressReport): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    this.bar.update(progress.bytesRead, {
      phase: progress.phase.padEnd(7),
      rows: progress.rows.toLocaleString('en-US'),
      rate: Math.round(progress.rows / seconds).toLocaleString('en-US'),
      rejected: progress.rejected,
    });
  }

  stop(): void {
    this.bar.stop();
  }
}
