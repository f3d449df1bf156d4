import { InvalidActionError } from './errors.js';
import type { BoxSpace, DiscreteSpace } from './spaces.js';

/** What the environment had to correct in an action; reported in `info.action` of every step. */
export interface ActionReport {
  /** At least one element was outside the action bounds (including ±Infinity) and was clipped. */
  readonly clipped: boolean;
  /** Number of NaN elements, replaced by 0 (then clipped) so that NaN never reaches the physics. */
  readonly nonFinite: number;
}

export type ActionInput = ArrayLike<number> | number;

/**
 * Clips a continuous action into its box as MetaWorld does (`np.clip`), with two additions that keep
 * the physics sane: a wrong length is rejected, and NaN becomes 0 before clipping.
 */
export const sanitizeBoxAction = (action: ActionInput, space: BoxSpace): { value: Float64Array; report: ActionReport } => {
  const values = typeof action === 'number' ? [action] : action;
  const n = space.low.length;
  if (values.length !== n) {
    throw new InvalidActionError(`action must have ${n} elements, got ${values.length}`);
  }
  const value = new Float64Array(n);
  let clipped = false;
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    let v = Number(values[i]);
    if (Number.isNaN(v)) {
      nonFinite++;
      v = 0;
    }
    const lo = space.low[i]!;
    const hi = space.high[i]!;
    if (v < lo) {
      v = lo;
      clipped = true;
    } else if (v > hi) {
      v = hi;
      clipped = true;
    }
    value[i] = v;
  }
  return { value, report: { clipped, nonFinite } };
};

/** A discrete action must be one integer in [0, n); anything else is rejected as Gymnasium's `contains` check does. */
export const parseDiscreteAction = (action: ActionInput, space: DiscreteSpace): number => {
  let v: number;
  if (typeof action === 'number') v = action;
  else if (action.length === 1) v = Number(action[0]);
  else throw new InvalidActionError(`discrete action must be one integer, got ${action.length} values`);
  if (!Number.isInteger(v) || v < 0 || v >= space.n) {
    throw new InvalidActionError(`discrete action must be an integer in [0, ${space.n - 1}], got ${v}`);
  }
  return v;
};
