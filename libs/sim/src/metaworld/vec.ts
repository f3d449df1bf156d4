/** Small fixed-size vector helpers for the task logic (3-vectors as plain number tuples). */
export type Vec3 = [number, number, number];

export const vec3 = (a: ArrayLike<number>, offset = 0): Vec3 => [a[offset]!, a[offset + 1]!, a[offset + 2]!];
export const add = (a: Vec3, b: readonly number[]): Vec3 => [a[0] + b[0]!, a[1] + b[1]!, a[2] + b[2]!];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: readonly number[]): Vec3 => [a[0] * s[0]!, a[1] * s[1]!, a[2] * s[2]!];
export const norm = (a: readonly number[]): number => {
  let sum = 0;
  for (const x of a) sum += x * x;
  return Math.sqrt(sum);
};
export const dist = (a: Vec3, b: Vec3): number => norm(sub(a, b));
export const dist2d = (a: Vec3, b: Vec3): number => Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2);

/**
 * Quaternion (x, y, z, w) of a row-major rotation matrix, computed as scipy's
 * `Rotation.from_matrix(...).as_quat()` does (largest-diagonal branch), so the sign matches MetaWorld.
 */
export const matrixToQuatXyzw = (m: ArrayLike<number>, offset = 0): [number, number, number, number] => {
  const at = (r: number, c: number): number => m[offset + r * 3 + c]!;
  const trace = at(0, 0) + at(1, 1) + at(2, 2);
  const decision = [at(0, 0), at(1, 1), at(2, 2), trace];
  let choice = 0;
  for (let i = 1; i < 4; i++) if (decision[i]! > decision[choice]!) choice = i;
  const q: [number, number, number, number] = [0, 0, 0, 0];
  if (choice !== 3) {
    const i = choice;
    const j = (i + 1) % 3;
    const k = (j + 1) % 3;
    q[i] = 1 - trace + 2 * at(i, i);
    q[j] = at(j, i) + at(i, j);
    q[k] = at(k, i) + at(i, k);
    q[3] = at(k, j) - at(j, k);
  } else {
    q[0] = at(2, 1) - at(1, 2);
    q[1] = at(0, 2) - at(2, 0);
    q[2] = at(1, 0) - at(0, 1);
    q[3] = 1 + trace;
  }
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
};
