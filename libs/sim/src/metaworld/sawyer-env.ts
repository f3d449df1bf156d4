import type { MjData, MjModel } from '@mujoco/mujoco';
import { sanitizeBoxAction, type ActionInput, type ActionReport } from '../core/action.js';
import { EpisodicEnv, type Transition } from '../core/env.js';
import { SimulatorLoadError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { box, type BoxSpace } from '../core/spaces.js';
import type { ModelLibrary, SharedModel } from '../mujoco/models.js';
import type { MujocoModule } from '../mujoco/runtime.js';
import { matrixToQuatXyzw, vec3, type Vec3 } from './vec.js';

/** Static description of one MetaWorld v3 task, taken from its Python class constructor. */
export interface SawyerTaskConfig {
  /** MetaWorld's name, e.g. `reach-v3`. */
  readonly name: string;
  /** Task XML relative to the assets folder. */
  readonly xml: string;
  readonly handInitPos: Vec3;
  /** Mocap (hand target) bounds: MetaWorld's hand_low/hand_high. */
  readonly handLow: Vec3;
  readonly handHigh: Vec3;
  /** Seeded reset randomisation (MetaWorld's _random_reset_space). */
  readonly randomLow: readonly number[];
  readonly randomHigh: readonly number[];
  /** Goal bounds, which also bound the goal part of the (fully observable, MT) observation. */
  readonly goalLow: Vec3;
  readonly goalHigh: Vec3;
}

export interface Evaluation {
  readonly reward: number;
  readonly success: boolean;
  readonly metrics: Record<string, number>;
}

/** The native handles a renderer needs; the data is the environment's, the model is shared. */
export interface Physics {
  readonly mj: MujocoModule;
  readonly model: MjModel;
  readonly data: MjData;
  /** Installs this environment's body and site placement into the shared model; call before using the model. */
  activate(): void;
}

const FRAME_SKIP = 5;
const ACTION_SCALE = 1.0 / 100;
const MAX_PATH_LENGTH = 500;
const OBS_OBJECTS_LEN = 14;
/** MetaWorld's _HAND_SPACE: bounds of the observed hand position. */
const HAND_SPACE_LOW: Vec3 = [-0.525, 0.348, -0.0525];
const HAND_SPACE_HIGH: Vec3 = [0.525, 1.025, 0.7];
const MOCAP_QUAT = [1, 0, 1, 0] as const;
/** MetaWorld's reset_mocap_welds: weld relative pose zero, quaternion (-1,0,0,0), torque scale 5. */
const WELD_DATA = [0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 5] as const;
const MJ_EQ_WELD = 1;

/** Live views into WASM memory; re-fetched if memory growth detached them. */
/** mujoco's typings give its typed-array views as `any`. */
const f64 = (view: unknown) => view as Float64Array;

interface Views {
  qpos: Float64Array;
  qvel: Float64Array;
  ctrl: Float64Array;
  mocapPos: Float64Array;
  mocapQuat: Float64Array;
  xpos: Float64Array;
  xquat: Float64Array;
  siteXpos: Float64Array;
  siteXmat: Float64Array;
  geomXpos: Float64Array;
  geomXmat: Float64Array;
  modelBodyPos: Float64Array;
  modelSitePos: Float64Array;
}

/**
 * MetaWorld's SawyerXYZEnv in TypeScript: the hand follows a mocap body moved by 1 cm per unit of
 * action (clipped to [-1, 1] and to the task's hand bounds), the last action element drives the two
 * gripper fingers, every step runs 5 physics steps, and the 39-dim observation is
 * [hand xyz, gripper opening, 14 object values, the same 18 from the previous step, goal xyz].
 *
 * Reset follows MetaWorld's order (reset data, 50 hand-settling steps, task placement). MetaWorld
 * runs reset_model twice per reset, so the second pass sees the model already placed; we place the
 * model before the single pass, which gives the same state, and we restore the XML defaults first
 * so an episode never depends on the previous one. The compiled model is shared by all instances of
 * a task XML; each instance installs its own body/site placement before it simulates.
 */
export abstract class SawyerXYZEnv extends EpisodicEnv {
  readonly id: string;
  readonly maxEpisodeSteps = MAX_PATH_LENGTH;
  readonly actionSpace: BoxSpace = box([-1, -1, -1, -1], [1, 1, 1, 1], 'float32');
  readonly observationSpace: BoxSpace;

  protected readonly mj: MujocoModule;
  protected readonly model: MjModel;
  protected readonly data: MjData;
  protected targetPos: Vec3 = [0, 0, 0];
  protected objInitPos: Vec3 = [0, 0, 0];
  protected initTcp: Vec3 = [0, 0, 0];

  private v!: Views;
  private prevObs = new Float64Array(18);
  private readonly shared: SharedModel;
  /** This environment's placement of bodies and sites (the model itself is shared). */
  private readonly bodyPos: Float64Array;
  private readonly sitePos: Float64Array;
  private readonly ids: {
    hand: number;
    rightClaw: number;
    leftClaw: number;
    rightEE: number;
    leftEE: number;
    goalSite: number;
  };

  constructor(
    library: ModelLibrary,
    readonly config: SawyerTaskConfig,
  ) {
    super();
    this.id = config.name;
    this.mj = library.mj;
    this.shared = library.model(config.xml);
    this.model = this.shared.model;
    this.bodyPos = Float64Array.from(this.shared.defaultBodyPos);
    this.sitePos = Float64Array.from(this.shared.defaultSitePos);
    this.data = new this.mj.MjData(this.model);
    this.refreshViews();
    this.resetMocapWelds();
    this.activate();
    this.mj.mj_forward(this.model, this.data);
    try {
      this.ids = {
        hand: this.bodyId('hand'),
        rightClaw: this.bodyId('rightclaw'),
        leftClaw: this.bodyId('leftclaw'),
        rightEE: this.siteId('rightEndEffector'),
        leftEE: this.siteId('leftEndEffector'),
        // Not every task has a goal site (button-press-topdown has none).
        goalSite: this.mj.mj_name2id(this.model, this.mj.mjtObj.mjOBJ_SITE.value, 'goal'),
      };
    } catch (error) {
      this.release();
      throw error;
    }
    const inf = Array<number>(OBS_OBJECTS_LEN).fill(Infinity);
    const low = [...HAND_SPACE_LOW, -1, ...inf.map((x) => -x)];
    const high = [...HAND_SPACE_HIGH, 1, ...inf];
    this.observationSpace = box([...low, ...low, ...config.goalLow], [...high, ...high, ...config.goalHigh], 'float64');
  }

  /** Native handles for rendering; valid until close(). */
  get physics(): Physics {
    return { mj: this.mj, model: this.model, data: this.data, activate: () => this.activate() };
  }

  // ---- task hooks (MetaWorld's per-task methods) ----

  /** Draws the reset vector; tasks with a rejection rule override this. */
  protected sampleRandomVector(rng: Rng): Float64Array {
    return rng.uniformVec(this.config.randomLow, this.config.randomHigh);
  }
  /** Model edits that depend only on the random vector (body/site positions). */
  protected abstract placeModel(rand: Float64Array): void;
  /** The rest of MetaWorld's reset_model, after the hand has settled. */
  protected abstract resetTask(rand: Float64Array): void;
  /** Writes position (3) and quaternion (4) of each observed object at `out[0..]`. */
  protected abstract writeObjects(out: Float64Array): void;
  protected abstract evaluate(obs: Float64Array, action: Float64Array): Evaluation;
  /** Whether the goal site follows the target after each step (MetaWorld's _target_site_config). */
  protected readonly tracksGoalSite: boolean = true;

  // ---- episode ----

  protected resetEpisode(rng: Rng): Float64Array {
    this.refreshViews();
    const rand = this.sampleRandomVector(rng);
    this.bodyPos.set(this.shared.defaultBodyPos);
    this.sitePos.set(this.shared.defaultSitePos);
    this.placeModel(rand);
    this.activate();
    this.mj.mj_resetData(this.model, this.data);
    this.resetHand();
    this.resetTask(rand);
    const obs = this.observe();
    obs.copyWithin(18, 0, 18);
    return obs;
  }

  protected advance(action: ActionInput): { transition: Transition; report: ActionReport } {
    this.refreshViews();
    this.activate();
    const { value: a, report } = sanitizeBoxAction(action, this.actionSpace);
    this.setXyzAction(a);
    this.v.ctrl[0] = a[3]!;
    this.v.ctrl[1] = -a[3]!;
    for (let i = 0; i < FRAME_SKIP; i++) this.mj.mj_step(this.model, this.data);
    // mj_step leaves positions from before its integration; MetaWorld calls mj_forward here. The
    // observation needs only the kinematics (the state itself is unchanged by either call).
    this.mj.mj_kinematics(this.model, this.data);
    if (this.tracksGoalSite && this.ids.goalSite >= 0) this.setSiteXpos(this.ids.goalSite, this.targetPos);
    const obs = this.observe();
    const { low, high } = this.observationSpace;
    for (let i = 0; i < obs.length; i++) obs[i] = Math.min(Math.max(obs[i]!, low[i]!), high[i]!);
    const { reward, success, metrics } = this.evaluate(obs, a);
    return { transition: { observation: obs, reward, terminated: false, success, metrics }, report };
  }

  protected override release(): void {
    this.data.delete();
  }

  /** Writes this environment's placement into the shared model (a few hundred doubles). */
  private activate(): void {
    this.refreshViews();
    this.v.modelBodyPos.set(this.bodyPos);
    this.v.modelSitePos.set(this.sitePos);
  }

  private setXyzAction(a: Float64Array): void {
    const { handLow, handHigh } = this.config;
    const pos = this.v.mocapPos;
    for (let i = 0; i < 3; i++) {
      pos[i] = Math.min(Math.max(pos[i]! + a[i]! * ACTION_SCALE, handLow[i]!), handHigh[i]!);
    }
    this.v.mocapQuat.set(MOCAP_QUAT);
  }

  private resetHand(steps = 50): void {
    for (let s = 0; s < steps; s++) {
      this.v.mocapPos.set(this.config.handInitPos);
      this.v.mocapQuat.set(MOCAP_QUAT);
      this.v.ctrl[0] = -1;
      this.v.ctrl[1] = 1;
      for (let i = 0; i < FRAME_SKIP; i++) this.mj.mj_step(this.model, this.data);
    }
    this.initTcp = this.tcpCenter();
  }

  private resetMocapWelds(): void {
    const eqType = this.model.eq_type as Int32Array;
    const eqData = this.model.eq_data as Float64Array;
    const width = eqData.length / Math.max(eqType.length, 1);
    for (let i = 0; i < eqType.length; i++) {
      if (eqType[i] === MJ_EQ_WELD) eqData.set(WELD_DATA, i * width);
    }
  }

  /** MetaWorld's _get_obs: current 18 values, previous 18, goal; remembers the current ones. */
  private observe(): Float64Array {
    const obs = new Float64Array(39);
    const { hand, rightClaw, leftClaw } = this.ids;
    obs.set(this.v.xpos.subarray(hand * 3, hand * 3 + 3), 0);
    const x = this.v.xpos;
    const apart = Math.sqrt(
      (x[rightClaw * 3]! - x[leftClaw * 3]!) ** 2 + (x[rightClaw * 3 + 1]! - x[leftClaw * 3 + 1]!) ** 2 + (x[rightClaw * 3 + 2]! - x[leftClaw * 3 + 2]!) ** 2,
    );
    obs[3] = Math.min(Math.max(apart / 0.1, 0.0), 1.0);
    this.writeObjects(obs.subarray(4, 18));
    obs.set(this.prevObs, 18);
    obs.set(this.targetPos, 36);
    this.prevObs = obs.slice(0, 18);
    return obs;
  }

  // ---- helpers for tasks ----

  protected bodyId(name: string): number {
    return this.lookup(this.mj.mjtObj.mjOBJ_BODY.value, 'body', name);
  }
  protected siteId(name: string): number {
    return this.lookup(this.mj.mjtObj.mjOBJ_SITE.value, 'site', name);
  }
  protected geomId(name: string): number {
    return this.lookup(this.mj.mjtObj.mjOBJ_GEOM.value, 'geom', name);
  }
  protected jointQposAddress(name: string): number {
    return (this.model.jnt_qposadr as Int32Array)[this.lookup(this.mj.mjtObj.mjOBJ_JOINT.value, 'joint', name)]!;
  }
  protected jointDofAddress(name: string): number {
    return (this.model.jnt_dofadr as Int32Array)[this.lookup(this.mj.mjtObj.mjOBJ_JOINT.value, 'joint', name)]!;
  }

  protected tcpCenter(): Vec3 {
    const s = this.v.siteXpos;
    const r = this.ids.rightEE * 3;
    const l = this.ids.leftEE * 3;
    return [(s[r]! + s[l]!) / 2.0, (s[r + 1]! + s[l + 1]!) / 2.0, (s[r + 2]! + s[l + 2]!) / 2.0];
  }
  protected bodyXpos(id: number): Vec3 {
    return vec3(this.v.xpos, id * 3);
  }
  /** Body orientation as MuJoCo stores it (w, x, y, z). */
  protected bodyXquat(id: number): [number, number, number, number] {
    const q = this.v.xquat;
    return [q[id * 4]!, q[id * 4 + 1]!, q[id * 4 + 2]!, q[id * 4 + 3]!];
  }
  protected siteXpos(id: number): Vec3 {
    return vec3(this.v.siteXpos, id * 3);
  }
  protected geomXpos(id: number): Vec3 {
    return vec3(this.v.geomXpos, id * 3);
  }
  /** Geom orientation as scipy's Rotation.from_matrix(...).as_quat() gives it (x, y, z, w). */
  protected geomQuatXyzw(id: number): [number, number, number, number] {
    return matrixToQuatXyzw(this.v.geomXmat, id * 9);
  }
  protected siteQuatXyzw(id: number): [number, number, number, number] {
    return matrixToQuatXyzw(this.v.siteXmat, id * 9);
  }
  protected setModelBodyPos(id: number, pos: readonly number[]): void {
    this.bodyPos.set(pos.slice(0, 3), id * 3);
    this.v.modelBodyPos.set(pos.slice(0, 3), id * 3);
  }
  protected setModelSitePos(id: number, pos: readonly number[]): void {
    this.sitePos.set(pos.slice(0, 3), id * 3);
    this.v.modelSitePos.set(pos.slice(0, 3), id * 3);
  }
  private setSiteXpos(id: number, pos: Vec3): void {
    this.v.siteXpos.set(pos, id * 3);
  }
  protected get qpos(): Float64Array {
    return this.v.qpos;
  }
  protected get qvel(): Float64Array {
    return this.v.qvel;
  }
  /** Gymnasium's set_state tail: recompute everything derived from qpos/qvel. */
  protected forward(): void {
    this.mj.mj_forward(this.model, this.data);
  }
  /** MetaWorld's default _set_obj_xyz: a free joint at qpos[9:12], its velocity zeroed. */
  protected setObjXyz(pos: Vec3): void {
    this.v.qpos.set(pos, 9);
    this.v.qvel.fill(0, 9, 15);
    this.forward();
  }
  /**
   * MetaWorld's touching_object: both finger pads have a contact with positive normal force
   * against the geom. Needs a full forward pass (contacts and constraint forces).
   */
  protected touchingGeom(geomId: number): boolean {
    this.forward();
    const left = this.geomId('leftpad_geom');
    const right = this.geomId('rightpad_geom');
    const contacts = this.data.contact;
    let leftForce = 0;
    let rightForce = 0;
    try {
      const efcForce = this.data.efc_force as Float64Array;
      for (let i = 0; i < contacts.size(); i++) {
        const c = contacts.get(i);
        if (!c) continue;
        const g1 = c.geom1;
        const g2 = c.geom2;
        const address = c.efc_address;
        c.delete();
        const touchesObject = g1 === geomId || g2 === geomId;
        if (!touchesObject || address < 0) continue;
        if (g1 === left || g2 === left) leftForce += efcForce[address]!;
        if (g1 === right || g2 === right) rightForce += efcForce[address]!;
      }
    } finally {
      contacts.delete();
      this.refreshViews();
    }
    return leftForce > 0 && rightForce > 0;
  }

  private lookup(type: number, kind: string, name: string): number {
    const id = this.mj.mj_name2id(this.model, type, name);
    if (id < 0) throw new SimulatorLoadError(`${this.config.xml} has no ${kind} named "${name}"`);
    return id;
  }

  private refreshViews(): void {
    if (this.v && this.v.qpos.length > 0) return;
    const d = this.data;
    const m = this.model;
    this.v = {
      qpos: f64(d.qpos),
      qvel: f64(d.qvel),
      ctrl: f64(d.ctrl),
      mocapPos: f64(d.mocap_pos),
      mocapQuat: f64(d.mocap_quat),
      xpos: f64(d.xpos),
      xquat: f64(d.xquat),
      siteXpos: f64(d.site_xpos),
      siteXmat: f64(d.site_xmat),
      geomXpos: f64(d.geom_xpos),
      geomXmat: f64(d.geom_xmat),
      modelBodyPos: f64(m.body_pos),
      modelSitePos: f64(m.site_pos),
    };
  }
}
