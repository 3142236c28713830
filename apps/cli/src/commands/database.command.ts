import type { Command } from 'commander';
import { DomainException } from '@app/common';
import { MigrationRunner } from '@app/database';
import { printResult, withServices } from '../cli-context';

export function registerDatabaseCommands(program: Command): void {
  const database = program.command('db').description('database schema (migrations only; never synchronized)');

  database
    .command('migrate')
    .description('apply pending migrations under a PostgreSQL advisory lock')
    .action(() =>
      withMigrationRunner(async (runner) => {
        const report = await runner.migrate();
        printResult({ applied: report.applied, appliedCount: report.applied.length });
      }),
    );

  database
    .command('revert')
    .description('revert the most recent migrations')
    .option('--steps <n>', 'how many migrations to revert', '1')
    .action((options: { steps: string }) => {
      const steps = Number(options.steps);
      if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a whole number of at least 1, got "${options.steps}"`);
      return withMigrationRunner(async (runner) => printResult({ reverted: await runner.revert(steps) }));
    });

  database
    .command('status')
    .description('list applied and pending migrations')
    .action(() => withMigrationRunner(async (runner) => printResult(await runner.status())));
}

function withMigrationRunner(work: (runner: MigrationRunner) => Promise<void>): Promise<void> {
  return withServices(async ({ services }) => {
    const runner = await MigrationRunner.connect(services.endpoints.databaseUrl);
    try {
      await work(runner);
    } finally {
      await runner.close();
    }
  });
}

/** A mistake in how the command was called: exit code 2 with the message, like the shell's own tools. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Refusals of the command's input (a bad poll, an unknown alliance) exit 2 like other usage errors. */
export async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainException) throw new UsageError(error.message);
    throw error;
  }
}
