import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { reportFromProbabilities, type ClassificationReport } from './classification-metrics';
import { predictInto, type SoftmaxModel } from './softmax-model';
import { fitSoftmaxRegression } from './softmax-regression.trainer';
import type { TrainingData } from './training-data';
import { assertLabelsInRange, assertValidTrainingData } from './training-data.validation';

export interface CrossValidationOptions {
  /** 2..20, and at most the number of rows. */
  readonly folds: number;
  /** A whole number in [0, 2^32). */
  readonly seed: number;
  /** Non-empty, distinct, each > 0. */
  readonly l2Grid: readonly number[];
  /** Per fit; default 500. */
  readonly maxIterations?: number;
}

export interface CrossValidationResult {
  /** The grid value with the lowest out-of-fold log-loss; ties go to the larger l2, the simpler model. */
  readonly chosenL2: number;
  /** One entry per grid value, in the order given. */
  readonly grid: ReadonlyArray<{ readonly l2: number; readonly logLoss: number; readonly accuracy: number }>;
  /** Fold index of each row. */
  readonly foldOf: Int32Array;
  /** rows × classes, from the chosen l2. */
  readonly outOfFoldProbabilities: Float64Array;
  /** Of the out-of-fold probabilities at chosenL2. */
  readonly report: ClassificationReport;
  /** Predicts each training fold's class shares (Laplace-smoothed +1), hence its majority class. */
  readonly baseline: ClassificationReport;
  /** Fits (out of folds × grid values) that ran out of iterations or stalled; above 0, the grid's losses are slightly uncertain. */
  readonly unconvergedFits: number;
}

const MAX_FOLDS = 20;

// xoroshiro128+ seeded with neighbouring integers gives nearly equal first outputs; a few discarded draws decorrelate them.
const WARM_UP_DRAWS = 8;

/**
 * Assigns each row a fold in [0, folds) so every fold holds close to the same share of each class.
 * Each class's rows are shuffled (Fisher–Yates, seeded xoroshiro128+) and dealt round-robin; the
 * dealing carries on from fold to fold across classes rather than restarting at fold 0, so small
 * classes do not all pile into the first folds and fold sizes differ by at most one row.
 * The seed must be a whole number in [0, 2³²) because the generator keeps only 32 bits of it.
 */
export function stratifiedFolds(labels: Int32Array, classes: number, folds: number, seed: number): Int32Array {
  const rows = labels.length;
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`classes must be a positive whole number (got ${classes})`);
  if (!Number.isInteger(folds) || folds < 2 || folds > rows)
    throw new RangeError(`folds must be between 2 and the number of rows (got ${folds}); there are ${rows} rows`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new RangeError(`seed must be a whole number in [0, 2^32) (got ${seed})`);
  assertLabelsInRange(labels, classes, rows);

  // Counting sort by class keeps each class's rows in index order before shuffling, so only the seed decides the order.
  const classStarts = new Int32Array(classes + 1);
  for (let row = 0; row < rows; row += 1) classStarts[labels[row] + 1] += 1;
  for (let classIndex = 0; classIndex < classes; classIndex += 1) classStarts[classIndex + 1] += classStarts[classIndex];
  const rowsByClass = new Int32Array(rows);
  const filled = classStarts.slice(0, classes);
  for (let row = 0; row < rows; row += 1) rowsByClass[filled[labels[row]]++] = row;

  const random = xoroshiro128plus(seed);
  for (let draw = 0; draw < WARM_UP_DRAWS; draw += 1) random.next();
  const foldOf = new Int32Array(rows);
  let dealt = 0;
  for (let classIndex = 0; classIndex < classes; classIndex += 1) {
    const start = classStarts[classIndex];
    const end = classStarts[classIndex + 1];
    for (let position = end - 1; position > start; position -= 1) {
      const swapWith = uniformInt(random, start, position);
      const row = rowsByClass[position];
      rowsByClass[position] = rowsByClass[swapWith];
      rowsByClass[swapWith] = row;
    }
    for (let position = start; position < end; position += 1) {
      foldOf[rowsByClass[position]] = dealt % folds;
      dealt += 1;
    }
  }
  return foldOf;
}

/**
 * k-fold stratified cross-validation of softmax regression over an l2 grid. Within each fold the
 * grid runs from the largest l2 to the smallest, each fit warm-started from the previous one:
 * strongly regularised fits converge fastest, and each solution lies close to the next one.
 * Each training fold is standardised on its own rows, so nothing leaks from the held-out fold.
 * The chosen l2 minimises the log-loss pooled over all out-of-fold rows. A class with fewer rows
 * than folds is fine (some training folds may then lack it), but rows must be ≥ folds.
 * Deterministic for a given seed.
 */
export function crossValidate(data: TrainingData, options: CrossValidationOptions): CrossValidationResult {
  assertValidTrainingData(data);
  const { folds, seed, l2Grid, maxIterations } = options;
  const { rows, columns, classes } = data;
  if (!Number.isInteger(folds) || folds < 2 || folds > rows)
    throw new RangeError(`folds must be between 2 and the number of rows (got ${folds}); there are ${rows} rows`);
  if (folds > MAX_FOLDS) throw new RangeError(`folds must be between 2 and ${MAX_FOLDS} (got ${folds})`);
  assertValidGrid(l2Grid);
  if (maxIterations !== undefined && (!Number.isInteger(maxIterations) || maxIterations < 1)) {
    throw new RangeError(`maxIterations must be a positive whole number (got ${maxIterations})`);
  }

  const foldOf = stratifiedFolds(data.labels, classes, folds, seed);
  const largestFirst = l2Grid.map((_, index) => index).sort((left, right) => l2Grid[right] - l2Grid[left]);
  const outOfFold = l2Grid.map(() => new Float64Array(rows * classes));
  const baselineProbabilities = new Float64Array(rows * classes);
  let unconvergedFits = 0;

  for (let fold = 0; fold < folds; fold += 1) {
    const training = trainingRows(data, foldOf, fold);
    const shares = smoothedClassShares(training.labels, classes);
    let start: SoftmaxModel | undefined;
    for (const gridIndex of largestFirst) {
      const fit = fitSoftmaxRegression(training, { l2: l2Grid[gridIndex], maxIterations, start });
      start = fit.model;
      if (!fit.converged) unconvergedFits += 1;
      const probabilities = outOfFold[gridIndex];
      for (let row = 0; row < rows; row += 1) if (foldOf[row] === fold) predictInto(fit.model, data.features, row, probabilities, row * classes);
    }
    for (let row = 0; row < rows; row += 1) if (foldOf[row] === fold) baselineProbabilities.set(shares, row * classes);
  }

  const reports = outOfFold.map((probabilities) => reportFromProbabilities(data.labels, probabilities, classes));
  const grid = l2Grid.map((l2, index) => ({ l2, logLoss: reports[index].logLoss ?? Infinity, accuracy: reports[index].accuracy }));
  let chosen = largestFirst[0];
  for (const gridIndex of largestFirst) {
    const best = grid[chosen].logLoss;
    // Losses equal up to summation rounding count as a tie, which the larger l2 (visited first) keeps.
    if (grid[gridIndex].logLoss < best - 1e-12 * Math.abs(best)) chosen = gridIndex;
  }
  return {
    chosenL2: l2Grid[chosen],
    grid,
    foldOf,
    outOfFoldProbabilities: outOfFold[chosen],
    report: reports[chosen],
    baseline: reportFromProbabilities(data.labels, baselineProbabilities, classes),
    unconvergedFits,
  };

  function trainingRows(source: TrainingData, assignment: Int32Array, heldOut: number): TrainingData {
    let count = 0;
    for (let row = 0; row < rows; row += 1) if (assignment[row] !== heldOut) count += 1;
    const features = new Float64Array(count * columns);
    const labels = new Int32Array(count);
    let target = 0;
    for (let row = 0; row < rows; row += 1) {
      if (assignment[row] === heldOut) continue;
      for (let column = 0; column < columns; column += 1) features[target * columns + column] = source.features[row * columns + column];
      labels[target] = source.labels[row];
      target += 1;
    }
    return { features, rows: count, columns, labels, classes };
  }
}

function assertValidGrid(l2Grid: readonly number[]): void {
  if (l2Grid.length === 0) throw new RangeError('l2Grid must hold at least one value');
  const seen = new Set<number>();
  l2Grid.forEach((l2, index) => {
    if (!Number.isFinite(l2) || l2 <= 0) throw new RangeError(`l2Grid[${index}] = ${l2} must be a finite number > 0`);
    if (seen.has(l2)) throw new RangeError(`l2Grid[${index}] = ${l2} appears more than once`);
    seen.add(l2);
  });
}

/** (count + 1) / (rows + classes) per class: the +1 keeps the baseline's log-loss finite when a class is missing from a fold. */
function smoothedClassShares(labels: Int32Array, classes: number): Float64Array {
  const shares = new Float64Array(classes).fill(1);
  for (let row = 0; row < labels.length; row += 1) shares[labels[row]] += 1;
  for (let classIndex = 0; classIndex < classes; classIndex += 1) shares[classIndex] /= labels.length + classes;
  return shares;
}
