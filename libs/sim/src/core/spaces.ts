/** Numeric element type of a space, named as NumPy names it so agents in any language read it the same way. */
export type DType = 'float32' | 'float64' | 'int64';

/** A box in R^n: every element lies in [low[i], high[i]] (bounds may be ±Infinity). */
export interface BoxSpace {
  readonly kind: 'box';
  readonly shape: readonly number[];
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly dtype: DType;
}

/** A choice among `n` integers 0..n-1 (Gymnasium's Discrete). */
export interface DiscreteSpace {
  readonly kind: 'discrete';
  readonly shape: readonly number[];
  readonly n: number;
  readonly dtype: 'int64';
}

export type Space = BoxSpace | DiscreteSpace;

export const box = (low: ArrayLike<number>, high: ArrayLike<number>, dtype: DType): BoxSpace => {
  if (low.length !== high.length) throw new RangeError(`box bounds differ in length: ${low.length} vs ${high.length}`);
  return { kind: 'box', shape: [low.length], low: Float64Array.from(low), high: Float64Array.from(high), dtype };
};

export const discrete = (n: number): DiscreteSpace => ({ kind: 'discrete', shape: [], n, dtype: 'int64' });

/** Number of scalars one value of the space carries. */
export const spaceSize = (space: Space): number => space.shape.reduce((a, b) => a * b, 1);
