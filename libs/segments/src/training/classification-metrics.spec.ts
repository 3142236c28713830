import { reportFromPredictions, reportFromProbabilities } from './classification-metrics';

// Six rows worked by hand. Row 1 is a tie between classes 0 and 1, which class 0 must win.
const LABELS = Int32Array.of(0, 0, 1, 1, 2, 2);
const PROBABILITIES = Float64Array.of(
  ...[0.7, 0.2, 0.1], // predicted 0, right, top 0.7
  ...[0.4, 0.4, 0.2], // predicted 0 (tie), right, top 0.4
  ...[0.3, 0.6, 0.1], // predicted 1, right, top 0.6
  ...[0.5, 0.25, 0.25], // predicted 0, wrong, top 0.5
  ...[0.05, 0.05, 0.9], // predicted 2, right, top 0.9
  ...[0.2, 0.75, 0.05], // predicted 1, wrong, top 0.75
);
const PREDICTED = Int32Array.of(0, 0, 1, 0, 2, 1);

describe('reportFromProbabilities', () => {
  const report = reportFromProbabilities(LABELS, PROBABILITIES, 3);

  it('should count rows by actual and predicted class, breaking ties towards the lowest class', () => {
    expect(report.rows).toBe(6);
    expect(report.confusionMatrix).toEqual([
      [2, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    expect(report.accuracy).toBeCloseTo(4 / 6, 15);
  });

  it('should compute precision, recall and F1 per class and their unweighted mean', () => {
    // Class 0: 2 of 3 predictions right, both actual rows found. Class 1: 1 of 2, 1 of 2. Class 2: 1 of 1, 1 of 2.
    const expected = [
      { precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      { precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
      { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
    ];
    expected.forEach((metrics, classIndex) => {
      expect(report.perClass[classIndex].precision).toBeCloseTo(metrics.precision, 15);
      expect(report.perClass[classIndex].recall).toBeCloseTo(metrics.recall, 15);
      expect(report.perClass[classIndex].f1).toBeCloseTo(metrics.f1, 15);
      expect(report.perClass[classIndex].support).toBe(metrics.support);
    });
    expect(report.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 15);
  });

  it('should compute log-loss from the probability given to the true class', () => {
    const expected = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.6) + Math.log(0.25) + Math.log(0.9) + Math.log(0.05)) / 6;
    expect(report.logLoss).toBeCloseTo(expected, 14);
  });

  it('should bin rows by their top probability into tenths, omitting empty bins', () => {
    expect(report.calibration).toHaveLength(5);
    const bins = report.calibration.map((bin) => [bin.from, bin.to, bin.count, bin.meanPredicted, bin.observedRate]);
    const expected = [
      [0.4, 0.5, 1, 0.4, 1],
      [0.5, 0.6, 1, 0.5, 0],
      [0.6, 0.7, 1, 0.6, 1],
      [0.7, 0.8, 2, 0.725, 0.5],
      [0.9, 1, 1, 0.9, 1],
    ];
    bins.forEach((bin, index) => bin.forEach((value, field) => expect(value).toBeCloseTo(expected[index][field], 14)));
  });

  it('should put a top probability of exactly 1 in the last bin', () => {
    const certain = reportFromProbabilities(Int32Array.of(1), Float64Array.of(0, 1), 2);
    expect(certain.calibration).toEqual([{ from: 0.9, to: 1, count: 1, meanPredicted: 1, observedRate: 1 }]);
  });

  it('should clip a zero probability for the true class to 1e-15 instead of returning infinity', () => {
    const clipped = reportFromProbabilities(Int32Array.of(0, 1), Float64Array.of(0, 1, 0, 1), 2);
    expect(clipped.logLoss).toBeCloseTo(-Math.log(1e-15) / 2, 12);
  });

  it('should leave out of macro-F1 only a class that is neither present nor predicted', () => {
    // Class 3 never occurs and is never predicted: it must not change the mean.
    const fourClasses = reportFromProbabilities(
      LABELS,
      Float64Array.from({ length: 24 }, (_, index) => (index % 4 === 3 ? 0 : PROBABILITIES[(index >> 2) * 3 + (index % 4)])),
      4,
    );
    expect(fourClasses.macroF1).toBeCloseTo(report.macroF1, 15);
    expect(fourClasses.perClass[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // Class 2 occurs but is never predicted: F1 0, and it counts.
    const neverPredicted = reportFromPredictions(Int32Array.of(0, 1, 2), Int32Array.of(0, 1, 1), 3);
    expect(neverPredicted.perClass[2].f1).toBe(0);
    expect(neverPredicted.macroF1).toBeCloseTo((1 + 2 / 3 + 0) / 3, 15);
  });

  it('should refuse mismatched lengths, labels out of range and values that are not probabilities', () => {
    expect(() => reportFromProbabilities(LABELS, PROBABILITIES.slice(1), 3)).toThrow('probabilities has 17 values but 6 rows × 3 classes need 18');
    expect(() => reportFromProbabilities(Int32Array.of(0, 3), Float64Array.of(1, 0, 0, 0, 1, 0), 3)).toThrow('labels[1] = 3 is outside [0, 3)');
    expect(() => reportFromProbabilities(Int32Array.of(0), Float64Array.of(1.5, -0.5), 2)).toThrow(
      'probabilities[0] (row 0, class 0) = 1.5 is not a probability',
    );
    expect(() => reportFromProbabilities(new Int32Array(0), new Float64Array(0), 2)).toThrow('at least one row');
  });
});

describe('reportFromPredictions', () => {
  it('should give the same counts as the probabilities, with no log-loss or calibration', () => {
    const fromProbabilities = reportFromProbabilities(LABELS, PROBABILITIES, 3);
    const report = reportFromPredictions(LABELS, PREDICTED, 3);
    expect(report.logLoss).toBeNull();
    expect(report.calibration).toEqual([]);
    expect(report.confusionMatrix).toEqual(fromProbabilities.confusionMatrix);
    expect(report.perClass).toEqual(fromProbabilities.perClass);
    expect(report.accuracy).toBe(fromProbabilities.accuracy);
    expect(report.macroF1).toBe(fromProbabilities.macroF1);
  });

  it('should refuse predictions outside the classes', () => {
    expect(() => reportFromPredictions(LABELS, Int32Array.of(0, 0, 1, 0, 2, 5), 3)).toThrow('predicted[5] = 5 is outside [0, 3)');
    expect(() => reportFromPredictions(LABELS, Int32Array.of(0), 3)).toThrow('predicted has 1 entries but labels has 6');
  });
});
