/** Small helpers for timing and summarising runs (milliseconds in, rounded figures out). */

export async function timedMs<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The nearest-rank percentile (the median for 0.5). */
export function percentile(values: readonly number[], share: number): number {
  if (share === 0.5) return median(values);
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

export function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

export function seconds(milliseconds: number): number {
  return round(milliseconds / 1000, 2);
}

/** p50, p95 and max of a call's timings, in ms. */
export function latencyOf(timings: readonly number[]): { p50Ms: number; p95Ms: number; maxMs: number; runs: number } {
  return {
    p50Ms: round(percentile(timings, 0.5), 1),
    p95Ms: round(percentile(timings, 0.95), 1),
    maxMs: round(Math.max(...timings), 1),
    runs: timings.length,
  };
}

export function progress(message: string): void {
  process.stderr.write(`bench/progress: ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, milliseconds));
}
