import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface StartedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
}

export interface LogSummary {
  readonly errors: number;
  readonly warnings: number;
  /** The commonest warn-and-above messages, with their counts. */
  readonly commonest: Record<string, number>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * A benchmark's child processes (the api, workers, the carrier simulator), each started from `dist`
 * with its output in a log file of its own; stopped together at the end, SIGINT first (a graceful
 * shutdown), SIGKILL after a grace period.
 */
export class BenchProcesses {
  private readonly started: StartedProcess[] = [];
  private readonly scratchFiles: string[] = [];
  private stopping = false;

  constructor(
    private readonly directory: string,
    private readonly cwd: string,
    private readonly report: (line: string) => void,
  ) {}

  /** `nodeArguments` go before the script (e.g. `--require` a probe). */
  start(name: string, script: string, environment: NodeJS.ProcessEnv, nodeArguments: readonly string[] = []): StartedProcess {
    const logFile = join(this.directory, `${name}.log`);
    const log = createWriteStream(logFile, { flags: 'w' });
    const child = spawn(process.execPath, [...nodeArguments, script], { cwd: this.cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    return this.track({ name, child, logFile });
  }

  /** A child started elsewhere (e.g. forked), watched and stopped with the others; one that `exitsByItself` may end with 0 unreported. */
  track(started: StartedProcess, exitsByItself = false): StartedProcess {
    this.started.push(started);
    started.child.on('exit', (code, signal) => {
      if (!this.stopping && !(exitsByItself && code === 0))
        this.report(`${started.name} exited unexpectedly (${String(code ?? signal)}); its last lines:\n${this.tail(started)}`);
    });
    return started;
  }

  /** Files a child writes for the benchmark, removed when the children are stopped. */
  removeOnStop(paths: readonly string[]): void {
    this.scratchFiles.push(...paths);
  }

  /** The first of them that has exited, if any. */
  exited(): StartedProcess | undefined {
    return this.started.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
  }

  /** User + system CPU seconds the process has used so far (Linux /proc); null where unreadable. */
  cpuSeconds(started: StartedProcess): number | null {
    const pid = started.child.pid;
    if (pid === undefined) return null;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at the state, field 3; utime and stime are 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch {
      return null;
    }
  }

  /** How many errors and warnings a process logged (pino JSON lines), and the commonest of them. */
  logSummary(started: StartedProcess): LogSummary {
    const counts = new Map<string, number>();
    let errors = 0;
    let warnings = 0;
    for (const line of existsSync(started.logFile) ? readFileSync(started.logFile, 'utf8').split('\n') : []) {
      let entry: { level?: number | string; msg?: string; message?: string; err?: { message?: string }; error?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      const level = typeof entry.level === 'number' ? entry.level : ({ warn: 40, error: 50, fatal: 60 }[String(entry.level)] ?? 0);
      if (level < 40) continue;
      if (level >= 50) errors += 1;
      else warnings += 1;
      const what = `${entry.msg ?? entry.message ?? ''} ${entry.err?.message ?? (entry.error === undefined ? '' : String(entry.error))}`.trim().slice(0, 160);
      counts.set(what, (counts.get(what) ?? 0) + 1);
    }
    const commonest = Object.fromEntries([...counts.entries()].sort((left, right) => right[1] - left[1]).slice(0, 5));
    return { errors, warnings, commonest };
  }

  tail(started: StartedProcess, lines = 20): string {
    if (!existsSync(started.logFile)) return '(no log)';
    return readFileSync(started.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const path of this.scratchFiles.splice(0)) rmSync(path, { force: true });
    await Promise.all(
      this.started.map(
        ({ child }) =>
          new Promise<void>((resolveStop) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
            const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(killer);
              resolveStop();
            });
            child.kill('SIGINT');
          }),
      ),
    );
  }
}

/** Polls `ready` every 200 ms until it holds; throws if a child exits meanwhile or the time runs out. */
export async function waitFor(what: string, processes: BenchProcesses, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const exited = processes.exited();
    if (exited !== undefined) throw new Error(`${exited.name} exited while waiting for ${what}:\n${processes.tail(exited)}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`${what} was not ready after ${timeoutMs / 1000} s`);
}
