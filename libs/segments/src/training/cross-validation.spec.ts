import { crossValidate, stratifiedFolds, type CrossValidationOptions } from './cross-validation';
import { predictInto } from './softmax-model';
import { fitSoftmaxRegression } from './softmax-regression.trainer';
import { modelOf, sampleFromSoftmax, sampleNoise } from './synthetic-data.fixture';
import type { TrainingData } from './training-data';

const LEARNABLE = sampleFromSoftmax(
  modelOf(
    [
      [1, -1, 0, 0.5, 0],
      [-0.5, 1, 1, 0, 0],
      [0, 0, -1, -0.5, 0],
    ],
    [0, 0.3, -0.2],
  ),
  1500,
  99,
);
const GRID = [10, 1, 0.1, 0.01, 0.001];
const OPTIONS: CrossValidationOptions = { folds: 5, seed: 7, l2Grid: GRID };

function countsByFold(foldOf: Int32Array, labels: Int32Array, classes: number, folds: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(folds).fill(0));
  foldOf.forEach((fold, row) => (counts[labels[row]][fold] += 1));
  return counts;
}

describe('stratifiedFolds', () => {
  const labels = Int32Array.from({ length: 103 }, (_, row) => (row < 60 ? 0 : row < 97 ? 1 : 2));

  it('should spread each class evenly over the folds and keep fold sizes within one row', () => {
    const foldOf = stratifiedFolds(labels, 3, 5, 1);
    const counts = countsByFold(foldOf, labels, 3, 5);
    for (const classCounts of counts) expect(Math.max(...classCounts) - Math.min(...classCounts)).toBeLessThanOrEqual(1);
    const sizes = [0, 1, 2, 3, 4].map((fold) => counts.reduce((sum, classCounts) => sum + classCounts[fold], 0));
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('should accept a class with fewer rows than folds', () => {
    // Class 2 has 6 rows but 10 folds: some folds simply get none of it.
    const foldOf = stratifiedFolds(labels, 3, 10, 1);
    expect(countsByFold(foldOf, labels, 3, 10)[2].reduce((sum, count) => sum + count, 0)).toBe(6);
  });

  it('should give the same folds for the same seed and different folds for a different seed', () => {
    const first = stratifiedFolds(labels, 3, 5, 1);
    expect(Array.from(stratifiedFolds(labels, 3, 5, 1))).toEqual(Array.from(first));
    expect(Array.from(stratifiedFolds(labels, 3, 5, 2))).not.toEqual(Array.from(first));
  });

  it('should shuffle rows rather than deal them in index order', () => {
    const foldOf = stratifiedFolds(labels, 3, 5, 1);
    const inOrder = Array.from(labels, (_, row) => row % 5);
    expect(Array.from(foldOf.slice(0, 60))).not.toEqual(inOrder.slice(0, 60));
  });

  it('should refuse bad arguments', () => {
    expect(() => stratifiedFolds(labels, 3, 1, 1)).toThrow('folds must be between 2 and the number of rows (got 1)');
    expect(() => stratifiedFolds(labels, 3, 104, 1)).toThrow('folds must be between 2 and the number of rows (got 104); there are 103 rows');
    expect(() => stratifiedFolds(labels, 3, 5, -1)).toThrow('seed must be a whole number in [0, 2^32) (got -1)');
    expect(() => stratifiedFolds(labels, 2, 5, 1)).toThrow('labels[97] = 2 is outside [0, 2)');
  });
});

describe('crossValidate', () => {
  const result = crossValidate(LEARNABLE, OPTIONS);

  it('should count the fits that did not converge', () => {
    expect(result.unconvergedFits).toBe(0);
    const rushed = crossValidate(LEARNABLE, { ...OPTIONS, maxIterations: 1 });
    expect(rushed.unconvergedFits).toBe(OPTIONS.folds * GRID.length);
  });

  it('should beat the majority-class baseline by a wide margin on learnable data', () => {
    expect(result.report.logLoss as number).toBeLessThan((result.baseline.logLoss as number) - 0.15);
    expect(result.report.accuracy).toBeGreaterThan(result.baseline.accuracy + 0.15);
  });

  it('should not meaningfully beat the baseline when the labels are noise', () => {
    // 40 columns for 600 rows: scored on its own training rows the least regularised fit gains about 0.06 in
    // log-loss over the baseline, so an evaluation that leaked rows into their own model would show it.
    const noise = sampleNoise(600, 40, 3, 5);
    const noiseResult = crossValidate(noise, OPTIONS);
    expect(noiseResult.report.logLoss as number).toBeGreaterThan((noiseResult.baseline.logLoss as number) - 0.02);
    expect(noiseResult.report.accuracy).toBeLessThan(noiseResult.baseline.accuracy + 0.05);
  });

  it('should choose the grid value with the lowest out-of-fold log-loss and report on it', () => {
    expect(result.grid.map((entry) => entry.l2)).toEqual(GRID);
    const best = Math.min(...result.grid.map((entry) => entry.logLoss));
    const chosen = result.grid.find((entry) => entry.l2 === result.chosenL2);
    expect(chosen?.logLoss).toBe(best);
    expect(result.report.logLoss).toBe(best);
    expect(result.report.accuracy).toBe(chosen?.accuracy);
    // The strongest penalty (10) squeezes the model towards the class shares, so it must lose on learnable data.
    expect(result.chosenL2).not.toBe(10);
    expect(result.grid[0].logLoss).toBeGreaterThan(best + 0.05);
  });

  it('should predict each row from a model that never saw it', () => {
    // Refit one fold by hand, on every other fold's rows, with the same warm-started path down to the chosen l2.
    const heldOut = 2;
    const trainingRows = Array.from({ length: LEARNABLE.rows }, (_, row) => row).filter((row) => result.foldOf[row] !== heldOut);
    const features = new Float64Array(trainingRows.length * LEARNABLE.columns);
    trainingRows.forEach((row, index) =>
      features.set(LEARNABLE.features.subarray(row * LEARNABLE.columns, (row + 1) * LEARNABLE.columns), index * LEARNABLE.columns),
    );
    const training: TrainingData = { ...LEARNABLE, features, rows: trainingRows.length, labels: Int32Array.from(trainingRows, (row) => LEARNABLE.labels[row]) };
    let model = fitSoftmaxRegression(training, { l2: GRID[0] }).model;
    for (const l2 of GRID.slice(1).filter((value) => value >= result.chosenL2)) model = fitSoftmaxRegression(training, { l2, start: model }).model;
    const probabilities = new Float64Array(3);
    for (let row = 0; row < LEARNABLE.rows; row += 1) {
      if (result.foldOf[row] !== heldOut) continue;
      predictInto(model, LEARNABLE.features, row, probabilities);
      for (let classIndex = 0; classIndex < 3; classIndex += 1) expect(result.outOfFoldProbabilities[row * 3 + classIndex]).toBe(probabilities[classIndex]);
    }
  });

  it('should score the baseline with the smoothed class shares of each training fold', () => {
    // Class 0 has rows in folds 0, 1, 0, 1 and class 1 in folds 0, 1, so every training fold holds two 0s and one 1:
    // shares (2 + 1) / (3 + 2) = 0.6 and (1 + 1) / 5 = 0.4, and the baseline always predicts class 0.
    const tiny: TrainingData = { features: Float64Array.of(1, 2, 3, 4, 5, 6), rows: 6, columns: 1, labels: Int32Array.of(0, 0, 0, 0, 1, 1), classes: 2 };
    const { baseline } = crossValidate(tiny, { folds: 2, seed: 3, l2Grid: [1] });
    expect(baseline.accuracy).toBeCloseTo(4 / 6, 15);
    expect(baseline.logLoss).toBeCloseTo(-(4 * Math.log(0.6) + 2 * Math.log(0.4)) / 6, 14);
  });

  it('should break a tie in log-loss towards the larger l2', () => {
    // With only a constant column every l2 gives the same intercept-only model, so all grid losses are equal.
    const constant: TrainingData = { ...LEARNABLE, features: new Float64Array(LEARNABLE.rows).fill(2), columns: 1 };
    const tied = crossValidate(constant, { folds: 3, seed: 1, l2Grid: [0.01, 5, 0.5] });
    expect(new Set(tied.grid.map((entry) => entry.logLoss)).size).toBe(1);
    expect(tied.chosenL2).toBe(5);
  });

  it('should give identical results for the same seed and different folds for a different seed', () => {
    const again = crossValidate(LEARNABLE, OPTIONS);
    expect(Array.from(again.foldOf)).toEqual(Array.from(result.foldOf));
    expect(again.chosenL2).toBe(result.chosenL2);
    expect(again.report).toEqual(result.report);
    expect(Array.from(again.outOfFoldProbabilities)).toEqual(Array.from(result.outOfFoldProbabilities));
    const reseeded = crossValidate(LEARNABLE, { ...OPTIONS, seed: 8 });
    expect(Array.from(reseeded.foldOf)).not.toEqual(Array.from(result.foldOf));
  });

  it('should refuse invalid options with a message naming the problem', () => {
    const check = (options: Partial<CrossValidationOptions>, message: string): void =>
      expect(() => crossValidate(LEARNABLE, { ...OPTIONS, ...options })).toThrow(message);
    check({ folds: 1 }, 'folds must be between 2 and the number of rows (got 1)');
    check({ folds: 21 }, 'folds must be between 2 and 20 (got 21)');
    check({ folds: 2.5 }, 'folds must be between 2 and the number of rows (got 2.5)');
    check({ l2Grid: [] }, 'l2Grid must hold at least one value');
    check({ l2Grid: [1, 0] }, 'l2Grid[1] = 0 must be a finite number > 0');
    check({ l2Grid: [1, 0.1, 1] }, 'l2Grid[2] = 1 appears more than once');
    check({ seed: 0.5 }, 'seed must be a whole number in [0, 2^32) (got 0.5)');
    check({ maxIterations: 0 }, 'maxIterations must be a positive whole number (got 0)');
    const fewRows: TrainingData = { features: Float64Array.of(1, 2, 3), rows: 3, columns: 1, labels: Int32Array.of(0, 1, 0), classes: 2 };
    expect(() => crossValidate(fewRows, { ...OPTIONS, folds: 4 })).toThrow('folds must be between 2 and the number of rows (got 4); there are 3 rows');
    const badLabel: TrainingData = { ...LEARNABLE, labels: Int32Array.from(LEARNABLE.labels, (label, row) => (row === 12 ? 7 : label)), classes: 4 };
    expect(() => crossValidate(badLabel, OPTIONS)).toThrow('labels[12] = 7 is outside [0, 4)');
  });
});
