/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for a success rate of `successes` out of `trials` (Wilson 1927): unlike the normal
 * approximation it stays inside [0, 1] and is meaningful at 0 or all successes and for a handful of episodes.
 * No trials: the whole of [0, 1].
 */
export const wilsonInterval = (successes: number, trials: number, z: number = Z_95): Interval => {
  if (!Number.isInteger(trials) || !Number.isInteger(successes) || trials < 0 || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval needs integers 0 <= successes <= trials, got ${successes}/${trials}`);
  }
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
};
