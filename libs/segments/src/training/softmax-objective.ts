import { addScaled, dotProduct } from './dense-kernels';
import type { LbfgsObjective } from './lbfgs.optimizer';

/** A softmax regression problem on features that are already standardised. */
export interface SoftmaxProblem {
  /** rows × columns, row-major. */
  readonly features: Float64Array;
  readonly rows: number;
  readonly columns: number;
  readonly labels: Int32Array;
  readonly classes: number;
  /** Weight of the (l2 / 2)·‖W‖² penalty; intercepts are not penalised. */
  readonly l2: number;
}

/** Length of the parameter vector: classes × columns coefficients (row-major by class), then classes intercepts. */
export function softmaxParameterCount(classes: number, columns: number): number {
  return classes * (columns + 1);
}

/**
 * The training objective: mean cross-entropy over the rows plus (l2 / 2)·‖W‖², with its gradient
 * (mean of (p − onehot(y))·xᵀ, plus l2·W). One pass over the rows computes both, since L-BFGS
 * always wants them together. Buffers are allocated once here, not per call.
 */
export function createSoftmaxObjective(problem: SoftmaxProblem): LbfgsObjective {
  const { features, rows, columns, labels, classes, l2 } = problem;
  const interceptStart = classes * columns;
  const logits = new Float64Array(classes);
  const inverseRows = 1 / rows;

  return (parameters, gradientOut) => {
    gradientOut.fill(0);
    let crossEntropy = 0;
    for (let row = 0; row < rows; row += 1) {
      const rowStart = row * columns;
      let largest = -Infinity;
      for (let classIndex = 0; classIndex < classes; classIndex += 1) {
        const logit = parameters[interceptStart + classIndex] + dotProduct(parameters, classIndex * columns, features, rowStart, columns);
        logits[classIndex] = logit;
        if (logit > largest) largest = logit;
      }
      const label = labels[row];
      // Taken from the logit, not the exponentiated weight, which can underflow to 0 on a confident miss.
      const labelLogit = logits[label] - largest;
      let total = 0;
      for (let classIndex = 0; classIndex < classes; classIndex += 1) {
        const weight = Math.exp(logits[classIndex] - largest);
        logits[classIndex] = weight;
        total += weight;
      }
      crossEntropy += Math.log(total) - labelLogit;
      const normaliser = 1 / total;
      for (let classIndex = 0; classIndex < classes; classIndex += 1) {
        const residual = logits[classIndex] * normaliser - (classIndex === label ? 1 : 0);
        gradientOut[interceptStart + classIndex] += residual;
        addScaled(gradientOut, classIndex * columns, features, rowStart, columns, residual);
      }
    }

    let penalty = 0;
    for (let index = 0; index < interceptStart; index += 1) {
      const coefficient = parameters[index];
      penalty += coefficient * coefficient;
      gradientOut[index] = gradientOut[index] * inverseRows + l2 * coefficient;
    }
    for (let index = interceptStart; index < gradientOut.length; index += 1) gradientOut[index] *= inverseRows;
    return crossEntropy * inverseRows + 0.5 * l2 * penalty;
  };
}
