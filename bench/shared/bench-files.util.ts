import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { childProcessEnvironment } from '@app/config';

/** The built cli, which the benchmarks drive as an operator would. */
export const BUILT_CLI = resolve(__dirname, '../../apps/cli/src/main.js');

/** Writes a generated ncvoter file with `voters generate` and returns its path. */
export function generateNcvoterFile(path: string, rows: number, seed: number): string {
  const output = openSync(path, 'w');
  try {
    const result = spawnSync(process.execPath, [BUILT_CLI, 'voters', 'generate', '--rows', String(rows), '--seed', String(seed)], {
      stdio: ['ignore', output, 'inherit'],
      env: childProcessEnvironment({ databaseUrl: '', redisUrl: '' }, {}),
    });
    if (result.status !== 0) throw new Error(`voters generate exited ${String(result.status)}`);
    // On disk before anything is timed: the kernel writing 300 MB back during the first round
    // would slow whatever runs then.
    fsyncSync(output);
  } finally {
    closeSync(output);
  }
  return path;
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
