import { posteriorOf } from './bayesian-update';

const KEYS = ['pro_tax_base', 'aspiring_poc', 'balanced_suburbans'];

function expectProbabilities(actual: Float64Array, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 12));
}

const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0);

describe('posteriorOf', () => {
  it('should return a copy of the prior when there is no evidence', () => {
    const prior = [0.5, 0.3, 0.2];
    const posterior = posteriorOf(prior, KEYS, []);
    expect(Array.from(posterior)).toEqual(prior);
    expect(posterior).toBeInstanceOf(Float64Array);
  });

  it('should multiply the prior by one answer’s likelihoods and normalise', () => {
    // 0.5·0.8 = 0.40, 0.3·0.4 = 0.12, 0.2·0.1 = 0.02; total 0.54.
    const posterior = posteriorOf([0.5, 0.3, 0.2], KEYS, [{ pro_tax_base: 0.8, aspiring_poc: 0.4, balanced_suburbans: 0.1 }]);
    expectProbabilities(posterior, [0.4 / 0.54, 0.12 / 0.54, 0.02 / 0.54]);
  });

  it('should apply two answers in turn as a hand calculation does', () => {
    // Unnormalised: 0.5·0.8·0.5 = 0.20, 0.3·0.4·0.5 = 0.06, 0.2·0.1·1.0 = 0.02; total 0.28.
    const posterior = posteriorOf([0.5, 0.3, 0.2], KEYS, [
      { pro_tax_base: 0.8, aspiring_poc: 0.4, balanced_suburbans: 0.1 },
      { pro_tax_base: 0.5, aspiring_poc: 0.5, balanced_suburbans: 1 },
    ]);
    expectProbabilities(posterior, [5 / 7, 3 / 14, 1 / 14]);
  });

  it('should give the same result whichever order two answers come in', () => {
    const first = { pro_tax_base: 0.85, aspiring_poc: 0.6, balanced_suburbans: 0.3 };
    const second = { pro_tax_base: 0.1, aspiring_poc: 0.05, balanced_suburbans: 0.3 };
    const prior = [0.2, 0.3, 0.5];
    const forwards = posteriorOf(prior, KEYS, [first, second]);
    const backwards = posteriorOf(prior, KEYS, [second, first]);
    expectProbabilities(backwards, Array.from(forwards));
    // Both differ from the prior, so the comparison is not between two unchanged copies.
    expect(forwards[0]).not.toBeCloseTo(prior[0], 3);
  });

  it('should treat a segment the likelihoods leave out as uninformative (likelihood 1)', () => {
    const leftOut = posteriorOf([0.5, 0.25, 0.25], KEYS, [{ pro_tax_base: 0.2, aspiring_poc: 0.6 }]);
    const explicit = posteriorOf([0.5, 0.25, 0.25], KEYS, [{ pro_tax_base: 0.2, aspiring_poc: 0.6, balanced_suburbans: 1 }]);
    // 0.5·0.2 = 0.1, 0.25·0.6 = 0.15, 0.25·1 = 0.25; total 0.5.
    expectProbabilities(leftOut, [0.2, 0.3, 0.5]);
    expectProbabilities(leftOut, Array.from(explicit));
  });

  it('should leave the prior unchanged by an answer that mentions no segment', () => {
    expectProbabilities(posteriorOf([0.6, 0.3, 0.1], KEYS, [{}]), [0.6, 0.3, 0.1]);
  });

  it('should treat a segment keyed like an object property as any other left-out segment', () => {
    // "constructor" is a valid segment key (lower case letters); a plain likelihoods object inherits a property of that name.
    const posterior = posteriorOf([0.5, 0.5], ['constructor', 'other'], [{ other: 0.5 }]);
    expectProbabilities(posterior, [2 / 3, 1 / 3]);
  });

  it('should keep the prior when an answer gives 0 to every segment the prior allows', () => {
    const prior = [0.6, 0.4, 0];
    const posterior = posteriorOf(prior, KEYS, [{ pro_tax_base: 0, aspiring_poc: 0, balanced_suburbans: 0.9 }]);
    expectProbabilities(posterior, prior);
    expect(posteriorOf(prior, KEYS, [{ pro_tax_base: 0, aspiring_poc: 0, balanced_suburbans: 0 }])).toEqual(Float64Array.from(prior));
  });

  it('should go on updating from the kept prior after a contradictory answer', () => {
    const posterior = posteriorOf([0.6, 0.4, 0], KEYS, [
      { pro_tax_base: 0, aspiring_poc: 0, balanced_suburbans: 1 },
      { pro_tax_base: 0.5, aspiring_poc: 1, balanced_suburbans: 1 },
    ]);
    // 0.6·0.5 = 0.3, 0.4·1 = 0.4; total 0.7.
    expectProbabilities(posterior, [3 / 7, 4 / 7, 0]);
  });

  it('should rule a segment out for good once an answer gives it 0', () => {
    const posterior = posteriorOf([0.3, 0.3, 0.4], KEYS, [
      { pro_tax_base: 0.9, aspiring_poc: 0, balanced_suburbans: 0.2 },
      { pro_tax_base: 0.01, aspiring_poc: 1, balanced_suburbans: 0.01 },
    ]);
    expect(posterior[1]).toBe(0);
    expect(sum(posterior)).toBeCloseTo(1, 12);
  });

  it('should give probabilities that sum to 1 after several answers, even from an unnormalised prior', () => {
    const posterior = posteriorOf([2, 5, 3], KEYS, [
      { pro_tax_base: 0.85, aspiring_poc: 0.6, balanced_suburbans: 0.3 },
      { pro_tax_base: 0.2, aspiring_poc: 0.15, balanced_suburbans: 0.35 },
      { pro_tax_base: 0.6, balanced_suburbans: 0.15 },
    ]);
    expect(sum(posterior)).toBeCloseTo(1, 12);
    expect(posterior.every((value) => value > 0 && value < 1)).toBe(true);
  });

  it('should not change the prior it was given', () => {
    const prior = Float64Array.from([0.5, 0.3, 0.2]);
    posteriorOf(prior, KEYS, [{ pro_tax_base: 0.1, aspiring_poc: 0.9, balanced_suburbans: 0.5 }]);
    expect(Array.from(prior)).toEqual([0.5, 0.3, 0.2]);
  });
});
