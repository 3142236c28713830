import { assertLabelsInRange } from './training-data.validation';

/** One bin of a reliability diagram over the top predicted probability. */
export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface ClassificationReport {
  readonly rows: number;
  readonly accuracy: number;
  /** Unweighted mean of per-class F1, leaving out classes that neither occur nor are ever predicted. */
  readonly macroF1: number;
  /** Mean −ln p(true class), probabilities clipped to [1e-15, 1]; null when only hard predictions were given. */
  readonly logLoss: number | null;
  /** [actual][predicted] counts. */
  readonly confusionMatrix: number[][];
  readonly perClass: ClassMetrics[];
  /** 10 equal-width bins over [0, 1] by the top probability; empty bins omitted; [] for hard predictions. */
  readonly calibration: CalibrationBin[];
}

// Clipping keeps one confidently wrong row from making the mean infinite, the usual convention (as in scikit-learn).
const SMALLEST_PROBABILITY = 1e-15;
const CALIBRATION_BINS = 10;
// Probabilities computed as exp(·)/Σexp(·) can exceed 1 by an ulp or so; anything more is a caller's mistake.
const PROBABILITY_SLACK = 1e-9;

/**
 * Scores probabilistic predictions (rows × classes, row-major). The predicted class of a row is its
 * most probable class; on a tie the lowest class index wins, so results never depend on iteration
 * order. Probabilities are used as given, not renormalised.
 */
export function reportFromProbabilities(labels: Int32Array, probabilities: Float64Array, classes: number): ClassificationReport {
  const rows = assertShape(labels, classes);
  if (probabilities.length !== rows * classes) {
    throw new RangeError(`probabilities has ${probabilities.length} values but ${rows} rows × ${classes} classes need ${rows * classes}`);
  }
  const predicted = new Int32Array(rows);
  const binCounts = new Float64Array(CALIBRATION_BINS);
  const binPredicted = new Float64Array(CALIBRATION_BINS);
  const binCorrect = new Float64Array(CALIBRATION_BINS);
  let negativeLogLikelihood = 0;
  for (let row = 0; row < rows; row += 1) {
    const rowStart = row * classes;
    let best = 0;
    for (let classIndex = 0; classIndex < classes; classIndex += 1) {
      const probability = probabilities[rowStart + classIndex];
      if (!(probability >= 0 && probability <= 1 + PROBABILITY_SLACK)) {
        throw new RangeError(`probabilities[${rowStart + classIndex}] (row ${row}, class ${classIndex}) = ${probability} is not a probability`);
      }
      if (probability > probabilities[rowStart + best]) best = classIndex;
    }
    predicted[row] = best;
    const trueProbability = Math.min(Math.max(probabilities[rowStart + labels[row]], SMALLEST_PROBABILITY), 1);
    negativeLogLikelihood -= Math.log(trueProbability);
    const top = Math.min(probabilities[rowStart + best], 1);
    const bin = Math.min(Math.floor(top * CALIBRATION_BINS), CALIBRATION_BINS - 1);
    binCounts[bin] += 1;
    binPredicted[bin] += top;
    if (best === labels[row]) binCorrect[bin] += 1;
  }
  const calibration: CalibrationBin[] = [];
  for (let bin = 0; bin < CALIBRATION_BINS; bin += 1) {
    const count = binCounts[bin];
    if (count === 0) continue;
    calibration.push({
      from: bin / CALIBRATION_BINS,
      to: (bin + 1) / CALIBRATION_BINS,
      count,
      meanPredicted: binPredicted[bin] / count,
      observedRate: binCorrect[bin] / count,
    });
  }
  return { ...hardPredictionReport(labels, predicted, classes), logLoss: negativeLogLikelihood / rows, calibration };
}

/** Scores hard class predictions; log-loss and calibration need probabilities, so they are null and []. */
export function reportFromPredictions(labels: Int32Array, predicted: Int32Array, classes: number): ClassificationReport {
  const rows = assertShape(labels, classes);
  if (predicted.length !== rows) throw new RangeError(`predicted has ${predicted.length} entries but labels has ${rows}`);
  for (let row = 0; row < rows; row += 1) {
    if (predicted[row] < 0 || predicted[row] >= classes) throw new RangeError(`predicted[${row}] = ${predicted[row]} is outside [0, ${classes})`);
  }
  return hardPredictionReport(labels, predicted, classes);
}

function assertShape(labels: Int32Array, classes: number): number {
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`classes must be a positive whole number (got ${classes})`);
  if (labels.length === 0) throw new RangeError('at least one row is needed to score predictions');
  assertLabelsInRange(labels, classes, labels.length);
  return labels.length;
}

function hardPredictionReport(labels: Int32Array, predicted: Int32Array, classes: number): ClassificationReport {
  const rows = labels.length;
  const confusionMatrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let row = 0; row < rows; row += 1) {
    confusionMatrix[labels[row]][predicted[row]] += 1;
    if (labels[row] === predicted[row]) correct += 1;
  }
  const perClass: ClassMetrics[] = [];
  let f1Total = 0;
  let classesInMean = 0;
  for (let classIndex = 0; classIndex < classes; classIndex += 1) {
    const truePositives = confusionMatrix[classIndex][classIndex];
    const support = confusionMatrix[classIndex].reduce((sum, count) => sum + count, 0);
    const predictions = confusionMatrix.reduce((sum, actualRow) => sum + actualRow[classIndex], 0);
    // 0 rather than NaN for an empty denominator, matching scikit-learn's zero_division=0.
    const precision = predictions === 0 ? 0 : truePositives / predictions;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support });
    // A class absent from both truth and predictions says nothing about the model, so it must not drag the mean down.
    if (support > 0 || predictions > 0) {
      f1Total += f1;
      classesInMean += 1;
    }
  }
  return { rows, accuracy: correct / rows, macroF1: f1Total / classesInMean, logLoss: null, confusionMatrix, perClass, calibration: [] };
}
