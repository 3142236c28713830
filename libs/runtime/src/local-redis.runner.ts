import { spawn, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalService } from './local-service';
import { withDirectoryLock } from './directory-lock.util';
import { findFreePort } from './free-port.util';
import { isProcessAlive, readTextFileIfExists } from './process-alive.util';
import { redisAnswers } from './redis-ping.util';
import { leasedShutdown, takeLease } from './service-lease.util';

export const DEFAULT_LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export const REDIS_MISSING_MESSAGE = [
  'Redis is required and none was found:',
  `  nothing answers at ${DEFAULT_LOCAL_REDIS_URL}, and there is no redis-server on PATH.`,
  'Either install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)',
  'or point Crossroads at one: REDIS_URL=redis://host:6379',
].join('\n');

export class RedisUnavailableError extends Error {
  constructor() {
    super(REDIS_MISSING_MESSAGE);
    this.name = 'RedisUnavailableError';
  }
}

export interface LocalRedisOptions {
  /** Where a started server keeps its append-only file, pid and port, e.g. `.data/redis`. */
  readonly directory: string;
  /** Try 127.0.0.1:6379 first (the default); tests that must own their server turn this off. */
  readonly preferDefaultPort: boolean;
  /** A fixed port for a started server (a test restarting "the same" Redis); a free one otherwise. */
  readonly port?: number;
  /** The server binary; `redis-server` found on PATH unless given. */
  readonly executable?: string;
  readonly log: (line: string) => void;
}

/** 127.0.0.1:6379 if it answers, else the server already started on this directory, else a new `redis-server`. */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalService> {
  if (options.preferDefaultPort && (await redisAnswers(DEFAULT_LOCAL_REDIS_URL))) {
    options.log(`using the Redis answering at ${DEFAULT_LOCAL_REDIS_URL}`);
    return { url: DEFAULT_LOCAL_REDIS_URL, startedHere: false, stop: async () => undefined };
  }
  return withDirectoryLock(options.directory, async () => {
    const service = await startOrReuse(options);
    await takeLease(options.directory);
    return service;
  });
}

async function startOrReuse(options: LocalRedisOptions): Promise<LocalService> {
  const reused = await findRunningServer(options.directory);
  if (reused !== undefined) {
    options.log(`reusing local Redis on port ${reused.port} (${options.directory})`);
    return serverService(options, reused.port, reused.pid, false);
  }
  const executable = options.executable ?? 'redis-server';
  if (spawnSync(executable, ['--version'], { stdio: 'ignore' }).error !== undefined) {
    throw new RedisUnavailableError();
  }

  await mkdir(options.directory, { recursive: true });
  const port = options.port ?? (await findFreePort());
  const pidFile = join(options.directory, 'redis.pid');
  // Its own session (detached), so a Ctrl-C in the terminal reaches our processes first.
  const child = spawn(
    executable,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      options.directory,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--pidfile',
      pidFile,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100 && !exited; attempt += 1) {
    if (await redisAnswers(url, 250)) break;
    await sleep(100);
  }
  if (exited || !(await redisAnswers(url, 500))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port} (${options.directory})`);
  }
  await writeFile(join(options.directory, 'port'), String(port));
  options.log(`local Redis listening on ${url} (${options.directory})`);
  return serverService(options, port, child.pid!, true);
}

function serverService(options: LocalRedisOptions, port: number, pid: number, startedHere: boolean): LocalService {
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    startedHere,
    stop: leasedShutdown({
      directory: options.directory,
      name: 'local Redis',
      log: options.log,
      stop: async () => {
        if (!isProcessAlive(pid)) return;
        process.kill(pid, 'SIGTERM');
        for (let attempt = 0; attempt < 100 && isProcessAlive(pid); attempt += 1) await sleep(50);
      },
      stopNow: () => {
        if (isProcessAlive(pid)) process.kill(pid, 'SIGTERM');
      },
    }),
  };
}

/** A server this directory's redis.pid and port files describe, if it is alive and answers. */
export async function findRunningServer(directory: string): Promise<{ port: number; pid: number } | undefined> {
  const pid = Number(await readTextFileIfExists(join(directory, 'redis.pid')));
  const port = Number(await readTextFileIfExists(join(directory, 'port')));
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !isProcessAlive(pid)) return undefined;
  return (await redisAnswers(`redis://127.0.0.1:${port}`)) ? { port, pid } : undefined;
}

/**
 * Where a local Redis already answers, without starting one: REDIS_URL when set, else
 * 127.0.0.1:6379, else the server running under the data directory. For read-only commands such as `health`.
 */
export async function locateLocalRedis(redisUrl: string | undefined, dataDirectory: string): Promise<string> {
  if (redisUrl) return redisUrl;
  if (await redisAnswers(DEFAULT_LOCAL_REDIS_URL)) return DEFAULT_LOCAL_REDIS_URL;
  const running = await findRunningServer(join(dataDirectory, 'redis'));
  return running ? `redis://127.0.0.1:${running.port}` : DEFAULT_LOCAL_REDIS_URL;
}
