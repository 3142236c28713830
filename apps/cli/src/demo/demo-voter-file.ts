import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { AllianceLookupService, DEMO_ALLIANCE, DEMO_COUNTIES } from '@app/identity';
import { DEFAULT_MAX_ERROR_RATE, syntheticVoterFile, VoterImportService, VoterImportStatus } from '@app/voter-file';

export const DEMO_VOTERS = 100_000;
const DEMO_SEED = 2026;

export interface DemoVoterFileReport {
  readonly voters: number;
  readonly importedNow: boolean;
  readonly seconds: number;
}

/**
 * The demo alliance's voter file: 100k made-up Californians in its ten counties, generated once
 * into the data directory and imported through the same path a data lead's file takes. A demo
 * restarted on the same data finds the import done and skips it.
 */
export async function importDemoVoterFile(app: INestApplicationContext, dataDirectory: string): Promise<DemoVoterFileReport> {
  const started = performance.now();
  const alliance = await app.get(AllianceLookupService).resolve(DEMO_ALLIANCE.slug);
  const imports = app.get(VoterImportService);
  const [latest] = await imports.listForAlliance(alliance.id, 1);
  if (latest?.status === VoterImportStatus.Succeeded) return { voters: latest.inserted + latest.updated + latest.unchanged, importedNow: false, seconds: 0 };

  const path = join(dataDirectory, 'demo', `california-voters-${DEMO_VOTERS}-${DEMO_SEED}.txt`);
  if (!(await stat(path).catch(() => null))) {
    await mkdir(join(dataDirectory, 'demo'), { recursive: true });
    // Written aside and renamed, so a Ctrl-C mid-write never leaves a half file to import next time.
    await pipeline(
      syntheticVoterFile({ rows: DEMO_VOTERS, seed: DEMO_SEED, format: 'california', encoding: 'utf8', counties: DEMO_COUNTIES }),
      createWriteStream(`${path}.partial`),
    );
    await rename(`${path}.partial`, path);
  }
  const record = await imports.create({
    allianceId: alliance.id,
    filePath: path,
    fileName: 'demo-california-voters.txt',
    fileBytes: (await stat(path)).size,
    format: 'california',
    fullRefresh: false,
    maxErrorRate: DEFAULT_MAX_ERROR_RATE,
    correlationId: null,
  });
  const result = await imports.run(record.id);
  if (result.status !== VoterImportStatus.Succeeded) throw new Error(`the demo voter file did not import: ${result.errorMessage ?? result.status}`);
  return { voters: result.inserted + result.updated + result.unchanged, importedNow: true, seconds: (performance.now() - started) / 1000 };
}
