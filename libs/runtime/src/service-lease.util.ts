import { readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDirectoryLock } from './directory-lock.util';
import { isProcessAlive } from './process-alive.util';
import { registerEmergencyStop } from './shutdown-signals.util';

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

export interface LeasedShutdown {
  /** The server's directory, which also keys its lock and its leases. */
  readonly directory: string;
  /** How log lines name it: "embedded PostgreSQL", "local Redis". */
  readonly name: string;
  readonly log: (line: string) => void;
  /** Stops the server; called only when no other process holds a lease. */
  readonly stop: () => Promise<void>;
  /** The same, synchronously, for a forced exit. */
  readonly stopNow: () => void;
}

/**
 * The one way a local server is stopped: give up this process's lease under the directory lock,
 * and stop the server only if nobody else holds one. A forced exit does the same synchronously.
 */
export function leasedShutdown(shutdown: LeasedShutdown): () => Promise<void> {
  const forget = registerEmergencyStop(() => {
    if (releaseLeaseSync(shutdown.directory) === 0) shutdown.stopNow();
  });
  return () =>
    withDirectoryLock(shutdown.directory, async () => {
      forget();
      const others = await releaseLease(shutdown.directory);
      if (others > 0) {
        shutdown.log(`leaving ${shutdown.name} running: ${others} other process(es) still use it`);
        return;
      }
      await shutdown.stop();
    });
}
