import { minimizeLbfgs, type LbfgsObjective } from './lbfgs.optimizer';

/** Σ 100·(x[2i+1] − x[2i]²)² + (1 − x[2i])², minimum 0 at all ones. */
const extendedRosenbrock: LbfgsObjective = (x, gradientOut) => {
  gradientOut.fill(0);
  let value = 0;
  for (let index = 0; index < x.length; index += 2) {
    const valley = x[index + 1] - x[index] * x[index];
    const offset = 1 - x[index];
    value += 100 * valley * valley + offset * offset;
    gradientOut[index] = -400 * x[index] * valley - 2 * offset;
    gradientOut[index + 1] = 200 * valley;
  }
  return value;
};

/**
 * ½(x − c)ᵀA(x − c) with A = H·diag(λ)·H, H a Householder reflection (so A is not diagonal and
 * the coordinates are coupled) and λ spread log-uniformly over [1, 1e4].
 */
function illConditionedQuadratic(size: number): { objective: LbfgsObjective; optimum: Float64Array } {
  const eigenvalues = Float64Array.from({ length: size }, (_, index) => 10 ** ((4 * index) / (size - 1)));
  const reflector = Float64Array.from({ length: size }, (_, index) => Math.sin(index + 1));
  const reflectorNorm = Math.sqrt(reflector.reduce((sum, entry) => sum + entry * entry, 0));
  reflector.forEach((entry, index) => (reflector[index] = entry / reflectorNorm));
  const optimum = Float64Array.from({ length: size }, (_, index) => (index % 3) - 1 + index / size);
  const reflect = (vector: Float64Array): Float64Array => {
    const projection = vector.reduce((sum, entry, index) => sum + entry * reflector[index], 0);
    return vector.map((entry, index) => entry - 2 * projection * reflector[index]);
  };
  const objective: LbfgsObjective = (x, gradientOut) => {
    const rotated = reflect(x.map((entry, index) => entry - optimum[index]));
    const scaled = rotated.map((entry, index) => entry * eigenvalues[index]);
    gradientOut.set(reflect(scaled));
    return 0.5 * rotated.reduce((sum, entry, index) => sum + entry * scaled[index], 0);
  };
  return { objective, optimum };
}

describe('minimizeLbfgs', () => {
  it('should find the minimum of the two-dimensional Rosenbrock function from the classic start', () => {
    const result = minimizeLbfgs(extendedRosenbrock, Float64Array.of(-1.2, 1), { gradientTolerance: 1e-10, relativeTolerance: 0 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
    // A working quasi-Newton method needs a few dozen steps here; steepest descent needs thousands.
    expect(result.iterations).toBeLessThan(100);
  });

  it('should find the minimum of a 20-dimensional extended Rosenbrock function', () => {
    const start = Float64Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? -1.2 : 1));
    const result = minimizeLbfgs(extendedRosenbrock, start, { gradientTolerance: 1e-9, relativeTolerance: 0, maxIterations: 1000 });
    expect(result.converged).toBe(true);
    for (const coordinate of result.x) expect(coordinate).toBeCloseTo(1, 5);
  });

  it('should find the minimum of a coupled quadratic with condition number 1e4', () => {
    const { objective, optimum } = illConditionedQuadratic(20);
    // The loss-change rule alone would stop near f ≈ 1e-12, i.e. |x − c| ≈ 1e-6; this checks the gradient rule gets further.
    const result = minimizeLbfgs(objective, new Float64Array(20), { gradientTolerance: 1e-9, relativeTolerance: 0, maxIterations: 2000 });
    expect(result.converged).toBe(true);
    const largestError = Math.max(...result.x.map((coordinate, index) => Math.abs(coordinate - optimum[index])));
    // The smallest eigenvalue is 1, so a gradient of at most 1e-9 per coordinate bounds the error near 1e-9·√20.
    expect(largestError).toBeLessThan(1e-8);
  });

  it('should back off from steps where the objective is not finite', () => {
    // Σ (x − ln x) has its minimum at x = 1 and is undefined for x ≤ 0, where a full first step lands.
    let undefinedEvaluations = 0;
    const barrier: LbfgsObjective = (x, gradientOut) => {
      let value = 0;
      for (let index = 0; index < x.length; index += 1) {
        value += x[index] > 0 ? x[index] - Math.log(x[index]) : NaN;
        gradientOut[index] = 1 - 1 / x[index];
      }
      if (Number.isNaN(value)) undefinedEvaluations += 1;
      return value;
    };
    const result = minimizeLbfgs(barrier, Float64Array.of(30, 0.05, 4), { gradientTolerance: 1e-10, relativeTolerance: 0 });
    expect(undefinedEvaluations).toBeGreaterThan(0);
    expect(result.converged).toBe(true);
    for (const coordinate of result.x) expect(coordinate).toBeCloseTo(1, 8);
  });

  it('should stop at maxIterations and report that it did not converge', () => {
    const result = minimizeLbfgs(extendedRosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 3 });
    expect(result.iterations).toBe(3);
    expect(result.converged).toBe(false);
    expect(result.value).toBeLessThan(extendedRosenbrock(Float64Array.of(-1.2, 1), new Float64Array(2)));
  });

  it('should return the start unchanged, after one evaluation, when it already meets the tolerance', () => {
    const start = Float64Array.of(1, 1);
    const result = minimizeLbfgs(extendedRosenbrock, start);
    expect(result).toMatchObject({ iterations: 0, converged: true, evaluations: 1, value: 0 });
    expect(Array.from(result.x)).toEqual([1, 1]);
  });

  it('should not modify the start vector', () => {
    const start = Float64Array.of(-1.2, 1);
    minimizeLbfgs(extendedRosenbrock, start);
    expect(Array.from(start)).toEqual([-1.2, 1]);
  });

  it('should give identical results on identical calls', () => {
    const first = minimizeLbfgs(extendedRosenbrock, Float64Array.of(-1.2, 1), { historySize: 3 });
    const second = minimizeLbfgs(extendedRosenbrock, Float64Array.of(-1.2, 1), { historySize: 3 });
    expect(Array.from(second.x)).toEqual(Array.from(first.x));
    expect(second.iterations).toBe(first.iterations);
  });

  it('should refuse invalid options and a start where the objective is not finite', () => {
    expect(() => minimizeLbfgs(extendedRosenbrock, Float64Array.of(0, 0), { historySize: 0 })).toThrow(RangeError);
    expect(() => minimizeLbfgs(extendedRosenbrock, Float64Array.of(0, 0), { maxIterations: -1 })).toThrow('maxIterations must be a whole number ≥ 0 (got -1)');
    expect(() => minimizeLbfgs(() => NaN, Float64Array.of(0))).toThrow('the objective is NaN at the start point');
  });
});
