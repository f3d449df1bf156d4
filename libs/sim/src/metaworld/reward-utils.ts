/**
 * The reward shaping primitives MetaWorld v3 borrows from dm_control: `tolerance` (1 inside the
 * bounds, a sigmoid falling to `valueAtMargin` at `margin` outside them) and the Hamacher t-norm.
 */

export type Sigmoid = 'gaussian' | 'long_tail';

const DEFAULT_VALUE_AT_MARGIN = 0.1;

const sigmoid = (x: number, valueAt1: number, kind: Sigmoid): number => {
  if (!(valueAt1 > 0 && valueAt1 < 1)) throw new RangeError(`valueAt1 must be strictly between 0 and 1, got ${valueAt1}`);
  if (kind === 'gaussian') {
    const scale = Math.sqrt(-2 * Math.log(valueAt1));
    return Math.exp(-0.5 * (x * scale) ** 2);
  }
  const scale = Math.sqrt(1 / valueAt1 - 1);
  return 1 / ((x * scale) ** 2 + 1);
};

export const tolerance = (x: number, bounds: readonly [number, number], margin: number, kind: Sigmoid, valueAtMargin = DEFAULT_VALUE_AT_MARGIN): number => {
  const [lower, upper] = bounds;
  if (lower > upper) throw new RangeError('lower bound must be <= upper bound');
  if (margin < 0) throw new RangeError(`margin must be non-negative, got ${margin}`);
  const inBounds = lower <= x && x <= upper;
  if (inBounds) return 1.0;
  if (margin === 0) return 0.0;
  const d = (x < lower ? lower - x : x - upper) / margin;
  return sigmoid(d, valueAtMargin, kind);
};

export const hamacherProduct = (a: number, b: number): number => {
  if (!(a >= 0 && a <= 1 && b >= 0 && b <= 1)) throw new RangeError(`hamacher operands must lie in [0, 1], got ${a} and ${b}`);
  const denominator = a + b - a * b;
  return denominator > 0 ? (a * b) / denominator : 0;
};

/** 1 outside the box spanned by `zero` and `one`; inside, the product of the per-axis fractions from `zero`. */
export const rectPrismTolerance = (curr: ArrayLike<number>, zero: ArrayLike<number>, one: ArrayLike<number>): number => {
  const inRange = (a: number, b: number, c: number): boolean => (c >= b ? b <= a && a <= c : c <= a && a <= b);
  for (let i = 0; i < 3; i++) if (!inRange(curr[i]!, zero[i]!, one[i]!)) return 1.0;
  let product = 1;
  for (let i = 0; i < 3; i++) product *= (curr[i]! - zero[i]!) / (one[i]! - zero[i]!);
  return product;
};
