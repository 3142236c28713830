import { LogNormalDistribution } from './log-normal-distribution';
import { RandomStream } from './random-stream';

describe('LogNormalDistribution', () => {
  it('takes the mean and sd of the durations themselves', () => {
    const distribution = new LogNormalDistribution(10, 5);
    expect(Math.exp(distribution.mu + distribution.sigma ** 2 / 2)).toBeCloseTo(10, 10);
    expect(distribution.sigma).toBeCloseTo(Math.sqrt(Math.log(1.25)), 10);
    const stream = new RandomStream(7, 0);
    const draws = Array.from({ length: 200_000 }, () => stream.logNormal(distribution));
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / draws.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.abs(sd - 5)).toBeLessThan(0.1);
  });

  it('integrates its partial moments (what the bounds use)', () => {
    const distribution = new LogNormalDistribution(15, 6);
    const full = distribution.partialMoments(500);
    expect(full.probabilityBelow).toBeCloseTo(1, 6);
    expect(full.partialMean).toBeCloseTo(15, 4);
    const stream = new RandomStream(3, 1);
    const draws = Array.from({ length: 200_000 }, () => stream.logNormal(distribution));
    const below = draws.filter((value) => value < 20);
    expect(distribution.partialMoments(20).probabilityBelow).toBeCloseTo(below.length / draws.length, 2);
  });

  it('is fixed by a median and a 99th percentile', () => {
    const distribution = LogNormalDistribution.fromMedianAndPercentile99(0.25, 2);
    expect(Math.exp(distribution.mu)).toBeCloseTo(0.25, 10);
    expect(Math.exp(distribution.mu + 2.3263478740408408 * distribution.sigma)).toBeCloseTo(2, 10);
  });
});
