import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { VoterFileFormat } from '../formats/voter-file-format';
import type { LineBlock } from '../reading/tab-separated-line.reader';
import type { MappedBatch } from './line-batch.mapper';

export interface LineMappingSetup {
  readonly format: VoterFileFormat;
  readonly header: readonly string[];
  readonly mapping: unknown;
  /** ISO timestamp the import judges birth years and propensity at. */
  readonly asOf: string;
}

export interface LineMappingRequest {
  readonly sequence: number;
  readonly bytes: ArrayBuffer;
  readonly firstLineNumber: number;
}

type LineMappingReply = { readonly sequence: number; readonly batch: MappedBatch } | { readonly sequence: number; readonly error: string };

interface Pending {
  resolve(batch: MappedBatch): void;
  reject(error: Error): void;
}

// Compiled next to this file; absent when the code runs from TypeScript sources (jest), where
// the import maps lines on its own thread instead.
const WORKER_SCRIPT = join(__dirname, 'line-mapping.worker.js');
// Mapping makes short-lived strings by the million: a young generation this size lets nearly all
// of them die there, cheaply, instead of being promoted (measured: a third less CPU per line).
const THREAD_YOUNG_GENERATION_MB = 96;

/**
 * Threads that map blocks of a tab-separated file while the main thread reads the file and
 * feeds COPY: on a statewide file, mapping is most of the import's CPU.
 */
export class LineMappingPool {
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private failure: Error | null = null;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (reply: LineMappingReply) => this.settle(reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a line-mapping thread exited with code ${code}`));
      });
    }
  }

  /** A pool of `threads` workers, or null when threads are off or unavailable (the caller maps inline). */
  static create(setup: LineMappingSetup, threads: number): LineMappingPool | null {
    if (threads <= 0 || !existsSync(WORKER_SCRIPT)) return null;
    return new LineMappingPool(
      Array.from(
        { length: threads },
        () => new Worker(WORKER_SCRIPT, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_GENERATION_MB } }),
      ),
    );
  }

  map(block: LineBlock): Promise<MappedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const sequence = (this.sequence += 1);
    // A copy the thread can own: the block is a view into a buffer the reader reuses.
    const bytes = new Uint8Array(block.bytes).buffer;
    return new Promise<MappedBatch>((resolve, reject) => {
      this.pending.set(sequence, { resolve, reject });
      this.workers[sequence % this.workers.length].postMessage({ sequence, bytes, firstLineNumber: block.firstLineNumber } satisfies LineMappingRequest, [
        bytes,
      ]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private settle(reply: LineMappingReply): void {
    const pending = this.pending.get(reply.sequence);
    if (!pending) return;
    this.pending.delete(reply.sequence);
    if ('error' in reply) pending.reject(new Error(reply.error));
    else pending.resolve(reply.batch);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
