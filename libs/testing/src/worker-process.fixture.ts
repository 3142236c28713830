import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitUntil } from './wait-until.util';

/** One JSON log line a worker wrote on stdout (pino: `level`, `message`, then the fields logged). */
export type WorkerLogLine = Readonly<Record<string, unknown>> & { readonly level?: string; readonly message?: string };

export interface WorkerProcessOptions {
  /** The built entry point, e.g. `dist/apps/dialer-worker/src/main.js`. */
  readonly script: string;
  /** The child's whole environment (build it with `isolatedProcessEnvironment`): nothing leaks in from the test process. */
  readonly environment: NodeJS.ProcessEnv;
  /** A label for messages about this process. */
  readonly label?: string;
}

/**
 * A built worker run as its own process, as a container runs it, for tests that need real
 * processes (two replicas competing for jobs, a `kill -9`): its JSON log lines are kept as they
 * arrive, stderr is kept for the failure message, and nothing outlives the test process.
 *
 * `stop()` ends it (SIGTERM, then SIGKILL); a process exit that skips it kills it synchronously;
 * and a watchdog process kills it if the test process dies outright (a SIGKILL, a jest worker torn
 * down), since an orphaned worker would otherwise retry its Redis forever.
 */
export class WorkerProcess {
  readonly logs: WorkerLogLine[] = [];
  private readonly errorOutput: string[] = [];
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly killNow = (): void => void this.child.kill('SIGKILL');

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    this.exit = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
    void this.exit.then(() => process.off('exit', this.killNow));
    process.on('exit', this.killNow);
    // Lines that are not JSON (a crash before the logger exists) go to stderr's record instead.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        if (parsed !== null && typeof parsed === 'object') this.logs.push(parsed as WorkerLogLine);
      } catch {
        this.errorOutput.push(line);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => this.errorOutput.push(line));
  }

  static start(options: WorkerProcessOptions): WorkerProcess {
    const child = spawn(process.execPath, [options.script], { env: options.environment, stdio: ['ignore', 'pipe', 'pipe'] });
    const worker = new WorkerProcess(options.label ?? options.script, child);
    if (child.pid !== undefined) startWatchdog(child.pid);
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines of stderr (and of stdout that was not JSON), for a failure message. */
  errorTail(lines = 20): string {
    return this.errorOutput.slice(-lines).join('\n');
  }

  /** Waits for a log line that matches; fails naming it, with the tail of stderr, or at once if the process exits first. */
  async waitForLog(matches: (line: WorkerLogLine) => boolean, what: string, timeoutMs = 15_000): Promise<WorkerLogLine> {
    try {
      return await waitUntil(
        async () => {
          const found = this.logs.find(matches);
          if (found === undefined && !this.running) throw new Error(`${this.label} exited before logging ${what}`);
          return found;
        },
        `${this.label} to log ${what}`,
        timeoutMs,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.label} stderr:\n${this.errorTail()}`, { cause: error });
    }
  }

  /** Sends a signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exit;
  }

  /** An orderly stop (SIGTERM, as a container stop), forced after `graceMs`. Safe to call on a process already gone. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    const forced = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      await this.kill('SIGTERM');
    } finally {
      clearTimeout(forced);
    }
  }
}

/** Kills the worker once the test process is gone; leaves on its own once the worker is. */
const WATCHDOG = `
const [parentPid, childPid] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (error) { return error.code === 'EPERM'; } };
setInterval(() => {
  if (!alive(childPid)) process.exit(0);
  if (alive(parentPid)) return;
  try { process.kill(childPid, 'SIGKILL'); } catch {}
  process.exit(0);
}, 500);
`;

function startWatchdog(childPid: number): void {
  // Its own session, so a signal to the test's process group cannot take it before it acts.
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(childPid)], { stdio: 'ignore', detached: true });
  watchdog.unref();
}
