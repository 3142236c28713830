import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { DomainException } from '@app/common';
import { allianceWideAccess } from '@app/database';
import { AllianceLookupService } from '@app/identity';
import {
  parseVoterFilterCriteria,
  PROPENSITIES,
  STANDARD_PARTIES,
  STANDARD_RACE_ETHNICITIES,
  type VoterFilterCriteria,
  type VoterFilterParameter,
  VoterExportService,
} from '@app/voter-file';
import { printResult, withApplication, withServices } from '../cli-context';
import { UsageError } from './database.command';

interface ExportOptions {
  alliance?: string;
  county: string[];
  precinct: string[];
  zip: string[];
  city: string[];
  party: string[];
  ageMin?: string;
  ageMax?: string;
  propensity: string[];
  raceEthnicity: string[];
  hasPhone?: string;
  segment: string[];
  active?: string;
  output?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const LIST = 'comma-separated or repeated';

/** `voters export`: the voters matching the filters as CSV, to stdout or a file. */
export function registerVoterExportCommand(voters: Command): void {
  voters
    .command('export')
    .description('write the voters matching the filters as CSV (header first) to stdout, or to a file')
    .option('--alliance <slug>', 'the alliance to export from (default: the only one)')
    .option('--county <names>', `county, exactly as in the voter file; ${LIST}`, collect, [])
    .option('--precinct <codes>', `precinct, exactly as in the voter file; ${LIST}`, collect, [])
    .option('--zip <zips>', `five-digit ZIP code; ${LIST}`, collect, [])
    .option('--city <names>', `city, exactly as in the voter file; ${LIST}`, collect, [])
    .option('--party <parties>', `${STANDARD_PARTIES.join(', ')}; ${LIST}`, collect, [])
    .option('--age-min <n>', 'youngest age (this year minus the birth year)')
    .option('--age-max <n>', 'oldest age (this year minus the birth year)')
    .option('--propensity <levels>', `${PROPENSITIES.join(', ')}; ${LIST}`, collect, [])
    .option('--race-ethnicity <values>', `${STANDARD_RACE_ETHNICITIES.join(', ')}; ${LIST}`, collect, [])
    .option('--has-phone <true|false>', 'only voters with (true) or without (false) a phone')
    .option('--segment <keys>', `values-segment key under the active model (such as aspiring_poc); ${LIST}`, collect, [])
    .option('--active <true|false>', 'active voters (default true), or those a full refresh no longer found (false)')
    .option('--output <file>', 'write the CSV to this file (replaced only once the export is complete) instead of stdout')
    .action((options: ExportOptions) => exportVoters(options));
}

async function exportVoters(options: ExportOptions): Promise<void> {
  // Checked before any service starts, so a typo costs nothing.
  const criteria = filterCriteriaOf(options);
  const output = options.output === undefined ? undefined : resolve(options.output);
  if (output !== undefined && !(await stat(dirname(output)).catch(() => null))?.isDirectory()) {
    throw new UsageError(`--output ${options.output}: the directory ${dirname(output)} does not exist`);
  }
  const started = process.hrtime.bigint();
  await withServices((session) =>
    withApplication(session, async (app) => {
      const alliance = await app
        .get(AllianceLookupService)
        .resolve(options.alliance)
        .catch((error: unknown) => {
          throw error instanceof DomainException ? new UsageError(error.message) : error;
        });
      const { csv, rowsWritten } = await app.get(VoterExportService).exportCsv({ allianceId: alliance.id, ...criteria }, allianceWideAccess(alliance.id));
      if (output === undefined) {
        await toStdout(csv);
        return;
      }
      await toFile(csv, output);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      printResult({ output, alliance: alliance.slug, rows: rowsWritten(), seconds: Number(seconds.toFixed(2)) });
    }),
  );
}

function filterCriteriaOf(options: ExportOptions): VoterFilterCriteria {
  const { county, precinct, zip, city, party, ageMin, ageMax, propensity, raceEthnicity, hasPhone, segment, active } = options;
  try {
    return parseVoterFilterCriteria(
      { county, precinct, zip, city, party, ageMin, ageMax, propensity, raceEthnicity, hasPhone, segment, active },
      { label: optionName },
    );
  } catch (error) {
    throw error instanceof DomainException ? new UsageError(error.message) : error;
  }
}

function optionName(parameter: VoterFilterParameter): string {
  return `--${parameter.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

async function toStdout(csv: Readable): Promise<void> {
  try {
    await pipeline(csv, process.stdout);
  } catch (error) {
    // A reader that stops early (`| head`) is not a failure of the export.
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
}

/** Written beside the target and renamed at the end, so a failed export never leaves a file that looks complete. */
async function toFile(csv: Readable, output: string): Promise<void> {
  const partial = `${output}.partial`;
  try {
    await pipeline(csv, createWriteStream(partial));
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
