import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { QueueProbeService } from '@app/queue';
import { printResult, withApplication, withServices } from '../cli-context';
import { UsageError } from './database.command';

export function registerQueueCommands(program: Command): void {
  program
    .command('queue')
    .description('queues and workers')
    .command('probe')
    .description('send one probe job through every queue and wait until the workers have consumed them')
    .option('--timeout-ms <ms>', 'how long to wait for the workers', '15000')
    .action((options: { timeoutMs: string }) =>
      withServices((session) =>
        withApplication(session, async (app) => {
          const timeoutMs = Number(options.timeoutMs);
          if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout-ms must be a positive number, got "${options.timeoutMs}"`);
          const probes = app.get(QueueProbeService);
          const { batchId } = await probes.start();
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const batch = await probes.findBatch(batchId);
            const pending = batch.filter((probe) => probe.status !== 'processed').map((probe) => probe.queueName);
            if (pending.length === 0 || Date.now() > deadline) {
              printResult({
                batchId,
                complete: pending.length === 0,
                unconsumedQueues: pending,
                latencyMs: Object.fromEntries(
                  batch.map((probe) => [probe.queueName, probe.processedAt ? probe.processedAt.getTime() - probe.createdAt.getTime() : null]),
                ),
              });
              if (pending.length > 0) process.exitCode = 1;
              return;
            }
            await sleep(100);
          }
        }),
      ),
    );
}
