import { mkdir } from 'node:fs/promises';
import { lock } from 'proper-lockfile';

/**
 * Serialises "is it running? no: start it" (and "am I the last user? yes: stop it") across
 * processes on one data directory. proper-lockfile refreshes the lock while held and takes over
 * one whose holder died, without the check-then-delete race of a hand-made pid file.
 */
export async function withDirectoryLock<T>(directory: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  await mkdir(directory, { recursive: true });
  const release = await lock(directory, {
    lockfilePath: `${directory}.lock`,
    stale: 10_000,
    update: 2_000,
    retries: { retries: Math.ceil(timeoutMs / 250), factor: 1, minTimeout: 250, maxTimeout: 250 },
  });
  try {
    return await work();
  } finally {
    await release();
  }
}
