import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { SYNTHETIC_FORMATS, type SyntheticFormat, syntheticVoterFile } from '@app/voter-file';
import { UsageError } from './database.command';
import { registerVoterExportCommand } from './voter-export.command';
import { registerVoterImportCommand } from './voter-import.command';

const MAXIMUM_ROWS = 50_000_000;

export function registerVoterCommands(program: Command): void {
  const voters = program.command('voters').description('voter files');
  registerVoterImportCommand(voters);
  registerVoterExportCommand(voters);

  voters
    .command('generate')
    .description('write a synthetic voter file (made-up people, realistic distributions) to stdout')
    .requiredOption('--rows <n>', 'how many voters')
    .option('--format <format>', `layout: ${SYNTHETIC_FORMATS.join(', ')}`, 'ncvoter')
    .option('--seed <n>', 'the same seed gives the same file, byte for byte', '1')
    .option('--quoted', 'quote every field, as legacy North Carolina files do')
    .option('--encoding <encoding>', 'utf8 or latin1', 'utf8')
    .action(async (options: { rows: string; format: string; seed: string; quoted?: boolean; encoding: string }) => {
      const rows = wholeNumber('--rows', options.rows, 1, MAXIMUM_ROWS);
      const seed = wholeNumber('--seed', options.seed, 0, 2 ** 32 - 1);
      if (!(SYNTHETIC_FORMATS as readonly string[]).includes(options.format)) {
        throw new UsageError(`--format ${options.format}: the generator writes ${SYNTHETIC_FORMATS.join(', ')}`);
      }
      if (options.encoding !== 'utf8' && options.encoding !== 'latin1') throw new UsageError(`--encoding must be utf8 or latin1, got "${options.encoding}"`);
      await pipeline(
        syntheticVoterFile({ rows, seed, format: options.format as SyntheticFormat, quoted: Boolean(options.quoted), encoding: options.encoding }),
        process.stdout,
      );
    });
}

function wholeNumber(option: string, value: string, minimum: number, maximum: number): number {
  if (!/^\d+$/.test(value) || Number(value) < minimum || Number(value) > maximum) {
    throw new UsageError(`${option} must be a whole number from ${minimum} to ${maximum}, got "${value}"`);
  }
  return Number(value);
}
