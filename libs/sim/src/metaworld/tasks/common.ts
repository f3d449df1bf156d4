import type { Vec3 } from '../vec.js';

/** Hand (mocap) bounds shared by all ten MT10 tasks. */
export const HAND_LOW: Vec3 = [-0.5, 0.4, 0.05];
export const HAND_HIGH: Vec3 = [0.5, 1, 0.5];
/** MetaWorld's base TARGET_RADIUS (peg-insert-side overrides it). */
export const TARGET_RADIUS = 0.05;

/** Some MetaWorld tasks declare their init positions as float32 arrays; keep the rounding. */
export const f32 = (v: Vec3): Vec3 => [Math.fround(v[0]), Math.fround(v[1]), Math.fround(v[2])];

/** Samples until the XY distance between the two halves of the vector reaches `minDistance`. */
export const separatedXY = (draw: () => Float64Array, minDistance: number): Float64Array => {
  for (;;) {
    const v = draw();
    const half = v.length / 2;
    if (Math.hypot(v[0]! - v[half]!, v[1]! - v[half + 1]!) >= minDistance) return v;
  }
};
