import { createSoftmaxObjective, softmaxParameterCount, type SoftmaxProblem } from './softmax-objective';
import { seededRandom } from './synthetic-data.fixture';

function smallProblem(): { problem: SoftmaxProblem; parameters: Float64Array } {
  const rows = 30;
  const columns = 4;
  const classes = 3;
  const random = seededRandom(11);
  const features = Float64Array.from({ length: rows * columns }, () => random.normal());
  const labels = Int32Array.from({ length: rows }, () => Math.floor(random.uniform() * classes));
  const parameters = Float64Array.from({ length: softmaxParameterCount(classes, columns) }, () => random.normal());
  return { problem: { features, rows, columns, labels, classes, l2: 0.3 }, parameters };
}

/** The objective written the obvious way, with no log-sum-exp shift: fine for the small logits used here. */
function naiveObjective({ features, rows, columns, labels, classes, l2 }: SoftmaxProblem, parameters: Float64Array): number {
  let crossEntropy = 0;
  for (let row = 0; row < rows; row += 1) {
    const logits = Array.from({ length: classes }, (_, classIndex) => {
      let logit = parameters[classes * columns + classIndex];
      for (let column = 0; column < columns; column += 1) logit += parameters[classIndex * columns + column] * features[row * columns + column];
      return logit;
    });
    const denominator = logits.reduce((sum, logit) => sum + Math.exp(logit), 0);
    crossEntropy -= Math.log(Math.exp(logits[labels[row]]) / denominator);
  }
  let squaredNorm = 0;
  for (let index = 0; index < classes * columns; index += 1) squaredNorm += parameters[index] ** 2;
  return crossEntropy / rows + (l2 / 2) * squaredNorm;
}

describe('createSoftmaxObjective', () => {
  it('should compute mean cross-entropy plus (l2 / 2)·‖W‖², leaving intercepts unpenalised', () => {
    const { problem, parameters } = smallProblem();
    const value = createSoftmaxObjective(problem)(parameters, new Float64Array(parameters.length));
    expect(value).toBeCloseTo(naiveObjective(problem, parameters), 12);
  });

  it('should return a gradient that matches central finite differences', () => {
    const { problem, parameters } = smallProblem();
    const objective = createSoftmaxObjective(problem);
    const gradient = new Float64Array(parameters.length);
    objective(parameters, gradient);
    const scratch = new Float64Array(parameters.length);
    const step = 1e-5;
    for (let index = 0; index < parameters.length; index += 1) {
      const shifted = Float64Array.from(parameters);
      shifted[index] += step;
      const above = objective(shifted, scratch);
      shifted[index] -= 2 * step;
      const below = objective(shifted, scratch);
      const numeric = (above - below) / (2 * step);
      expect(Math.abs(gradient[index] - numeric)).toBeLessThan(1e-8 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('should stay finite when a logit is so large that exp() would overflow', () => {
    const problem: SoftmaxProblem = { features: Float64Array.of(1), rows: 1, columns: 1, labels: Int32Array.of(1), classes: 2, l2: 0 };
    const gradient = new Float64Array(4);
    // Class 0's logit is 1000 and class 1's is 0: the true class has probability e^-1000, so the loss is 1000.
    const value = createSoftmaxObjective(problem)(Float64Array.of(1000, 0, 0, 0), gradient);
    expect(value).toBeCloseTo(1000, 9);
    expect(Array.from(gradient)).toEqual([1, -1, 1, -1]);
  });
});
