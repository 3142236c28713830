const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `shutdown` once on the first SIGINT/SIGTERM/SIGHUP, then exits. A second signal, or a
 * shutdown slower than `timeoutMs`, exits at once so an operator is never stuck.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>, timeoutMs: number): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`received ${signal} again, exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${timeoutMs} ms, exiting\n`);
      process.exit(1);
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
