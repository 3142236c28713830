import { logitsInto, predictAll, predictInto } from './softmax-model';
import { modelOf } from './synthetic-data.fixture';

const model = modelOf(
  [
    [1, 0],
    [0, 2],
    [-1, 1],
  ],
  [0, 0.5, 1],
);

describe('softmax model', () => {
  it('should compute intercept + coefficients · features for the requested row', () => {
    const features = Float64Array.of(9, 9, 1, -2);
    const logits = new Float64Array(3);
    logitsInto(model, features, 1, logits);
    expect(Array.from(logits)).toEqual([1, -3.5, -2]);
  });

  it('should turn logits into probabilities that sum to one', () => {
    const probabilities = new Float64Array(3);
    predictInto(model, Float64Array.of(1, -2), 0, probabilities);
    const weights = [Math.exp(1), Math.exp(-3.5), Math.exp(-2)];
    const total = weights[0] + weights[1] + weights[2];
    weights.forEach((weight, index) => expect(probabilities[index]).toBeCloseTo(weight / total, 15));
  });

  it('should stay finite for logits far beyond what exp() can represent', () => {
    const probabilities = new Float64Array(3);
    predictInto(model, Float64Array.of(1000, 999.5), 0, probabilities);
    // Logits 1000, 1999.5 and 1000.5: the second class takes everything.
    expect(Array.from(probabilities).every(Number.isFinite)).toBe(true);
    expect(probabilities[1]).toBeCloseTo(1, 12);
  });

  it('should write only its own slot of a shared output buffer', () => {
    const out = new Float64Array(9).fill(-1);
    predictInto(model, Float64Array.of(0, 0), 0, out, 3);
    expect(Array.from(out.slice(0, 3))).toEqual([-1, -1, -1]);
    expect(Array.from(out.slice(6))).toEqual([-1, -1, -1]);
    expect(out[3] + out[4] + out[5]).toBeCloseTo(1, 15);
  });

  it('should score every row with predictAll exactly as predictInto does row by row', () => {
    const features = Float64Array.of(1, -2, 0.5, 0.25, -3, 4);
    const all = predictAll(model, features);
    const one = new Float64Array(3);
    for (let row = 0; row < 3; row += 1) {
      predictInto(model, features, row, one);
      expect(Array.from(all.slice(row * 3, row * 3 + 3))).toEqual(Array.from(one));
    }
  });

  it('should refuse features that are not a whole number of rows', () => {
    expect(() => predictAll(model, Float64Array.of(1, 2, 3))).toThrow('features has 3 values, which is not a whole number of rows of 2 columns');
  });
});
