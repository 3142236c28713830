export type TimerHandle = ReturnType<typeof setTimeout>;

/** Every timer the simulator starts goes through here, so `close()` and reset can clear them all at once. */
export class TimerRegistry {
  private readonly pending = new Set<TimerHandle>();

  after(delayMs: number, run: () => void): TimerHandle {
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        run();
      },
      Math.max(0, delayMs),
    );
    this.pending.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    clearTimeout(handle);
    this.pending.delete(handle);
  }

  clearAll(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}
