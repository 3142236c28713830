const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const emergencyStops = new Set<() => void>();

/**
 * A synchronous last resort for a forced exit (a second Ctrl-C, a shutdown past its timeout):
 * local servers run in their own session, so without it they would outlive us. Returns the
 * function that removes it once the orderly stop has run.
 */
export function registerEmergencyStop(stop: () => void): () => void {
  emergencyStops.add(stop);
  return () => emergencyStops.delete(stop);
}

function exitNow(code: number): never {
  for (const stop of emergencyStops) {
    try {
      stop();
    } catch {
      // best effort: the process is leaving either way
    }
  }
  process.exit(code);
}

/**
 * Runs `shutdown` once on the first SIGINT/SIGTERM/SIGHUP, then exits. A second signal, or a
 * shutdown slower than `timeoutMs`, exits at once so an operator is never stuck.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>, timeoutMs: number): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`received ${signal} again, exiting now\n`);
      exitNow(130);
    }
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${timeoutMs} ms, exiting\n`);
      exitNow(1);
    }, timeoutMs);
    timer.unref();
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, handle);
}
