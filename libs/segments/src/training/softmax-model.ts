import { dotProduct } from './dense-kernels';

/**
 * A fitted multinomial logistic regression. Coefficients are in the original (unstandardised)
 * feature units, so raw rows can be scored without knowing how the model was trained.
 */
export interface SoftmaxModel {
  readonly classes: number;
  readonly columns: number;
  /** classes × columns, row-major by class. */
  readonly coefficients: Float64Array;
  /** One per class. */
  readonly intercepts: Float64Array;
}

/**
 * Writes the k logits (intercept + coefficients · features) of row `row` of a row-major matrix
 * with `model.columns` columns into out[outOffset .. outOffset + k). No bounds checks: this runs
 * once per row over millions of rows, so callers validate shapes once up front.
 */
export function logitsInto(model: SoftmaxModel, features: Float64Array, row: number, out: Float64Array, outOffset = 0): void {
  const { classes, columns, coefficients, intercepts } = model;
  const rowStart = row * columns;
  for (let classIndex = 0; classIndex < classes; classIndex += 1) {
    out[outOffset + classIndex] = intercepts[classIndex] + dotProduct(coefficients, classIndex * columns, features, rowStart, columns);
  }
}

/**
 * Writes the k class probabilities of row `row` into out[outOffset .. outOffset + k). Subtracting
 * the largest logit before exponentiating keeps exp() from overflowing on extreme rows.
 */
export function predictInto(model: SoftmaxModel, features: Float64Array, row: number, out: Float64Array, outOffset = 0): void {
  logitsInto(model, features, row, out, outOffset);
  const end = outOffset + model.classes;
  let largest = -Infinity;
  for (let index = outOffset; index < end; index += 1) if (out[index] > largest) largest = out[index];
  let total = 0;
  for (let index = outOffset; index < end; index += 1) {
    const weight = Math.exp(out[index] - largest);
    out[index] = weight;
    total += weight;
  }
  const scale = 1 / total;
  for (let index = outOffset; index < end; index += 1) out[index] *= scale;
}

/**
 * Scores every row of a row-major matrix into a fresh rows × classes array (or into `out`, to
 * reuse a buffer across batches). Checks shapes once so the per-row loop need not.
 */
export function predictAll(model: SoftmaxModel, features: Float64Array, out?: Float64Array): Float64Array {
  if (features.length % model.columns !== 0) {
    throw new RangeError(`features has ${features.length} values, which is not a whole number of rows of ${model.columns} columns`);
  }
  const rows = features.length / model.columns;
  const probabilities = out ?? new Float64Array(rows * model.classes);
  if (probabilities.length < rows * model.classes) {
    throw new RangeError(`out has room for ${probabilities.length} values but ${rows} rows × ${model.classes} classes need ${rows * model.classes}`);
  }
  for (let row = 0; row < rows; row += 1) predictInto(model, features, row, probabilities, row * model.classes);
  return probabilities;
}
