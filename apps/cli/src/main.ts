import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerDatabaseCommands, UsageError } from './commands/database.command';
import { registerDialerCommands } from './commands/dialer.command';
import { registerProgressCommands } from './commands/progress.command';
import { registerQueueCommands } from './commands/queue.command';
import { registerSeedCommands } from './commands/seed.command';
import { registerSegmentCommands } from './commands/segments.command';
import { registerUserCommands } from './commands/users.command';
import { registerVoterCommands } from './commands/voters.command';
import { registerDemoCommand } from './demo/demo.command';

const program = new Command('crossroads').description('Crossroads operator and data-lead command line').showHelpAfterError().exitOverride();
registerDatabaseCommands(program);
registerSeedCommands(program);
registerQueueCommands(program);
registerVoterCommands(program);
registerUserCommands(program);
registerSegmentCommands(program);
registerDialerCommands(program);
registerProgressCommands(program);
registerDemoCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
