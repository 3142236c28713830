import type { TrainingData } from './training-data';

/**
 * Throws a RangeError naming the first inconsistency in `data`. The trainers run tight loops with
 * no bounds checks, so a bad label or a NaN would otherwise surface as a silently wrong model.
 */
export function assertValidTrainingData(data: TrainingData): void {
  const { features, rows, columns, labels, classes } = data;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive whole number (got ${rows})`);
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError(`columns must be a positive whole number (got ${columns})`);
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`classes must be a whole number ≥ 2 (got ${classes})`);
  if (features.length !== rows * columns) {
    throw new RangeError(`features has ${features.length} values but rows × columns = ${rows} × ${columns} = ${rows * columns}`);
  }
  assertLabelsInRange(labels, classes, rows);
  for (let index = 0; index < features.length; index += 1) {
    if (!Number.isFinite(features[index])) {
      const row = Math.floor(index / columns);
      throw new RangeError(`features[${index}] (row ${row}, column ${index - row * columns}) is ${features[index]}, not a finite number`);
    }
  }
}

/** Throws a RangeError unless `labels` has `rows` entries, each a class index in [0, classes). */
export function assertLabelsInRange(labels: Int32Array, classes: number, rows: number): void {
  if (labels.length !== rows) throw new RangeError(`labels has ${labels.length} entries but there are ${rows} rows`);
  for (let row = 0; row < rows; row += 1) {
    const label = labels[row];
    if (label < 0 || label >= classes) throw new RangeError(`labels[${row}] = ${label} is outside [0, ${classes})`);
  }
}
