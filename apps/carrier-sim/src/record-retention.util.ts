/** The most finished calls (or texts) kept for GET and /sim/ once more arrive: a long demo run stays within bounded memory. */
export const DEFAULT_MAX_RETAINED = 10_000;

/** Drops the oldest finished records (Maps iterate in insertion order) until at most `max` remain; live ones always stay. */
export function dropOldestFinished<Record>(records: Map<string, Record>, isFinished: (record: Record) => boolean, max: number): void {
  if (records.size <= max) return;
  for (const [sid, record] of records) {
    if (records.size <= max) return;
    if (isFinished(record)) records.delete(sid);
  }
}
