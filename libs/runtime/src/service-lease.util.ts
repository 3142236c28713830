import { readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from './process-alive.util';

/**
 * Who uses a local server: one file per process under `<directory>.users/`. An idle process
 * holds no connection (pools close idle clients), so connections cannot tell; leases can.
 * Call both functions under the directory lock.
 */
export async function takeLease(directory: string): Promise<void> {
  await mkdir(`${directory}.users`, { recursive: true });
  await writeFile(join(`${directory}.users`, String(process.pid)), new Date().toISOString());
}

/** Gives up this process's lease and answers how many live processes still hold one (dead holders are swept). */
export async function releaseLease(directory: string): Promise<number> {
  const users = `${directory}.users`;
  await rm(join(users, String(process.pid)), { force: true });
  const holders = await readdir(users).catch(() => [] as string[]);
  let alive = 0;
  for (const holder of holders) {
    if (isProcessAlive(Number(holder))) alive += 1;
    else await rm(join(users, holder), { force: true });
  }
  return alive;
}

/** The same, synchronously, for a forced exit where nothing asynchronous will run any more. */
export function releaseLeaseSync(directory: string): number {
  const users = `${directory}.users`;
  rmSync(join(users, String(process.pid)), { force: true });
  try {
    return readdirSync(users).filter((holder) => isProcessAlive(Number(holder))).length;
  } catch {
    return 0;
  }
}
