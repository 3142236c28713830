/** Returns f(x) and writes ∇f(x) into gradientOut (same length as x). Must not keep or modify x. */
export type LbfgsObjective = (x: Float64Array, gradientOut: Float64Array) => number;

export interface LbfgsOptions {
  /** Accepted steps before giving up; default 200. */
  maxIterations?: number;
  /** Stop once the largest absolute gradient component is at most this; default 1e-6. */
  gradientTolerance?: number;
  /** Number of (step, gradient change) pairs kept to approximate the inverse Hessian; default 10. */
  historySize?: number;
  /** Stop once a step lowers f by at most this fraction of max(|f|, 1); default 1e-12; 0 turns the rule off. */
  relativeTolerance?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** True when a tolerance was met; false when maxIterations ran out or no step could lower f. */
  converged: boolean;
  /** Objective evaluations, including those inside line searches. */
  evaluations: number;
}

// Strong Wolfe constants usual for quasi-Newton methods (Nocedal & Wright, ch. 3): a loose
// curvature condition lets the unit step be accepted almost always.
const SUFFICIENT_DECREASE = 1e-4;
const CURVATURE = 0.9;
const MAX_LINE_SEARCH_EVALUATIONS = 30;
// Near the optimum, f changes by less than its own rounding error (a sum over many rows), so
// comparing values stalls while the gradient is still informative. Within this share of |f| the
// search trusts slopes instead (Hager and Zhang's approximate Wolfe conditions).
const VALUE_NOISE = 1e-10;

interface TrialPoint {
  step: number;
  value: number;
  slope: number;
}

/**
 * Minimises a smooth function by limited-memory BFGS: the two-loop recursion turns the last
 * `historySize` steps into a quasi-Newton direction, and a strong Wolfe line search (bracketing,
 * then cubic interpolation) picks the step length. The Wolfe curvature condition guarantees
 * sᵀy > 0, which keeps the implied inverse Hessian positive definite. Deterministic; `start` is
 * not modified.
 */
export function minimizeLbfgs(objective: LbfgsObjective, start: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 200;
  const gradientTolerance = options.gradientTolerance ?? 1e-6;
  const historySize = options.historySize ?? 10;
  const relativeTolerance = options.relativeTolerance ?? 1e-12;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new RangeError(`maxIterations must be a whole number ≥ 0 (got ${maxIterations})`);
  if (!(gradientTolerance >= 0)) throw new RangeError(`gradientTolerance must be ≥ 0 (got ${gradientTolerance})`);
  if (!Number.isInteger(historySize) || historySize < 1) throw new RangeError(`historySize must be a whole number ≥ 1 (got ${historySize})`);
  if (!(relativeTolerance >= 0)) throw new RangeError(`relativeTolerance must be ≥ 0 (got ${relativeTolerance})`);

  const size = start.length;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(size);
  let trialX = new Float64Array(size);
  let trialGradient = new Float64Array(size);
  const direction = new Float64Array(size);
  const stepHistory = Array.from({ length: historySize }, () => new Float64Array(size));
  const gradientChangeHistory = Array.from({ length: historySize }, () => new Float64Array(size));
  const inverseCurvature = new Float64Array(historySize);
  const twoLoopCoefficients = new Float64Array(historySize);
  let stored = 0;
  let newest = -1;

  let evaluations = 1;
  let value = objective(x, gradient);
  if (!Number.isFinite(value)) throw new RangeError(`the objective is ${value} at the start point; it must be finite there`);
  if (maxNorm(gradient) <= gradientTolerance) return { x, value, iterations: 0, converged: true, evaluations };

  let trialValue = value;
  const evaluateAt = (step: number): TrialPoint => {
    for (let index = 0; index < size; index += 1) trialX[index] = x[index] + step * direction[index];
    evaluations += 1;
    trialValue = objective(trialX, trialGradient);
    return { step, value: trialValue, slope: dot(trialGradient, direction) };
  };
  const searchFromCurrentPoint = (): boolean => {
    const slope = dot(gradient, direction);
    // Without curvature history the direction's length says nothing about a good step, so start small.
    const initialStep = stored === 0 ? Math.min(1, 1 / Math.sqrt(dot(direction, direction))) : 1;
    return strongWolfeSearch(evaluateAt, { step: 0, value, slope }, initialStep);
  };

  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    computeDirection();
    if (!(dot(gradient, direction) < 0)) {
      // Rounding can make the quasi-Newton direction point uphill; forget the history and go downhill.
      stored = 0;
      computeDirection();
    }
    let accepted = searchFromCurrentPoint();
    if (!accepted && stored > 0) {
      // A stale history can give a direction along which no step helps; steepest descent still may.
      stored = 0;
      computeDirection();
      accepted = searchFromCurrentPoint();
    }
    if (!accepted) return { x, value, iterations: iteration - 1, converged: false, evaluations };

    remember();
    const previousValue = value;
    [x, trialX] = [trialX, x];
    [gradient, trialGradient] = [trialGradient, gradient];
    value = trialValue;
    if (maxNorm(gradient) <= gradientTolerance) return { x, value, iterations: iteration, converged: true, evaluations };
    if (relativeTolerance > 0 && previousValue - value <= relativeTolerance * Math.max(Math.abs(previousValue), Math.abs(value), 1)) {
      return { x, value, iterations: iteration, converged: true, evaluations };
    }
  }
  return { x, value, iterations: maxIterations, converged: false, evaluations };

  /** direction = −H·gradient by the two-loop recursion over the stored pairs, newest first. */
  function computeDirection(): void {
    for (let index = 0; index < size; index += 1) direction[index] = -gradient[index];
    if (stored === 0) return;
    for (let back = 0; back < stored; back += 1) {
      const slot = (newest - back + historySize) % historySize;
      const coefficient = inverseCurvature[slot] * dot(stepHistory[slot], direction);
      twoLoopCoefficients[slot] = coefficient;
      addScaled(direction, gradientChangeHistory[slot], -coefficient);
    }
    // Scaling by sᵀy / yᵀy makes the initial Hessian guess match the newest curvature, so unit steps fit.
    const newestChange = gradientChangeHistory[newest];
    scale(direction, 1 / (inverseCurvature[newest] * dot(newestChange, newestChange)));
    for (let forward = stored - 1; forward >= 0; forward -= 1) {
      const slot = (newest - forward + historySize) % historySize;
      const correction = inverseCurvature[slot] * dot(gradientChangeHistory[slot], direction);
      addScaled(direction, stepHistory[slot], twoLoopCoefficients[slot] - correction);
    }
  }

  /** Stores the accepted step s = trialX − x and y = trialGradient − gradient, unless sᵀy ≤ 0. */
  function remember(): void {
    let curvature = 0;
    for (let index = 0; index < size; index += 1) curvature += (trialX[index] - x[index]) * (trialGradient[index] - gradient[index]);
    // A fallback step that met only sufficient decrease can have sᵀy ≤ 0; storing it would break positive definiteness.
    if (!(curvature > 0) || !Number.isFinite(1 / curvature)) return;
    const slot = (newest + 1) % historySize;
    const step = stepHistory[slot];
    const change = gradientChangeHistory[slot];
    for (let index = 0; index < size; index += 1) {
      step[index] = trialX[index] - x[index];
      change[index] = trialGradient[index] - gradient[index];
    }
    inverseCurvature[slot] = 1 / curvature;
    newest = slot;
    stored = Math.min(stored + 1, historySize);
  }
}

/**
 * Finds a step meeting the strong Wolfe conditions along the current direction (Nocedal & Wright,
 * algorithms 3.5 and 3.6). `evaluateAt` leaves its point in the caller's trial buffers; on success
 * the last evaluation is the accepted point. Falls back to the best sufficient-decrease point when
 * the evaluation budget runs out, and returns false only when no step lowered f at all.
 */
function strongWolfeSearch(evaluateAt: (step: number) => TrialPoint, origin: TrialPoint, initialStep: number): boolean {
  const decreaseBound = (step: number): number => origin.value + SUFFICIENT_DECREASE * step * origin.slope;
  const curvatureBound = -CURVATURE * origin.slope;
  const noiseBound = origin.value + VALUE_NOISE * Math.abs(origin.value);
  // For a quadratic, sufficient decrease is equivalent to slope ≤ (2·c1 − 1)·slope₀, which needs no values.
  const approximatelyWolfe = (point: TrialPoint): boolean =>
    point.value <= noiseBound && point.slope >= CURVATURE * origin.slope && point.slope <= (2 * SUFFICIENT_DECREASE - 1) * origin.slope;
  let previous: TrialPoint = origin;
  let step = initialStep;
  let evaluations = 0;

  while (evaluations < MAX_LINE_SEARCH_EVALUATIONS) {
    evaluations += 1;
    const current = evaluateAt(step);
    const value = current.value;
    if (approximatelyWolfe(current)) return true;
    if (!Number.isFinite(value) || value > decreaseBound(step) || (previous !== origin && value >= previous.value)) return zoom(previous, current);
    if (Math.abs(current.slope) <= curvatureBound) return true;
    if (current.slope >= 0) return zoom(current, previous);
    previous = current;
    step *= 2;
  }
  return fallBackTo(previous);

  function zoom(low: TrialPoint, high: TrialPoint): boolean {
    while (evaluations < MAX_LINE_SEARCH_EVALUATIONS) {
      const width = Math.abs(high.step - low.step);
      if (width <= 1e-16 * Math.max(1, Math.abs(low.step))) break;
      const candidate = interpolate(low, high);
      evaluations += 1;
      const current = evaluateAt(candidate);
      const value = current.value;
      if (approximatelyWolfe(current)) return true;
      if (!Number.isFinite(value) || value > decreaseBound(candidate) || value >= low.value) {
        high = current;
      } else {
        if (Math.abs(current.slope) <= curvatureBound) return true;
        if (current.slope * (high.step - low.step) >= 0) high = low;
        low = current;
      }
    }
    return fallBackTo(low);
  }

  function fallBackTo(point: TrialPoint): boolean {
    if (point.step === 0) return false;
    evaluateAt(point.step);
    return true;
  }
}

/** Minimiser of the cubic through both end points' values and slopes, kept away from the ends; bisection if that fails. */
function interpolate(low: TrialPoint, high: TrialPoint): number {
  const lower = Math.min(low.step, high.step);
  const upper = Math.max(low.step, high.step);
  const margin = 0.1 * (upper - lower);
  const midpoint = 0.5 * (lower + upper);
  if (!Number.isFinite(high.value) || !Number.isFinite(high.slope)) return midpoint;
  const combined = low.slope + high.slope - (3 * (low.value - high.value)) / (low.step - high.step);
  const radicand = combined * combined - low.slope * high.slope;
  if (!(radicand >= 0)) return midpoint;
  const root = Math.sign(high.step - low.step) * Math.sqrt(radicand);
  const step = high.step - ((high.step - low.step) * (high.slope + root - combined)) / (high.slope - low.slope + 2 * root);
  if (!Number.isFinite(step)) return midpoint;
  return Math.min(Math.max(step, lower + margin), upper - margin);
}

function dot(left: Float64Array, right: Float64Array): number {
  let total = 0;
  for (let index = 0; index < left.length; index += 1) total += left[index] * right[index];
  return total;
}

function addScaled(target: Float64Array, source: Float64Array, factor: number): void {
  for (let index = 0; index < target.length; index += 1) target[index] += factor * source[index];
}

function scale(target: Float64Array, factor: number): void {
  for (let index = 0; index < target.length; index += 1) target[index] *= factor;
}

function maxNorm(vector: Float64Array): number {
  let largest = 0;
  for (let index = 0; index < vector.length; index += 1) {
    const magnitude = Math.abs(vector[index]);
    if (magnitude > largest) largest = magnitude;
  }
  return largest;
}
