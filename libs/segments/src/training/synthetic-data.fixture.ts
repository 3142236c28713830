import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { predictInto, type SoftmaxModel } from './softmax-model';
import type { TrainingData } from './training-data';

/** Test data whose labels were drawn from `truth`, kept with the probabilities they were drawn from. */
export interface SyntheticData extends TrainingData {
  readonly trueProbabilities: Float64Array;
}

/** A seeded source of uniform [0, 1) and standard normal numbers, for tests only. */
export function seededRandom(seed: number): { uniform: () => number; normal: () => number } {
  const generator = xoroshiro128plus(seed);
  const uniform = (): number => uniformFloat64(generator);
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/**
 * Rows with column c ~ offsets[c] + scales[c]·N(0, 1) and a label drawn from the true model's
 * probabilities (so the Bayes-optimal predictions are known exactly).
 */
export function sampleFromSoftmax(
  truth: SoftmaxModel,
  rows: number,
  seed: number,
  columnScales?: readonly number[],
  columnOffsets?: readonly number[],
): SyntheticData {
  const { classes, columns } = truth;
  const random = seededRandom(seed);
  const features = new Float64Array(rows * columns);
  const labels = new Int32Array(rows);
  const trueProbabilities = new Float64Array(rows * classes);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      features[row * columns + column] = (columnOffsets?.[column] ?? 0) + (columnScales?.[column] ?? 1) * random.normal();
    }
    predictInto(truth, features, row, trueProbabilities, row * classes);
    let remaining = random.uniform();
    let label = 0;
    while (label < classes - 1 && remaining >= trueProbabilities[row * classes + label]) {
      remaining -= trueProbabilities[row * classes + label];
      label += 1;
    }
    labels[row] = label;
  }
  return { features, rows, columns, labels, classes, trueProbabilities };
}

/** Features of pure noise and labels that ignore them, each class equally likely. */
export function sampleNoise(rows: number, columns: number, classes: number, seed: number): TrainingData {
  const random = seededRandom(seed);
  const features = new Float64Array(rows * columns);
  for (let index = 0; index < features.length; index += 1) features[index] = random.normal();
  const labels = new Int32Array(rows);
  for (let row = 0; row < rows; row += 1) labels[row] = Math.min(Math.floor(random.uniform() * classes), classes - 1);
  return { features, rows, columns, labels, classes };
}

/** A SoftmaxModel from plain arrays, for readable test set-up. */
export function modelOf(coefficients: readonly (readonly number[])[], intercepts: readonly number[]): SoftmaxModel {
  return {
    classes: coefficients.length,
    columns: coefficients[0].length,
    coefficients: Float64Array.from(coefficients.flat()),
    intercepts: Float64Array.from(intercepts),
  };
}
