import type { ModelLibrary } from '../../mujoco/models.js';
import { hamacherProduct, tolerance } from '../reward-utils.js';
import { SawyerXYZEnv, type Evaluation } from '../sawyer-env.js';
import { add, dist, norm, scale, sub, vec3, type Vec3 } from '../vec.js';
import { f32, HAND_HIGH, HAND_LOW, TARGET_RADIUS } from './common.js';

const drawerConfig = (name: string) => ({
  name,
  xml: 'sawyer_xyz/sawyer_drawer.xml',
  handInitPos: f32([0, 0.6, 0.2]),
  handLow: HAND_LOW,
  handHigh: HAND_HIGH,
  randomLow: [-0.1, 0.9, 0.0],
  randomHigh: [0.1, 0.9, 0.0],
  goalLow: HAND_LOW,
  goalHigh: HAND_HIGH,
});

/** drawer-open-v3: pull the drawer out until its handle is within 3 cm of the open position. */
export class DrawerOpenEnv extends SawyerXYZEnv {
  private static readonly MAX_DIST = 0.2;
  private readonly drawer: number;
  private readonly drawerLink: number;
  private readonly goalSite: number;

  constructor(library: ModelLibrary) {
    super(library, drawerConfig('drawer-open-v3'));
    this.drawer = this.bodyId('drawer');
    this.drawerLink = this.bodyId('drawer_link');
    this.goalSite = this.siteId('goal');
  }

  protected placeModel(rand: Float64Array): void {
    this.setModelBodyPos(this.drawer, Array.from(rand));
    this.setModelSitePos(this.goalSite, add(vec3(rand), [0, -0.16 - DrawerOpenEnv.MAX_DIST, 0.09]));
  }

  protected resetTask(rand: Float64Array): void {
    this.objInitPos = vec3(rand);
    this.placeModel(rand);
    this.targetPos = add(this.objInitPos, [0, -0.16 - DrawerOpenEnv.MAX_DIST, 0.09]);
  }

  protected writeObjects(out: Float64Array): void {
    out.set(add(this.bodyXpos(this.drawerLink), [0, -0.16, 0]), 0);
    out.set(this.bodyXquat(this.drawerLink), 3);
  }

  protected evaluate(obs: Float64Array): Evaluation {
    const gripper: Vec3 = vec3(obs, 0);
    const handle: Vec3 = vec3(obs, 4);
    const handleError = dist(handle, this.targetPos);
    const opening = tolerance(handleError, [0, 0.02], DrawerOpenEnv.MAX_DIST, 'long_tail');
    const handleInit = add(this.targetPos, [0, DrawerOpenEnv.MAX_DIST, 0]);
    // X-Y error weighs more, so the gripper drops down to cage the handle instead of hitting it.
    const weights = [3.0, 3.0, 1.0];
    const gripperError = scale(sub(handle, gripper), weights);
    const gripperErrorInit = scale(sub(handleInit, this.initTcp), weights);
    const caging = tolerance(norm(gripperError), [0, 0.01], norm(gripperErrorInit), 'long_tail');
    const reward = (caging + opening) * 5.0;
    return {
      reward,
      success: handleError <= 0.03,
      metrics: {
        near_object: Number(dist(handle, gripper) <= 0.03),
        grasp_success: Number(obs[3]! > 0),
        grasp_reward: caging,
        in_place_reward: opening,
        obj_to_target: handleError,
        unscaled_reward: reward,
      },
    };
  }
}

/** drawer-close-v3: push the open drawer shut (handle within 6.5 cm of the closed position). */
export class DrawerCloseEnv extends SawyerXYZEnv {
  private static readonly MAX_DIST = 0.15;
  private readonly drawer: number;
  private readonly drawerLink: number;
  private readonly goalSite: number;

  constructor(library: ModelLibrary) {
    super(library, drawerConfig('drawer-close-v3'));
    this.drawer = this.bodyId('drawer');
    this.drawerLink = this.bodyId('drawer_link');
    this.goalSite = this.siteId('goal');
  }

  protected placeModel(rand: Float64Array): void {
    this.setModelBodyPos(this.drawer, Array.from(rand));
    this.setModelSitePos(this.goalSite, add(vec3(rand), [0, -0.16, 0.09]));
  }

  protected resetTask(rand: Float64Array): void {
    this.placeModel(rand);
    this.targetPos = add(vec3(rand), [0, -0.16, 0.09]);
    // Pull the drawer out all the way (MetaWorld writes qpos[9] and keeps the velocity).
    this.qpos[9] = -DrawerCloseEnv.MAX_DIST;
    this.forward();
    this.objInitPos = this.handlePos();
  }

  private handlePos(): Vec3 {
    return add(this.bodyXpos(this.drawerLink), [0, -0.16, 0.05]);
  }

  protected writeObjects(out: Float64Array): void {
    out.set(this.handlePos(), 0);
    out.fill(0, 3, 7);
  }

  protected evaluate(obs: Float64Array, action: Float64Array): Evaluation {
    const obj: Vec3 = vec3(obs, 4);
    const tcp = this.tcpCenter();
    const targetToObj = dist(obj, this.targetPos);
    const targetToObjInit = dist(this.objInitPos, this.targetPos);
    const inPlace = tolerance(targetToObj, [0, TARGET_RADIUS], Math.abs(targetToObjInit - TARGET_RADIUS), 'long_tail');
    const handleReachRadius = 0.005;
    const tcpToObj = dist(obj, tcp);
    const tcpToObjInit = dist(this.objInitPos, this.initTcp);
    const reachOnly = tolerance(tcpToObj, [0, handleReachRadius], Math.abs(tcpToObjInit - handleReachRadius), 'gaussian');
    const gripperClosed = Math.min(Math.max(0, action[3]!), 1);
    const reach = hamacherProduct(reachOnly, gripperClosed);
    const success = targetToObj <= TARGET_RADIUS + 0.015;
    const reward = 10 * (success ? 1.0 : hamacherProduct(reach, inPlace));
    return {
      reward,
      success,
      metrics: {
        near_object: Number(tcpToObj <= 0.01),
        grasp_success: 1.0,
        grasp_reward: reach,
        in_place_reward: inPlace,
        obj_to_target: targetToObj,
        unscaled_reward: reward,
      },
    };
  }
}
