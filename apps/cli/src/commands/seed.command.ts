import type { Command } from 'commander';
import { MigrationRunner } from '@app/database';
import { DemoAllianceSeeder } from '@app/identity';
import { printResult, withApplication, withServices } from '../cli-context';

export function registerSeedCommands(program: Command): void {
  program
    .command('seed')
    .description('seed data')
    .command('demo')
    .description('migrate, then create (or refresh) the demo alliance: 12 anchors, 27 members, 10 counties, one login per role')
    .action(() =>
      withServices(async (session) => {
        const runner = await MigrationRunner.connect(session.services.endpoints.databaseUrl);
        await runner.migrate().finally(() => runner.close());
        printResult(await withApplication(session, (app) => app.get(DemoAllianceSeeder).seed()));
      }),
    );
}
