/**
 * Φ(z), the standard normal distribution function, by Abramowitz and Stegun 26.2.17 (error below
 * 7.5e-8): a pacing tick evaluates it a few hundred times, and nothing else here needs statistics.
 */
export function standardNormalBelow(z: number): number {
  if (z < -8) return 0;
  if (z > 8) return 1;
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const density = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const tail = density * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z >= 0 ? 1 - tail : tail;
}
