import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

// xoroshiro128+ seeded with neighbouring integers gives nearly equal first outputs; a few discarded draws decorrelate them.
const WARM_UP_DRAWS = 8;

export interface MillisecondRange {
  readonly min: number;
  readonly max: number;
}

/** A deterministic source of draws: one seed, one sequence. */
export class SeededRandom {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
    for (let draw = 0; draw < WARM_UP_DRAWS; draw += 1) this.generator.next();
  }

  /** In [0, 1). */
  fraction(): number {
    return uniformFloat64(this.generator);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.fraction() < probability;
  }

  /** A whole number of milliseconds in [min, max]. */
  within(range: MillisecondRange): number {
    return range.min === range.max ? range.min : uniformInt(this.generator, range.min, range.max);
  }

  /** A key drawn with probability proportional to its weight; the weights must not all be zero. */
  weighted<Key extends string>(weights: Readonly<Record<Key, number>>): Key {
    const entries = Object.entries(weights) as Array<[Key, number]>;
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.fraction() * total;
    for (const [key, weight] of entries) {
      if (point < weight) return key;
      point -= weight;
    }
    return entries.filter(([, weight]) => weight > 0).at(-1)?.[0] ?? entries[0][0];
  }

  /** An independent sequence, itself deterministic: one per call or message, so timer order cannot shift another's draws. */
  fork(): SeededRandom {
    return new SeededRandom(uniformInt(this.generator, -0x80000000, 0x7fffffff));
  }
}
