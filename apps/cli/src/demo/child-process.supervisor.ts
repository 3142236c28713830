import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerEmergencyStop } from '@app/runtime';

export interface SupervisedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly child: ChildProcess;
}

/**
 * Starts the api and workers as child processes with their logs in files, notices when one
 * dies, and stops them all (SIGTERM, then SIGKILL after a grace period) on the way out.
 */
export class ChildProcessSupervisor {
  private readonly processes: SupervisedProcess[] = [];
  private stopping = false;

  constructor(
    private readonly logDirectory: string,
    private readonly onUnexpectedExit: (process: SupervisedProcess, code: number | null) => void,
  ) {
    mkdirSync(logDirectory, { recursive: true });
    // On a forced exit the children (detached, in their own groups) would outlive us.
    registerEmergencyStop(() => {
      for (const { child } of this.processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
  }

  start(name: string, script: string, environment: NodeJS.ProcessEnv): SupervisedProcess {
    if (this.stopping) throw new Error(`not starting ${name}: shutting down`);
    const logFile = join(this.logDirectory, `${name}.log`);
    const log = createWriteStream(logFile, { flags: 'w' });
    // detached: a Ctrl-C in the terminal reaches only us, and we stop the children in order.
    const child = spawn(process.execPath, [script], { env: environment, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const supervised = { name, logFile, child };
    child.on('exit', (code) => {
      if (!this.stopping) this.onUnexpectedExit(supervised, code);
    });
    this.processes.push(supervised);
    return supervised;
  }

  tail(process: SupervisedProcess, lines = 15): string {
    try {
      return readFileSync(process.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stopAll(graceMs: number): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.processes.map(
        ({ child }) =>
          new Promise<void>((resolveStop) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
            const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(killer);
              resolveStop();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}
