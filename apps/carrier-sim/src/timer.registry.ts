/** A pending timer; the same handle stays valid when the timer re-arms itself. */
export interface TimerHandle {
  timeout: ReturnType<typeof setTimeout>;
}

/**
 * Every timer the simulator starts goes through here, so `close()` and reset can clear them all at
 * once. A timer never runs before its time by the wall clock: Node's timers run on a cached loop
 * clock and can fire a millisecond or two early, which would put a verdict or a hang-up before the
 * delay a test measures against.
 */
export class TimerRegistry {
  private readonly pending = new Set<TimerHandle>();

  after(delayMs: number, run: () => void): TimerHandle {
    const waitMs = Math.max(0, delayMs);
    const dueAt = Date.now() + waitMs;
    const handle = {} as TimerHandle;
    const arm = (inMs: number): void => {
      handle.timeout = setTimeout(() => {
        const earlyByMs = dueAt - Date.now();
        if (earlyByMs > 0) {
          arm(earlyByMs);
          return;
        }
        this.pending.delete(handle);
        run();
      }, inMs);
    };
    arm(waitMs);
    this.pending.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    clearTimeout(handle.timeout);
    this.pending.delete(handle);
  }

  clearAll(): void {
    for (const handle of this.pending) clearTimeout(handle.timeout);
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}
