/**
 * Unit tessellations of MuJoCo's primitive geoms as indexed triangle meshes, scaled per geom from
 * geom_size. Built once; the slice counts keep 84×84 to 128×128 frames smooth enough.
 */
export interface TriangleMesh {
  /** xyz per vertex. */
  readonly vertices: Float64Array;
  /** Three vertex indices per triangle. */
  readonly faces: Uint32Array;
}

const SLICES = 16;
const STACKS = 8;

const build = (vertices: number[], faces: number[]): TriangleMesh => ({
  vertices: Float64Array.from(vertices),
  faces: Uint32Array.from(faces),
});

/** Box with half-extents (sx, sy, sz). */
export const boxMesh = (sx: number, sy: number, sz: number): TriangleMesh => {
  const v: number[] = [];
  for (const x of [-sx, sx]) for (const y of [-sy, sy]) for (const z of [-sz, sz]) v.push(x, y, z);
  // Corner index = 4*ix + 2*iy + iz.
  const quads = [
    [0, 1, 3, 2],
    [4, 6, 7, 5],
    [0, 4, 5, 1],
    [2, 3, 7, 6],
    [0, 2, 6, 4],
    [1, 5, 7, 3],
  ];
  const f: number[] = [];
  for (const [a, b, c, d] of quads) f.push(a!, b!, c!, a!, c!, d!);
  return build(v, f);
};

/** Rectangle in the z = 0 plane with half-extents (sx, sy). */
export const planeMesh = (sx: number, sy: number): TriangleMesh => build([-sx, -sy, 0, sx, -sy, 0, sx, sy, 0, -sx, sy, 0], [0, 1, 2, 0, 2, 3]);

/**
 * Surface of revolution around z from a profile of (radius, z) rings, closed by the first and last
 * rings (a ring of radius 0 is a pole).
 */
const lathe = (profile: readonly [number, number][]): TriangleMesh => {
  const v: number[] = [];
  const f: number[] = [];
  for (const [r, z] of profile) {
    for (let s = 0; s < SLICES; s++) {
      const a = (2 * Math.PI * s) / SLICES;
      v.push(r * Math.cos(a), r * Math.sin(a), z);
    }
  }
  for (let ring = 0; ring + 1 < profile.length; ring++) {
    for (let s = 0; s < SLICES; s++) {
      const a = ring * SLICES + s;
      const b = ring * SLICES + ((s + 1) % SLICES);
      const c = a + SLICES;
      const d = b + SLICES;
      f.push(a, b, d, a, d, c);
    }
  }
  // Caps: fans over the first and last rings.
  const last = (profile.length - 1) * SLICES;
  for (let s = 1; s + 1 < SLICES; s++) {
    f.push(0, s + 1, s);
    f.push(last, last + s, last + s + 1);
  }
  return build(v, f);
};

/** Ellipsoid with semi-axes (rx, ry, rz); a sphere when they are equal. */
export const ellipsoidMesh = (rx: number, ry: number, rz: number): TriangleMesh => {
  const profile: [number, number][] = [];
  for (let i = 0; i <= STACKS; i++) {
    const phi = -Math.PI / 2 + (Math.PI * i) / STACKS;
    profile.push([Math.cos(phi), Math.sin(phi)]);
  }
  const mesh = lathe(profile);
  const v = mesh.vertices;
  for (let i = 0; i < v.length; i += 3) {
    v[i] = v[i]! * rx;
    v[i + 1] = v[i + 1]! * ry;
    v[i + 2] = v[i + 2]! * rz;
  }
  return mesh;
};

/** Cylinder of radius r and half-height h along z. */
export const cylinderMesh = (r: number, h: number): TriangleMesh =>
  lathe([
    [r, -h],
    [r, h],
  ]);

/** Capsule: cylinder of radius r and half-length h along z with hemispherical ends. */
export const capsuleMesh = (r: number, h: number): TriangleMesh => {
  const half = STACKS / 2;
  const profile: [number, number][] = [];
  for (let i = 0; i <= half; i++) {
    const phi = -Math.PI / 2 + (Math.PI / 2) * (i / half);
    profile.push([r * Math.cos(phi), -h + r * Math.sin(phi)]);
  }
  for (let i = 0; i <= half; i++) {
    const phi = (Math.PI / 2) * (i / half);
    profile.push([r * Math.cos(phi), h + r * Math.sin(phi)]);
  }
  return lathe(profile);
};
