import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NcvoterSyntheticGenerator, type VoterImportEntity, VoterImportService, VoterImportStatus } from '@app/voter-file';
import type { TestContext } from './test-context';

export interface SyntheticImport {
  readonly allianceId: string;
  readonly rows: number;
  readonly seed: number;
  readonly fullRefresh?: boolean;
}

/**
 * Imports a generated NC voter file for an alliance through the real import, run in place (no
 * queue), through an application connected as the owner. Fails the test unless it succeeds.
 */
export async function importSyntheticVoters(owner: INestApplicationContext, context: TestContext, request: SyntheticImport): Promise<VoterImportEntity> {
  const body = `${[...new NcvoterSyntheticGenerator({ rows: request.rows, seed: request.seed }).lines()].join('\n')}\n`;
  const filePath = join(context.temporaryDirectory, `ncvoter-${request.allianceId}-${request.rows}-${request.seed}.txt`);
  await writeFile(filePath, body);
  const imports = owner.get(VoterImportService);
  const created = await imports.create({
    allianceId: request.allianceId,
    filePath,
    fileName: 'ncvoter.txt',
    fileBytes: Buffer.byteLength(body),
    fullRefresh: request.fullRefresh ?? false,
    maxErrorRate: 0.05,
    correlationId: null,
  });
  const finished = await imports.run(created.id);
  if (finished.status !== VoterImportStatus.Succeeded)
    throw new Error(`the synthetic import did not succeed: ${finished.status} ${finished.errorMessage ?? ''}`);
  return finished;
}
