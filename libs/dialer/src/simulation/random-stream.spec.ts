import { LogNormalDistribution } from './log-normal-distribution';
import { RandomStream } from './random-stream';

describe('RandomStream', () => {
  it('repeats for the same seed and stream, and differs across streams and seeds', () => {
    const draws = (seed: number, stream: number) => {
      const random = new RandomStream(seed, stream);
      return Array.from({ length: 5 }, () => random.fraction());
    };
    expect(draws(1, 0)).toEqual(draws(1, 0));
    expect(draws(1, 1)).not.toEqual(draws(1, 0));
    expect(draws(2, 0)).not.toEqual(draws(1, 0));
  });

  it('draws uniforms in range and log-normals conditioned below a limit', () => {
    const random = new RandomStream(11, 2);
    const human = new LogNormalDistribution(10, 5);
    for (let draw = 0; draw < 10_000; draw += 1) {
      const uniform = random.uniform(3, 6);
      expect(uniform >= 3 && uniform < 6).toBe(true);
      expect(random.logNormalBelow(human, 20)).toBeLessThan(20);
    }
  });

  it('draws exponentials with the asked-for mean', () => {
    const random = new RandomStream(5, 3);
    const draws = Array.from({ length: 100_000 }, () => random.exponential(2));
    expect(draws.reduce((sum, value) => sum + value, 0) / draws.length).toBeCloseTo(2, 1);
  });
});
