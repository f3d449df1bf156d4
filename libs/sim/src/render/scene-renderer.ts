import type { MjModel } from '@mujoco/mujoco';
import { UnknownCameraError } from '../core/errors.js';
import type { Physics } from '../metaworld/sawyer-env.js';
import { encodePng } from './png.js';
import { boxMesh, capsuleMesh, cylinderMesh, ellipsoidMesh, planeMesh, type TriangleMesh } from './primitives.js';
import { Rasterizer } from './rasterizer.js';

// Module-scope bindings: global lookups are slow inside vm contexts (jest), and these run per triangle.
const { abs, max, min, round, sqrt } = Math;

export interface Frame {
  readonly width: number;
  readonly height: number;
  /** Packed 8-bit RGB, row-major from the top-left pixel. */
  readonly rgb: Uint8Array;
}

export interface RenderOptions {
  readonly width?: number;
  readonly height?: number;
}

/** One drawable geom: its local triangle mesh, bounding radius and flat colour (0..1). */
interface Drawable {
  readonly geom: number;
  readonly mesh: TriangleMesh;
  readonly radius: number;
  readonly color: [number, number, number];
}

const GEOM = { plane: 0, sphere: 2, capsule: 3, ellipsoid: 4, cylinder: 5, box: 6, mesh: 7 } as const;
/** MuJoCo shows geom groups 0-2 by default; MetaWorld puts collision-only geoms in 3+. */
const VISIBLE_GROUPS = 3;
const DEFAULT_RGBA = [0.5, 0.5, 0.5, 1];
const TEXTURE_ROLES = 10;
const RGB_ROLE = 1;
const SKYBOX_TEXTURE = 2;
const NEAR = 0.01;
/** Infinite planes are drawn this far (m) in each direction. */
const PLANE_EXTENT = 5;
const AMBIENT = 0.3;
const HEADLIGHT = 0.5;
const TOPLIGHT = 0.2;

/**
 * A deterministic software renderer of MuJoCo scenes: every visible geom (primitives tessellated,
 * meshes from the model) is transformed by its current pose, projected through a named camera
 * (MuJoCo cameras look along their -z axis with vertical field of view cam_fovy), clipped at the
 * near plane and rasterized with a z-buffer and flat shading (ambient + headlight + light from
 * above). Colours follow MuJoCo's rule (geom rgba unless default, else the material's, times the
 * mean colour of its texture). Pure TypeScript: no GPU, no native build, identical bytes everywhere.
 */
export class SceneRenderer {
  readonly width: number;
  readonly height: number;
  private readonly drawables: Drawable[];
  private readonly background: [number, number, number];
  private readonly raster: Rasterizer;
  private view = new Float64Array(0);
  private screen = new Float64Array(0);

  constructor(
    private readonly physics: Physics,
    options: RenderOptions = {},
  ) {
    this.width = options.width ?? 128;
    this.height = options.height ?? 128;
    if (!(Number.isInteger(this.width) && Number.isInteger(this.height) && this.width > 0 && this.height > 0)) {
      throw new RangeError(`frame size must be positive integers, got ${this.width}×${this.height}`);
    }
    this.raster = new Rasterizer(this.width, this.height);
    const textureMeans = meanTextureColors(physics.model);
    this.drawables = collectDrawables(physics.model, textureMeans);
    this.background = skyColor(physics.model, textureMeans);
  }

  /** Names of the model's cameras (MetaWorld: topview, corner, corner2, corner3, corner4, behindGripper, gripperPOV). */
  cameras(): string[] {
    const { mj, model } = this.physics;
    return Array.from({ length: model.ncam }, (_, i) => mj.mj_id2name(model, mj.mjtObj.mjOBJ_CAMERA.value, i));
  }

  /** Renders the current state through a camera (by name or index). */
  render(camera: string | number): Frame {
    const { mj, model, data } = this.physics;
    const cam = typeof camera === 'number' ? camera : mj.mj_name2id(model, mj.mjtObj.mjOBJ_CAMERA.value, camera);
    if (!(cam >= 0 && cam < model.ncam)) throw new UnknownCameraError(String(camera), this.cameras());
    // Derived quantities only (poses, camera frames); the simulation state is untouched.
    this.physics.activate();
    mj.mj_kinematics(model, data);
    mj.mj_comPos(model, data);
    mj.mj_camlight(model, data);
    const camPos = (data.cam_xpos as Float64Array).slice(cam * 3, cam * 3 + 3);
    const camMat = (data.cam_xmat as Float64Array).slice(cam * 9, cam * 9 + 9);
    const fovy = (model.cam_fovy as Float64Array)[cam]!;
    const focal = this.height / 2 / Math.tan((fovy * Math.PI) / 360);
    const [br, bg, bb] = this.background;
    this.raster.clear(toByte(br), toByte(bg), toByte(bb));
    const geomXpos = data.geom_xpos as Float64Array;
    const geomXmat = data.geom_xmat as Float64Array;
    for (const d of this.drawables) {
      if (this.outsideView(d, geomXpos, camPos, camMat, focal)) continue;
      this.drawGeom(d, geomXpos, geomXmat, camPos, camMat, focal);
    }
    return { width: this.width, height: this.height, rgb: this.raster.rgb.slice() };
  }

  /** Renders and encodes as PNG. */
  renderPng(camera: string | number): Buffer {
    const frame = this.render(camera);
    return encodePng(frame.rgb, frame.width, frame.height);
  }

  /**
   * Whether the geom's bounding sphere lies entirely behind the near plane or outside one side of
   * the view frustum; such a geom cannot cover any pixel centre, so skipping it changes no pixel.
   */
  private outsideView(d: Drawable, geomXpos: Float64Array, camPos: Float64Array, m: Float64Array, focal: number): boolean {
    const p = d.geom * 3;
    const wx = geomXpos[p]! - camPos[0]!;
    const wy = geomXpos[p + 1]! - camPos[1]!;
    const wz = geomXpos[p + 2]! - camPos[2]!;
    const vx = m[0]! * wx + m[3]! * wy + m[6]! * wz;
    const vy = m[1]! * wx + m[4]! * wy + m[7]! * wz;
    const vz = m[2]! * wx + m[5]! * wy + m[8]! * wz;
    const r = d.radius * (1 + 1e-6) + 1e-9;
    if (vz - r >= -NEAR) return true;
    const halfW = this.width / 2;
    const halfH = this.height / 2;
    const sideW = sqrt(focal * focal + halfW * halfW);
    const sideH = sqrt(focal * focal + halfH * halfH);
    return (
      (focal * vx + halfW * vz) / sideW > r ||
      (-focal * vx + halfW * vz) / sideW > r ||
      (focal * vy + halfH * vz) / sideH > r ||
      (-focal * vy + halfH * vz) / sideH > r
    );
  }

  private drawGeom(d: Drawable, geomXpos: Float64Array, geomXmat: Float64Array, camPos: Float64Array, m: Float64Array, focal: number): void {
    const { vertices, faces } = d.mesh;
    const n = vertices.length / 3;
    if (this.view.length < n * 3) {
      this.view = new Float64Array(n * 3);
      this.screen = new Float64Array(n * 3);
    }
    const view = this.view;
    const screen = this.screen;
    const p = d.geom * 3;
    const r = d.geom * 9;
    const cx = this.width / 2;
    const cy = this.height / 2;
    for (let i = 0; i < n; i++) {
      const lx = vertices[i * 3]!;
      const ly = vertices[i * 3 + 1]!;
      const lz = vertices[i * 3 + 2]!;
      // World position, then camera frame: columns of cam_xmat are the camera axes.
      const wx = geomXmat[r]! * lx + geomXmat[r + 1]! * ly + geomXmat[r + 2]! * lz + geomXpos[p]! - camPos[0]!;
      const wy = geomXmat[r + 3]! * lx + geomXmat[r + 4]! * ly + geomXmat[r + 5]! * lz + geomXpos[p + 1]! - camPos[1]!;
      const wz = geomXmat[r + 6]! * lx + geomXmat[r + 7]! * ly + geomXmat[r + 8]! * lz + geomXpos[p + 2]! - camPos[2]!;
      const vx = m[0]! * wx + m[3]! * wy + m[6]! * wz;
      const vy = m[1]! * wx + m[4]! * wy + m[7]! * wz;
      const vz = m[2]! * wx + m[5]! * wy + m[8]! * wz;
      view[i * 3] = vx;
      view[i * 3 + 1] = vy;
      view[i * 3 + 2] = vz;
      if (vz < -NEAR) {
        const w = 1 / -vz;
        screen[i * 3] = cx + focal * vx * w;
        screen[i * 3 + 1] = cy - focal * vy * w;
        screen[i * 3 + 2] = w;
      }
    }
    // World "up" in camera coordinates, for the light from above.
    const upX = m[6]!;
    const upY = m[7]!;
    const upZ = m[8]!;
    for (let f = 0; f < faces.length; f += 3) {
      const a = faces[f]! * 3;
      const b = faces[f + 1]! * 3;
      const c = faces[f + 2]! * 3;
      const az = view[a + 2]!;
      const bz = view[b + 2]!;
      const cz = view[c + 2]!;
      const inFront = (az < -NEAR ? 1 : 0) + (bz < -NEAR ? 1 : 0) + (cz < -NEAR ? 1 : 0);
      if (inFront === 0) continue;
      const e1x = view[b]! - view[a]!;
      const e1y = view[b + 1]! - view[a + 1]!;
      const e1z = bz - az;
      const e2x = view[c]! - view[a]!;
      const e2y = view[c + 1]! - view[a + 1]!;
      const e2z = cz - az;
      const nx = e1y * e2z - e1z * e2y;
      const ny = e1z * e2x - e1x * e2z;
      const nz = e1x * e2y - e1y * e2x;
      const len = sqrt(nx * nx + ny * ny + nz * nz);
      if (len === 0) continue;
      const light = AMBIENT + (HEADLIGHT * abs(nz)) / len + (TOPLIGHT * abs(nx * upX + ny * upY + nz * upZ)) / len;
      const red = toByte(d.color[0] * light);
      const green = toByte(d.color[1] * light);
      const blue = toByte(d.color[2] * light);
      if (inFront === 3) {
        this.raster.triangle(
          screen[a]!,
          screen[a + 1]!,
          screen[a + 2]!,
          screen[b]!,
          screen[b + 1]!,
          screen[b + 2]!,
          screen[c]!,
          screen[c + 1]!,
          screen[c + 2]!,
          red,
          green,
          blue,
        );
      } else {
        this.drawClipped([a, b, c], focal, red, green, blue);
      }
    }
  }

  /** Sutherland-Hodgman against the near plane, then a triangle fan. */
  private drawClipped(corners: number[], focal: number, red: number, green: number, blue: number): void {
    const view = this.view;
    const poly: [number, number, number][] = [];
    for (let i = 0; i < 3; i++) {
      const p = corners[i]!;
      const q = corners[(i + 1) % 3]!;
      const pz = view[p + 2]!;
      const qz = view[q + 2]!;
      const pIn = pz < -NEAR;
      if (pIn) poly.push([view[p]!, view[p + 1]!, pz]);
      if (pIn !== qz < -NEAR) {
        const t = (-NEAR - pz) / (qz - pz);
        poly.push([view[p]! + t * (view[q]! - view[p]!), view[p + 1]! + t * (view[q + 1]! - view[p + 1]!), -NEAR]);
      }
    }
    const cx = this.width / 2;
    const cy = this.height / 2;
    const projected = poly.map(([x, y, z]) => {
      const w = 1 / -z;
      return [cx + focal * x * w, cy - focal * y * w, w] as const;
    });
    for (let i = 1; i + 1 < projected.length; i++) {
      const [x0, y0, w0] = projected[0]!;
      const [x1, y1, w1] = projected[i]!;
      const [x2, y2, w2] = projected[i + 1]!;
      this.raster.triangle(x0, y0, w0, x1, y1, w1, x2, y2, w2, red, green, blue);
    }
  }
}

const toByte = (v: number): number => round(min(1, max(0, v)) * 255);

/** Texels averaged per texture: a fixed stride keeps construction fast and the result deterministic. */
const TEXTURE_SAMPLES = 4096;

/** Mean RGB (0..1) of every texture, so textured materials keep their overall colour. */
const meanTextureColors = (model: MjModel): [number, number, number][] => {
  const data = model.tex_data as Uint8Array;
  const adr = model.tex_adr as Int32Array;
  const widths = model.tex_width as Int32Array;
  const heights = model.tex_height as Int32Array;
  const channels = model.tex_nchannel as Int32Array;
  return Array.from({ length: model.ntex }, (_, t) => {
    const texels = widths[t]! * heights[t]!;
    const nc = channels[t]!;
    const stride = max(1, Math.floor(texels / TEXTURE_SAMPLES));
    let r = 0;
    let g = 0;
    let b = 0;
    let n = 0;
    for (let i = 0; i < texels; i += stride) {
      const o = adr[t]! + i * nc;
      r += data[o]!;
      g += data[o + min(1, nc - 1)]!;
      b += data[o + min(2, nc - 1)]!;
      n++;
    }
    return [r / n / 255, g / n / 255, b / n / 255];
  });
};

const skyColor = (model: MjModel, textureMeans: [number, number, number][]): [number, number, number] => {
  const types = model.tex_type as Int32Array;
  for (let t = 0; t < model.ntex; t++) if (types[t] === SKYBOX_TEXTURE) return textureMeans[t]!;
  return [0, 0, 0];
};

const geomColor = (model: MjModel, g: number, textureMeans: [number, number, number][]): [number, number, number, number] => {
  const rgba = Array.from((model.geom_rgba as Float32Array).subarray(g * 4, g * 4 + 4));
  const mat = (model.geom_matid as Int32Array)[g]!;
  const isDefault = rgba.every((v, i) => Math.fround(v) === Math.fround(DEFAULT_RGBA[i]!));
  if (mat < 0 || !isDefault) return rgba as [number, number, number, number];
  const matRgba = Array.from((model.mat_rgba as Float32Array).subarray(mat * 4, mat * 4 + 4));
  const tex = (model.mat_texid as Int32Array)[mat * TEXTURE_ROLES + RGB_ROLE]!;
  const mean = tex >= 0 ? textureMeans[tex]! : [1, 1, 1];
  return [matRgba[0]! * mean[0]!, matRgba[1]! * mean[1]!, matRgba[2]! * mean[2]!, matRgba[3]!];
};

const geomMesh = (model: MjModel, g: number): TriangleMesh | undefined => {
  const size = (model.geom_size as Float64Array).subarray(g * 3, g * 3 + 3);
  const [s0, s1, s2] = [size[0]!, size[1]!, size[2]!];
  switch ((model.geom_type as Int32Array)[g]) {
    case GEOM.plane:
      return planeMesh(s0 > 0 ? s0 : PLANE_EXTENT, s1 > 0 ? s1 : PLANE_EXTENT);
    case GEOM.sphere:
      return ellipsoidMesh(s0, s0, s0);
    case GEOM.ellipsoid:
      return ellipsoidMesh(s0, s1, s2);
    case GEOM.capsule:
      return capsuleMesh(s0, s1);
    case GEOM.cylinder:
      return cylinderMesh(s0, s1);
    case GEOM.box:
      return boxMesh(s0, s1, s2);
    case GEOM.mesh: {
      const id = (model.geom_dataid as Int32Array)[g]!;
      const vertAdr = (model.mesh_vertadr as Int32Array)[id]!;
      const vertNum = (model.mesh_vertnum as Int32Array)[id]!;
      const faceAdr = (model.mesh_faceadr as Int32Array)[id]!;
      const faceNum = (model.mesh_facenum as Int32Array)[id]!;
      return {
        vertices: Float64Array.from((model.mesh_vert as Float32Array).subarray(vertAdr * 3, (vertAdr + vertNum) * 3)),
        faces: Uint32Array.from((model.mesh_face as Int32Array).subarray(faceAdr * 3, (faceAdr + faceNum) * 3)),
      };
    }
    default:
      return undefined;
  }
};

/** Largest distance of a vertex from the geom frame's origin. */
const boundingRadius = (mesh: TriangleMesh): number => {
  let r2 = 0;
  const v = mesh.vertices;
  for (let i = 0; i < v.length; i += 3) r2 = max(r2, v[i]! * v[i]! + v[i + 1]! * v[i + 1]! + v[i + 2]! * v[i + 2]!);
  return sqrt(r2);
};

const collectDrawables = (model: MjModel, textureMeans: [number, number, number][]): Drawable[] => {
  const groups = model.geom_group as Int32Array;
  const drawables: Drawable[] = [];
  for (let g = 0; g < model.ngeom; g++) {
    if (groups[g]! >= VISIBLE_GROUPS) continue;
    const [r, gr, b, a] = geomColor(model, g, textureMeans);
    if (a === 0) continue;
    const mesh = geomMesh(model, g);
    if (mesh) drawables.push({ geom: g, mesh, radius: boundingRadius(mesh), color: [r, gr, b] });
  }
  return drawables;
};
