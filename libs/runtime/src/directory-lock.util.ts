import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, readTextFileIfExists } from './process-alive.util';

/**
 * Serialises "is it running? no: start it" across processes (the api and two workers started
 * together must not each start a cluster on one directory). A lock whose owner died is taken over.
 */
export async function withDirectoryLock<T>(lockFile: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  await mkdir(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readTextFileIfExists(lockFile));
      if (Number.isInteger(owner) && owner > 0 && !isProcessAlive(owner)) {
        // Only one waiter's rename of the stale file succeeds; the others see ENOENT and retry,
        // so nobody deletes a lock another waiter has just taken.
        await rename(lockFile, `${lockFile}.stale-${process.pid}`).then(
          () => rm(`${lockFile}.stale-${process.pid}`, { force: true }),
          () => undefined,
        );
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockFile} (held by process ${owner})`, { cause: error });
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}
