import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort, redisAnswers } from '@app/runtime';

/**
 * A `redis-server` from PATH of the test's own, on a free loopback port with its data (an append-only
 * file, as production runs it) in a temporary directory, so a test can kill it and start it again on
 * the same port and data without touching the Redis other test files share. Nothing outlives the
 * test process: a process exit that skips `stop()` kills the server synchronously.
 */
export class RestartableRedis {
  private server: ChildProcess | undefined;
  private readonly killNow = (): void => void this.server?.kill('SIGKILL');

  private constructor(
    readonly port: number,
    readonly directory: string,
  ) {
    process.on('exit', this.killNow);
  }

  static async start(): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await findFreePort(), mkdtempSync(join(tmpdir(), 'crossroads-redis-')));
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills the server (SIGKILL by default: what it had not yet written to its append-only file is lost, as in a crash). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const server = this.server;
    if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise<void>((resolveExit) => server.once('exit', () => resolveExit()));
    server.kill(signal);
    await exited;
  }

  /** Kills it, waits `downMs`, and starts it again on the same port and data. */
  async restart(downMs = 1_000, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.kill(signal);
    await sleep(downMs);
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill('SIGKILL');
    process.off('exit', this.killNow);
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const server = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.directory, '--appendonly', 'yes', '--save', '', '--protected-mode', 'no'],
      { stdio: 'ignore' },
    );
    this.server = server;
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers(this.url))) {
      if (server.exitCode !== null) throw new Error(`redis-server exited with ${server.exitCode} on port ${this.port}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port} within 10 s`);
      await sleep(50);
    }
  }
}
