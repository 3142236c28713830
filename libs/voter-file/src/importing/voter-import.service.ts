import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { AppConfig } from '@app/config';
import type { RowAccessScope } from '@app/database';
import { JobName, JobProducer } from '@app/queue';
import type { VoterImportErrorEntity } from '../entities/voter-import-error.entity';
import { VoterImportEntity, VoterImportPhase, VoterImportStatus } from '../entities/voter-import.entity';
import type { LineProblem } from '../formats/normalized-voter';
import type { RecordedProblem } from './voter-import.repository';
import { createVoterFileMapper, delimiterOf, validateMapping } from '../formats/voter-file-mapper.factory';
import { detectVoterFileFormat, VOTER_FILE_FORMATS, type VoterFileFormat } from '../formats/voter-file-format';
import type { VoterFileMapper } from '../formats/voter-file.mapper';
import { openVoterFile, type OpenedVoterFile } from '../reading/voter-file.opener';
import { DEFAULT_MAX_LINE_BYTES, parseLineBlock, type TabSeparatedLine } from '../reading/tab-separated-line.reader';
import { LineBatchMapper, type MappedBatch } from './line-batch.mapper';
import { LineMappingPool } from './line-mapping.pool';
import { NewVoterPropensity } from '../normalization/propensity.rule';
import { VoterImportRepository } from './voter-import.repository';
import { type VoterStagingSession, VoterStagingRepository } from './voter-staging.repository';

export interface VoterImportRequest {
  readonly allianceId: string;
  readonly filePath: string;
  /** The name the data lead knows the file by. */
  readonly fileName: string;
  readonly fileBytes: number;
  readonly format?: VoterFileFormat;
  readonly mapping?: unknown;
  readonly fullRefresh: boolean;
  readonly maxErrorRate: number;
  readonly correlationId: string | null;
}

export const DEFAULT_MAX_ERROR_RATE = 0.01;

/** What the CLI's progress bar and the job's progress show while an import runs. */
export interface VoterImportProgressReport {
  readonly phase: VoterImportPhase;
  readonly rows: number;
  readonly bytesRead: number;
  readonly fileBytes: number;
  readonly rejected: number;
}

export interface VoterImportRunOptions {
  readonly onProgress?: (progress: VoterImportProgressReport) => void;
  /** The date birth years and propensity are judged at; now unless a test pins it. */
  readonly asOf?: Date;
}

// Enough for a data lead to see every kind of problem; beyond it the count still grows.
const MAX_STORED_PROBLEMS = 100_000;
const PROBLEM_FLUSH_SIZE = 2_000;
const PROGRESS_INTERVAL_MS = 500;
// Enough to keep every mapping thread busy while the main thread writes, few enough to bound memory.
const BLOCKS_IN_FLIGHT_PER_THREAD = 3;
// Fewer inserted rows than this leave the planner's statistics close enough.
const ANALYZE_AFTER_INSERTED = 10_000;

/**
 * Imports one voter file: stream → map and normalize → COPY into staging → one set-based merge
 * in one transaction. Nothing reaches `voter` unless the whole file is accepted; a killed
 * import rolls back with its connection and is marked failed by the next one.
 */
@Injectable()
export class VoterImportService {
  private readonly logger = new Logger(VoterImportService.name);

  constructor(
    private readonly imports: VoterImportRepository,
    private readonly staging: VoterStagingRepository,
    private readonly config: AppConfig,
    private readonly producer: JobProducer,
  ) {}

  /** Records a file to import (status queued); bad options are refused here, before any work. */
  async create(request: VoterImportRequest): Promise<VoterImportEntity> {
    if (!(request.maxErrorRate >= 0 && request.maxErrorRate <= 1)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `The maximum error rate must be between 0 and 1 (0.01 is 1%), got ${request.maxErrorRate}`);
    }
    if (request.format !== undefined && !(VOTER_FILE_FORMATS as readonly string[]).includes(request.format)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `Unknown format "${request.format}"; the formats are ${VOTER_FILE_FORMATS.join(', ')}`);
    }
    const format = request.format ?? (request.mapping !== undefined ? 'generic' : null);
    if (format === 'generic' && request.mapping === undefined) {
      throw new DomainException(DomainErrorCode.ValidationFailed, "The generic format needs a mapping of the file's columns to voter fields");
    }
    if (format !== 'generic' && format !== null && request.mapping !== undefined) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `A mapping is only used with the generic format, not with ${format}`);
    }
    if (request.mapping !== undefined) validateMapping(request.mapping);
    return this.imports.create({
      allianceId: request.allianceId,
      fileName: request.fileName,
      filePath: request.filePath,
      fileBytes: request.fileBytes,
      format,
      mapping: request.mapping ?? null,
      fullRefresh: request.fullRefresh,
      maxErrorRate: request.maxErrorRate,
      correlationId: request.correlationId,
    });
  }

  /** Hands a created import to the import worker; the job id is the import's, so enqueuing twice runs it once. */
  async enqueue(importId: string): Promise<void> {
    try {
      await this.producer.enqueue(JobName.VoterImport, { importId }, { jobId: `voter-import-${importId}` });
    } catch (error) {
      // No job will ever run it: say so, rather than leave it queued forever.
      await this.imports.failQueued(importId, 'The import could not be queued (the job queue is unavailable); upload the file again.');
      throw error;
    }
  }

  async findById(importId: string): Promise<VoterImportEntity> {
    await this.failInterruptedImports();
    const record = await this.imports.findById(importId);
    if (!record) throw new NotFoundDomainException('Voter import', importId);
    return record;
  }

  async listForAlliance(allianceId: string, limit: number): Promise<VoterImportEntity[]> {
    await this.failInterruptedImports();
    return this.imports.listForAlliance(allianceId, limit);
  }

  /** One page of an import's problems, in the order they were found. */
  async findProblems(
    importId: string,
    after: string | undefined,
    limit: number,
    scope: RowAccessScope,
  ): Promise<{ problems: VoterImportErrorEntity[]; nextCursor: string | null }> {
    await this.findById(importId);
    const problems = await this.imports.findProblems(importId, after, limit + 1, scope);
    const page = problems.slice(0, limit);
    return { problems: page, nextCursor: problems.length > limit ? page[page.length - 1].id : null };
  }

  countProblems(importId: string, scope: RowAccessScope): Promise<number> {
    return this.imports.countProblems(importId, scope);
  }

  /** Runs a queued import; a second run of the same import (a redelivered job) changes nothing. */
  async run(importId: string, options: VoterImportRunOptions = {}): Promise<VoterImportEntity> {
    await this.failInterruptedImports();
    const record = await this.imports.findById(importId);
    if (!record) throw new NotFoundDomainException('Voter import', importId);
    if (record.status !== VoterImportStatus.Queued) return record;
    const session = await this.staging.open(importId);
    try {
      if (!(await this.imports.claim(importId))) return (await this.imports.findById(importId)) ?? record;
      await this.importFile(record, session, options);
    } finally {
      await session.close();
      if (this.isUpload(record.filePath)) await rm(record.filePath, { force: true });
    }
    const finished = await this.imports.findById(importId);
    if (!finished) throw new NotFoundDomainException('Voter import', importId);
    return finished;
  }

  private async importFile(record: VoterImportEntity, session: VoterStagingSession, options: VoterImportRunOptions): Promise<void> {
    const tally = new ImportTally(record, this.imports, options.onProgress);
    try {
      await this.readAndMerge(record, session, tally, options.asOf ?? new Date());
    } catch (error) {
      await tally.flushProblems().catch(() => undefined);
      if (error instanceof DomainException) {
        await this.imports.finish(record.id, VoterImportStatus.Rejected, error.message, tally.outcome());
        return;
      }
      this.logger.error({ importId: record.id, err: error }, 'voter import failed');
      await this.imports.finish(
        record.id,
        VoterImportStatus.Failed,
        `The import failed: ${error instanceof Error ? error.message : String(error)}`,
        tally.outcome(),
      );
    }
  }

  private async readAndMerge(record: VoterImportEntity, session: VoterStagingSession, tally: ImportTally, asOf: Date): Promise<void> {
    const file = await openVoterFile(record.filePath, {
      delimiter: delimiterOf(record.format, record.mapping),
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      onUnreadableLine: (lineNumber, reason) => {
        tally.rows += 1;
        tally.reject({ lineNumber, column: null, reason });
      },
    });
    tally.watch(file);
    try {
      await this.mapAndImport(record, session, tally, asOf, file);
    } finally {
      await file.close();
    }
  }

  private async mapAndImport(record: VoterImportEntity, session: VoterStagingSession, tally: ImportTally, asOf: Date, file: OpenedVoterFile): Promise<void> {
    const first = await firstLines(file);
    if (first.length === 0) throw new DomainException(DomainErrorCode.ValidationFailed, 'The file is empty: it has no header line and no voters');
    const [headerLine, ...restOfFirst] = first;
    const header = headerLine.fields.map((name) => name.trim());
    const format = record.format ?? detectVoterFileFormat(header);
    if (format === undefined) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `The header does not match a known layout (${VOTER_FILE_FORMATS.filter((name) => name !== 'generic').join(', ')}); give the format, or use the generic format with a mapping`,
        { header: header.slice(0, 20) },
      );
    }
    if (record.format === null) await this.imports.recordFormat(record.id, format);
    tally.format = format;
    const mapper = createVoterFileMapper(format, header, { mapping: record.mapping, asOfYear: asOf.getUTCFullYear() });
    if (record.fullRefresh && !mapper.carriesVoters) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `A full refresh needs a file of voters; a ${format} file carries only vote history`);
    }

    await session.begin(record.allianceId);
    try {
      const inserted = await this.stageAndMerge(record, session, mapper, { header, firstLines: restOfFirst, file, tally, asOf });
      await session.commit();
      if (inserted >= ANALYZE_AFTER_INSERTED) await this.staging.analyzeVoters(record.allianceId);
    } catch (error) {
      await session.rollback().catch(() => undefined);
      throw error;
    }
  }

  /** Inside the import's one transaction: nothing it writes is seen by anyone unless all of it commits. */
  private async stageAndMerge(
    record: VoterImportEntity,
    session: VoterStagingSession,
    mapper: VoterFileMapper,
    input: { header: string[]; firstLines: TabSeparatedLine[]; file: OpenedVoterFile; tally: ImportTally; asOf: Date },
  ): Promise<number> {
    const { tally, asOf } = input;
    await session.createStagingTables(record.allianceId, record.id, mapper.carriesVoters);
    const writers = await StagingWriters.open(session, mapper);
    try {
      await this.stageLines(mapper, { ...input, format: mapper.format, mapping: record.mapping }, writers);
      await writers.finish(session);
    } finally {
      await writers.dispose();
    }
    await tally.flushProblems();

    if (tally.rows === 0) throw new DomainException(DomainErrorCode.ValidationFailed, 'The file has a header but no voter lines');
    if (record.fullRefresh && tally.rejected > 0) {
      // The voters on unreadable lines are in the file; deactivating them as absent would be wrong.
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `A full refresh needs every line: ${tally.rejected} of ${tally.rows} lines could not be read, and their voters would wrongly be marked inactive; nothing was imported. Fix those lines, or import without a full refresh.`,
        { rejected: tally.rejected, rows: tally.rows },
      );
    }
    const errorRate = tally.rejected / tally.rows;
    if (errorRate > record.maxErrorRate) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `${tally.rejected} of ${tally.rows} lines (${percent(errorRate)}) could not be read, more than the limit of ${percent(record.maxErrorRate)}; nothing was imported. The errors list each line, column and reason.`,
        { rejected: tally.rejected, rows: tally.rows },
      );
    }

    await tally.enterPhase(VoterImportPhase.Merging);
    await session.analyzeStaging();
    const scope = { allianceId: record.allianceId, importId: record.id, asOf };
    const voters = mapper.carriesVoters ? await session.mergeVoters(scope, { fullRefresh: record.fullRefresh, keyColumn: mapper.keyColumn }) : null;
    const history = mapper.carriesHistory ? await session.mergeHistory(scope) : null;
    const counts = voters ?? history ?? { inserted: 0, updated: 0, unchanged: 0 };
    const statement = this.imports.succeededStatement(record.id, {
      ...tally.outcome(),
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      deactivated: voters?.deactivated ?? 0,
      historyRows: history ? history.inserted + history.updated + history.unchanged : 0,
      unmatched: history?.unmatched ?? 0,
    });
    await session.execute(statement.sql, statement.parameters);
    return counts.inserted;
  }

  /**
   * Maps every line and feeds the COPY streams in file order. Blocks of a tab-separated file are
   * mapped on worker threads when there are any (several blocks in flight, written back in order).
   */
  private async stageLines(
    mapper: VoterFileMapper,
    input: {
      header: string[];
      firstLines: TabSeparatedLine[];
      file: OpenedVoterFile;
      tally: ImportTally;
      asOf: Date;
      format: VoterFileFormat;
      mapping: unknown;
    },
    writers: StagingWriters,
  ): Promise<void> {
    const { tally, file } = input;
    const batches = new LineBatchMapper(mapper, new NewVoterPropensity(input.asOf));
    const absorb = async (batch: MappedBatch): Promise<void> => {
      tally.absorb(batch);
      await writers.write(batch.voters, batch.history);
      await tally.maybeReport();
    };
    await absorb(batches.map(input.firstLines));
    if (file.content.kind === 'lines') {
      for await (const lines of file.content.lines) await absorb(batches.map(lines));
      return;
    }
    const threads = batches.writesBytes ? 0 : this.config.voterFiles.importThreads;
    const pool = LineMappingPool.create({ format: input.format, header: input.header, mapping: input.mapping, asOf: input.asOf.toISOString() }, threads);
    const inFlight: Array<Promise<MappedBatch>> = [];
    try {
      for await (const block of file.content.blocks) {
        const mapped = pool ? pool.map(block) : Promise.resolve(batches.mapBlock(block));
        // Awaited in order below; this only keeps a later failure from counting as unhandled meanwhile.
        mapped.catch(() => undefined);
        inFlight.push(mapped);
        if (inFlight.length >= Math.max(threads, 1) * BLOCKS_IN_FLIGHT_PER_THREAD) await absorb(await inFlight.shift()!);
      }
      while (inFlight.length > 0) await absorb(await inFlight.shift()!);
    } finally {
      await pool?.close();
    }
  }

  /** Marks imports whose process died as failed, and deletes their uploaded files (nothing will read them again). */
  private async failInterruptedImports(): Promise<void> {
    for (const interrupted of await this.staging.failInterruptedImports()) {
      if (this.isUpload(interrupted.filePath)) await rm(interrupted.filePath, { force: true });
    }
  }

  private isUpload(path: string): boolean {
    return path.startsWith(`${this.config.voterFiles.uploadDirectory}/`);
  }
}

/** The lines of the file's first block or batch: the header and, usually, the first voters. */
async function firstLines(file: OpenedVoterFile): Promise<TabSeparatedLine[]> {
  if (file.content.kind === 'lines') {
    const first = await file.content.lines.next();
    return first.done ? [] : first.value;
  }
  const first = await file.content.blocks.next();
  return first.done ? [] : parseLineBlock(first.value);
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/**
 * Where staged lines go. One connection runs one COPY at a time, so a layout with voters and
 * history on each line (Ohio) spools its history to a temporary file and copies it after.
 */
class StagingWriters {
  private failure: Error | null = null;

  private constructor(
    private readonly voters: Writable | null,
    private readonly history: Writable | null,
    private readonly spool: { directory: string; path: string } | null,
  ) {
    // A stream's 'error' with no listener would end the process; keep it and throw it on the next write.
    for (const stream of [voters, history]) stream?.on('error', (error: Error) => (this.failure ??= error));
  }

  static async open(session: VoterStagingSession, mapper: VoterFileMapper): Promise<StagingWriters> {
    if (!mapper.carriesHistory) return new StagingWriters(session.copyVoters(), null, null);
    if (!mapper.carriesVoters) return new StagingWriters(null, session.copyHistory(), null);
    // The spool first: once a COPY has begun, nothing may fail before it is fed and ended.
    const directory = await mkdtemp(join(tmpdir(), 'crossroads-history-'));
    const path = join(directory, 'history.copy');
    return new StagingWriters(session.copyVoters(), createWriteStream(path), { directory, path });
  }

  async write(voters: string | Uint8Array, history: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (voters.length > 0 && this.voters && !this.voters.write(voters)) await once(this.voters, 'drain');
    if (history.length > 0 && this.history && !this.history.write(history)) await once(this.history, 'drain');
  }

  async finish(session: VoterStagingSession): Promise<void> {
    for (const stream of [this.voters, this.history]) {
      if (!stream) continue;
      stream.end();
      await finished(stream);
    }
    if (this.spool) await pipeline(createReadStream(this.spool.path), session.copyHistory());
  }

  async dispose(): Promise<void> {
    for (const stream of [this.voters, this.history]) if (stream && !stream.writableFinished) stream.destroy();
    if (this.spool) await rm(this.spool.directory, { recursive: true, force: true });
  }
}

/** Counts, stored problems and throttled progress of one import. */
class ImportTally {
  rows = 0;
  rejected = 0;
  droppedPhones = 0;
  format: VoterImportEntity['format'];
  private stored = 0;
  // One list in the order found, so stored problems read in line order whatever their kind.
  private pending: RecordedProblem[] = [];
  private file: OpenedVoterFile | null = null;
  private phase = VoterImportPhase.Reading;
  private lastReport = 0;

  constructor(
    private readonly record: VoterImportEntity,
    private readonly imports: VoterImportRepository,
    private readonly onProgress: VoterImportRunOptions['onProgress'],
  ) {
    this.format = record.format;
  }

  watch(file: OpenedVoterFile): void {
    this.file = file;
  }

  absorb(batch: MappedBatch): void {
    this.rows += batch.rows;
    for (const problem of batch.problems) {
      if (problem.kind === 'rejected') this.reject(problem);
      else this.drop(problem);
    }
  }

  reject(problem: LineProblem): void {
    this.rejected += 1;
    if (this.stored++ < MAX_STORED_PROBLEMS) this.pending.push({ ...problem, kind: 'rejected' });
  }

  drop(problem: LineProblem): void {
    this.droppedPhones += 1;
    if (this.stored++ < MAX_STORED_PROBLEMS) this.pending.push({ ...problem, kind: 'dropped' });
  }

  async flushProblems(): Promise<void> {
    const problems = this.pending;
    this.pending = [];
    await this.imports.recordProblems(this.record.id, problems);
  }

  async maybeReport(): Promise<void> {
    if (this.pending.length >= PROBLEM_FLUSH_SIZE) await this.flushProblems();
    const now = Date.now();
    if (now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    await this.report();
  }

  async enterPhase(phase: VoterImportPhase): Promise<void> {
    this.phase = phase;
    await this.report();
  }

  outcome(): { format: VoterImportEntity['format']; rowsRead: number; rejected: number; droppedPhones: number; bytesRead: number } {
    return { format: this.format, rowsRead: this.rows, rejected: this.rejected, droppedPhones: this.droppedPhones, bytesRead: this.bytesRead() };
  }

  private bytesRead(): number {
    return this.file?.bytesRead() ?? 0;
  }

  private async report(): Promise<void> {
    const bytesRead = this.bytesRead();
    await this.imports.recordProgress(this.record.id, {
      phase: this.phase,
      rowsRead: this.rows,
      bytesRead,
      rejected: this.rejected,
      droppedPhones: this.droppedPhones,
    });
    this.onProgress?.({ phase: this.phase, rows: this.rows, bytesRead, fileBytes: this.record.fileBytes, rejected: this.rejected });
  }
}
