import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import type { LogNormalDistribution } from './log-normal-distribution';

/** Streams of one run. Each has its own sub-sequence, so what one consumes never shifts another's draws. */
export const RandomStreamName = {
  Leads: 0,
  Carrier: 1,
  Clickers: 2,
  Schedule: 3,
  /** Volunteer i uses stream `FirstVolunteer + i`: their n-th talk time is the same whatever the policy. */
  FirstVolunteer: 4,
} as const;

/**
 * One seeded, deterministic sequence of draws (xoroshiro128+ from pure-rand). Streams of the same seed are
 * the same generator jumped 2^64 steps apart per stream index, so they never overlap.
 */
export class RandomStream {
  private readonly generator: JumpableRandomGenerator;

  constructor(seed: number, stream: number) {
    this.generator = xoroshiro128plus(seed | 0);
    // Neighbouring seeds start from nearly equal states; the jumps and a few draws spread them apart.
    for (let jump = 0; jump <= stream; jump += 1) this.generator.jump();
    for (let draw = 0; draw < 8; draw += 1) this.generator.next();
  }

  /** In [0, 1). */
  fraction(): number {
    return uniformFloat64(this.generator);
  }

  uniform(minimum: number, maximum: number): number {
    return minimum + (maximum - minimum) * this.fraction();
  }

  /** Box–Muller; the second value is dropped so that every normal costs exactly two draws. */
  standardNormal(): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.fraction()));
    return radius * Math.cos(2 * Math.PI * this.fraction());
  }

  logNormal(distribution: LogNormalDistribution): number {
    return distribution.fromStandardNormal(this.standardNormal());
  }

  /** Log-normal conditioned below `limit`, by redrawing (keeps the shape of the distribution under the limit). */
  logNormalBelow(distribution: LogNormalDistribution, limit: number): number {
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const value = this.logNormal(distribution);
      if (value < limit) return value;
    }
    throw new RangeError(`a log-normal with mean ${distribution.mean} almost never falls below ${limit}`);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.fraction());
  }
}
