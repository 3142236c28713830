import { predictAll, type SoftmaxModel } from './softmax-model';
import { fitSoftmaxRegression } from './softmax-regression.trainer';
import { modelOf, sampleFromSoftmax } from './synthetic-data.fixture';
import type { TrainingData } from './training-data';

const COLUMN_SCALES = [1, 2, 0.5, 1, 3];
const COLUMN_OFFSETS = [0, 10, -3, 0, 100];
const COEFFICIENTS = [
  [0.4, 0, -0.3, 0.2, 0],
  [1.4, -0.5, 0.5, 0.2, 0.3],
  [-0.3, 0.6, -0.3, 1.4, -0.4],
];
// Intercepts chosen so the logits at the column means are 0.2, 0.5 and 0: the offsets must not make one class certain.
const TRUTH = modelOf(
  COEFFICIENTS,
  [0.2, 0.5, 0].map(
    (atMeans, classIndex) => atMeans - COEFFICIENTS[classIndex].reduce((sum, coefficient, column) => sum + coefficient * COLUMN_OFFSETS[column], 0),
  ),
);

/** Logit of class `classIndex` minus that of class 0 for coefficient `column` (or the intercept when column is null): the identified quantities. */
function contrast(model: SoftmaxModel, classIndex: number, column: number | null): number {
  if (column === null) return model.intercepts[classIndex] - model.intercepts[0];
  return model.coefficients[classIndex * model.columns + column] - model.coefficients[column];
}

function withColumnScaled(data: TrainingData, column: number, factor: number): TrainingData {
  const features = Float64Array.from(data.features);
  for (let row = 0; row < data.rows; row += 1) features[row * data.columns + column] *= factor;
  return { ...data, features };
}

function largestDifference(left: Float64Array, right: Float64Array): number {
  let largest = 0;
  for (let index = 0; index < left.length; index += 1) largest = Math.max(largest, Math.abs(left[index] - right[index]));
  return largest;
}

describe('fitSoftmaxRegression', () => {
  const data = sampleFromSoftmax(TRUTH, 20_000, 2024, COLUMN_SCALES, COLUMN_OFFSETS);

  it('should recover the logit differences of the model the data was drawn from', () => {
    const { model, converged } = fitSoftmaxRegression(data, { l2: 1e-6 });
    expect(converged).toBe(true);
    for (const classIndex of [1, 2]) {
      for (let column = 0; column < TRUTH.columns; column += 1) {
        // Compared per standard deviation of the column, where 20,000 rows give a standard error of about 0.03.
        const error = (contrast(model, classIndex, column) - contrast(TRUTH, classIndex, column)) * COLUMN_SCALES[column];
        expect(Math.abs(error)).toBeLessThan(0.1);
      }
    }
  });

  it('should predict probabilities close to the true ones', () => {
    const { model } = fitSoftmaxRegression(data, { l2: 1e-6 });
    const predicted = predictAll(model, data.features);
    let totalError = 0;
    for (let index = 0; index < predicted.length; index += 1) totalError += Math.abs(predicted[index] - data.trueProbabilities[index]);
    expect(totalError / predicted.length).toBeLessThan(0.01);
  });

  it('should make the same predictions when a column is measured in units 1000 times smaller', () => {
    const options = { l2: 0.05, tolerance: 1e-9 };
    const original = fitSoftmaxRegression(data, options);
    const rescaledData = withColumnScaled(data, 2, 1000);
    const rescaled = fitSoftmaxRegression(rescaledData, options);
    expect(largestDifference(predictAll(original.model, data.features), predictAll(rescaled.model, rescaledData.features))).toBeLessThan(1e-6);
    expect(contrast(rescaled.model, 1, 2)).toBeCloseTo(contrast(original.model, 1, 2) / 1000, 9);
  });

  it('should shrink coefficients towards zero as l2 grows', () => {
    const weak = fitSoftmaxRegression(data, { l2: 1e-4 });
    const strong = fitSoftmaxRegression(data, { l2: 100 });
    const norm = (model: SoftmaxModel): number => Math.sqrt(model.coefficients.reduce((sum, coefficient) => sum + coefficient * coefficient, 0));
    expect(norm(strong.model)).toBeLessThan(0.05 * norm(weak.model));
  });

  it('should leave intercepts unpenalised, so mean predicted probabilities equal the class shares at any l2', () => {
    // At the optimum the intercept gradient, mean(p − onehot(y)), is zero; a penalty on intercepts would break this.
    const shares = [0, 1, 2].map((classIndex) => data.labels.filter((label) => label === classIndex).length / data.rows);
    for (const l2 of [1e-4, 100]) {
      const predicted = predictAll(fitSoftmaxRegression(data, { l2 }).model, data.features);
      for (let classIndex = 0; classIndex < 3; classIndex += 1) {
        let total = 0;
        for (let row = 0; row < data.rows; row += 1) total += predicted[row * 3 + classIndex];
        expect(Math.abs(total / data.rows - shares[classIndex])).toBeLessThan(1e-5);
      }
    }
  });

  it('should give a constant column zero coefficients and otherwise ignore it', () => {
    const columns = data.columns + 1;
    const features = new Float64Array(data.rows * columns);
    for (let row = 0; row < data.rows; row += 1) {
      features.set(data.features.subarray(row * data.columns, (row + 1) * data.columns), row * columns);
      features[row * columns + data.columns] = 7.25;
    }
    const widened = fitSoftmaxRegression({ ...data, features, columns }, { l2: 0.01, tolerance: 1e-9 });
    const plain = fitSoftmaxRegression(data, { l2: 0.01, tolerance: 1e-9 });
    for (let classIndex = 0; classIndex < data.classes; classIndex += 1) expect(widened.model.coefficients[classIndex * columns + data.columns]).toBe(0);
    expect(largestDifference(predictAll(widened.model, features), predictAll(plain.model, data.features))).toBeLessThan(1e-7);
  });

  it('should reach the same solution from a warm start at a neighbouring l2, in fewer iterations', () => {
    const previous = fitSoftmaxRegression(data, { l2: 0.012 });
    const cold = fitSoftmaxRegression(data, { l2: 0.01, tolerance: 1e-8 });
    const warm = fitSoftmaxRegression(data, { l2: 0.01, tolerance: 1e-8, start: previous.model });
    expect(warm.converged).toBe(true);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(warm.loss).toBeCloseTo(cold.loss, 10);
    expect(largestDifference(predictAll(warm.model, data.features), predictAll(cold.model, data.features))).toBeLessThan(1e-6);
  });

  it('should start from the given model: a start that is already optimal needs no iterations', () => {
    const fitted = fitSoftmaxRegression(data, { l2: 0.01 });
    const again = fitSoftmaxRegression(data, { l2: 0.01, start: fitted.model });
    expect(again.iterations).toBe(0);
    expect(largestDifference(again.model.coefficients, fitted.model.coefficients)).toBeLessThan(1e-9);
  });

  it('should be deterministic', () => {
    const first = fitSoftmaxRegression(data, { l2: 0.01 });
    const second = fitSoftmaxRegression(data, { l2: 0.01 });
    expect(Array.from(second.model.coefficients)).toEqual(Array.from(first.model.coefficients));
    expect(Array.from(second.model.intercepts)).toEqual(Array.from(first.model.intercepts));
  });

  it('should refuse invalid data and options with a message naming the problem', () => {
    const small: TrainingData = { features: Float64Array.of(1, 2, 3, 4), rows: 2, columns: 2, labels: Int32Array.of(0, 1), classes: 2 };
    expect(() => fitSoftmaxRegression({ ...small, labels: Int32Array.of(0, 2) }, { l2: 1 })).toThrow('labels[1] = 2 is outside [0, 2)');
    expect(() => fitSoftmaxRegression({ ...small, features: Float64Array.of(1, 2, NaN, 4) }, { l2: 1 })).toThrow('features[2] (row 1, column 0) is NaN');
    expect(() => fitSoftmaxRegression({ ...small, rows: 3 }, { l2: 1 })).toThrow('features has 4 values but rows × columns = 3 × 2 = 6');
    expect(() => fitSoftmaxRegression(small, { l2: -1 })).toThrow('l2 must be a finite number ≥ 0 (got -1)');
    expect(() => fitSoftmaxRegression(small, { l2: 1, start: TRUTH })).toThrow('start model is 3 classes × 5 columns but the data is 2 × 2');
  });
});
