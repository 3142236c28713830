const STANDARD_NORMAL_PERCENTILE_99 = 2.3263478740408408;

/**
 * A log-normal distribution described the way the reference document and the CLI describe it: by the
 * mean and standard deviation of the durations themselves, not of their logarithm.
 */
export class LogNormalDistribution {
  /** Mean of the logarithm. */
  readonly mu: number;
  /** Standard deviation of the logarithm. */
  readonly sigma: number;

  constructor(
    readonly mean: number,
    readonly standardDeviation: number,
  ) {
    if (!(mean > 0) || !(standardDeviation >= 0)) throw new RangeError(`a log-normal needs mean > 0 and sd ≥ 0, got ${mean}, ${standardDeviation}`);
    const variance = Math.log(1 + (standardDeviation * standardDeviation) / (mean * mean));
    this.sigma = Math.sqrt(variance);
    this.mu = Math.log(mean) - variance / 2;
  }

  /** The log-normal whose median and 99th percentile are these (how latency is usually quoted). */
  static fromMedianAndPercentile99(median: number, percentile99: number): LogNormalDistribution {
    const sigma = Math.log(percentile99 / median) / STANDARD_NORMAL_PERCENTILE_99;
    const mean = median * Math.exp((sigma * sigma) / 2);
    return new LogNormalDistribution(mean, mean * Math.sqrt(Math.exp(sigma * sigma) - 1));
  }

  /** The value whose logarithm is `mu + sigma · standardNormal`. */
  fromStandardNormal(standardNormal: number): number {
    return Math.exp(this.mu + this.sigma * standardNormal);
  }

  density(value: number): number {
    if (!(value > 0)) return 0;
    if (this.sigma === 0) return 0;
    const z = (Math.log(value) - this.mu) / this.sigma;
    return Math.exp(-0.5 * z * z) / (value * this.sigma * Math.sqrt(2 * Math.PI));
  }

  /** P(X < limit) and E[X; X < limit], by Simpson's rule: the bounds need them only to a few digits. */
  partialMoments(limit: number): { readonly probabilityBelow: number; readonly partialMean: number } {
    if (this.sigma === 0) return this.mean < limit ? { probabilityBelow: 1, partialMean: this.mean } : { probabilityBelow: 0, partialMean: 0 };
    const intervals = 4000;
    const step = limit / intervals;
    let probability = 0;
    let partialMean = 0;
    for (let index = 0; index <= intervals; index += 1) {
      const value = index * step;
      const weight = index === 0 || index === intervals ? 1 : index % 2 === 1 ? 4 : 2;
      const density = this.density(value);
      probability += weight * density;
      partialMean += weight * density * value;
    }
    return { probabilityBelow: (probability * step) / 3, partialMean: (partialMean * step) / 3 };
  }
}
