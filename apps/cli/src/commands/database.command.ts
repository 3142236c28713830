import type { Command } from 'commander';
import { MigrationRunner } from '@app/database';
import { printResult, withServices } from '../cli-context';

export function registerDatabaseCommands(program: Command): void {
  const database = program.command('db').description('database schema (migrations only; never synchronized)');

  database
    .command('migrate')
    .description('apply pending migrations under a PostgreSQL advisory lock')
    .action(() =>
      withServices(async ({ services }) => {
        const runner = await MigrationRunner.connect(services.endpoints.databaseUrl);
        try {
          const report = await runner.migrate();
          printResult({ applied: report.applied, appliedCount: report.applied.length });
        } finally {
          await runner.close();
        }
      }),
    );

  database
    .command('revert')
    .description('revert the most recent migrations')
    .option('--steps <n>', 'how many migrations to revert', '1')
    .action((options: { steps: string }) =>
      withServices(async ({ services }) => {
        const steps = Number(options.steps);
        if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--steps must be a whole number of at least 1, got "${options.steps}"`);
        const runner = await MigrationRunner.connect(services.endpoints.databaseUrl);
        try {
          printResult({ reverted: await runner.revert(steps) });
        } finally {
          await runner.close();
        }
      }),
    );

  database
    .command('status')
    .description('list applied and pending migrations')
    .action(() =>
      withServices(async ({ services }) => {
        const runner = await MigrationRunner.connect(services.endpoints.databaseUrl);
        try {
          printResult(await runner.status());
        } finally {
          await runner.close();
        }
      }),
    );
}

/** A mistake in how the command was called: exit code 2 with the message, like the shell's own tools. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
