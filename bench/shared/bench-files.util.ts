import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { childProcessEnvironment } from '@app/config';
import { MigrationRunner } from '@app/database';

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

/** `voters import` as a data lead runs it: the real import, in its own process; its wall time in seconds (two decimals). */
export async function importWithCli(path: string, alliance: string, environment: NodeJS.ProcessEnv): Promise<{ seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BUILT_CLI, 'voters', 'import', path, '--alliance', alliance], {
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { status?: string };
  if (code !== 0 || result.status !== 'succeeded') throw new Error(`voters import exited ${String(code)}: ${stdout}`);
  return { seconds: Math.round((performance.now() - started) / 10) / 100 };
}

/**
 * Runs a benchmark in a fresh, migrated database of its own on the given server, dropped
 * afterwards (or kept, for a look at its plans).
 */
export async function withMigratedBenchDatabase<T>(
  adminUrl: string,
  options: { readonly keep?: boolean; readonly log?: (line: string) => void },
  work: (benchUrl: string) => Promise<T>,
): Promise<T> {
  const databaseName = `crossroads_bench_${randomBytes(4).toString('hex')}`;
  const benchUrl = withDatabase(adminUrl, databaseName);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${databaseName}`);
    const runner = await MigrationRunner.connect(benchUrl);
    await runner.migrate().finally(() => runner.close());
    return await work(benchUrl);
  } finally {
    if (options.keep) options.log?.(`kept the database ${databaseName}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** The same server, another database. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
