import { setTimeout as sleep } from 'node:timers/promises';
/** A count of other users that is still above zero after a moment, so a connection in the middle of closing does not count. */
export async function settledCount(count: () => Promise<number>, attempts = 6, intervalMs = 100): Promise<number> {
  let latest = 0;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    latest = await count().catch(() => 0);
    if (latest === 0) return 0;
    await sleep(intervalMs);
  }
  return latest;
}
