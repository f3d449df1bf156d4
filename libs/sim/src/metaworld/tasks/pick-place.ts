import type { ModelLibrary } from '../../mujoco/models.js';
import { hamacherProduct, tolerance } from '../reward-utils.js';
import type { Evaluation } from '../sawyer-env.js';
import { dist, vec3, type Vec3 } from '../vec.js';
import { HAND_HIGH, HAND_LOW, TARGET_RADIUS } from './common.js';
import { PuckAndGoalEnv } from './puck-and-goal.js';

const PAD_SUCCESS_MARGIN = 0.05;
const XZ_SUCCESS_MARGIN = 0.005;
const OBJ_RADIUS = 0.015;

const xz = (a: Vec3, b: Vec3): number => Math.sqrt((a[0] - b[0]) ** 2 + (a[2] - b[2]) ** 2);

/** pick-place-v3: grasp a puck and carry it to within 7 cm of a goal in the air. */
export class PickPlaceEnv extends PuckAndGoalEnv {
  private readonly leftPad: number;
  private readonly rightPad: number;

  constructor(library: ModelLibrary) {
    super(library, {
      name: 'pick-place-v3',
      xml: 'sawyer_xyz/sawyer_pick_place_v3.xml',
      handInitPos: [0, 0.6, 0.2],
      handLow: HAND_LOW,
      handHigh: HAND_HIGH,
      randomLow: [-0.1, 0.6, 0.02, -0.1, 0.8, 0.05],
      randomHigh: [0.1, 0.7, 0.02, 0.1, 0.9, 0.3],
      goalLow: [-0.1, 0.8, 0.05],
      goalHigh: [0.1, 0.9, 0.3],
    });
    this.leftPad = this.bodyId('leftpad');
    this.rightPad = this.bodyId('rightpad');
  }

  protected resetTask(rand: Float64Array): void {
    this.targetPos = vec3(rand, 3);
    this.objInitPos = vec3(rand, 0);
    this.setObjXyz(this.objInitPos);
  }

  protected writeObjects(out: Float64Array): void {
    out.set(this.bodyXpos(this.obj), 0);
    out.set(this.geomQuatXyzw(this.objGeom), 3);
  }

  /**
   * The pick-place variant of the caging reward. MetaWorld computes the pad margins from
   * `init_left_pad` / `init_right_pad`, but stores them as `get_body_com` views into MjData, so they
   * are the current pad positions at every step; we read the live pads too.
   */
  private cagingReward(action: Float64Array, obj: Vec3, tcp: Vec3): number {
    const leftPad = this.bodyXpos(this.leftPad);
    const rightPad = this.bodyXpos(this.rightPad);
    const rightMargin = Math.abs(Math.abs(obj[1] - rightPad[1]) - PAD_SUCCESS_MARGIN);
    const leftMargin = Math.abs(Math.abs(obj[1] - leftPad[1]) - PAD_SUCCESS_MARGIN);
    const right = tolerance(obj[1] - rightPad[1], [OBJ_RADIUS, PAD_SUCCESS_MARGIN], rightMargin, 'long_tail');
    const left = tolerance(leftPad[1] - obj[1], [OBJ_RADIUS, PAD_SUCCESS_MARGIN], leftMargin, 'long_tail');
    const yCaging = hamacherProduct(left, right);
    const xzMargin = xz(this.objInitPos, this.initTcp) - XZ_SUCCESS_MARGIN;
    const xzCaging = tolerance(xz(tcp, obj), [0, XZ_SUCCESS_MARGIN], xzMargin, 'long_tail');
    const gripperClosed = Math.min(Math.max(0, action[3]!), 1);
    const caging = hamacherProduct(yCaging, xzCaging);
    const gripping = caging > 0.97 ? gripperClosed : 0.0;
    return (hamacherProduct(caging, gripping) + caging) / 2;
  }

  protected evaluate(obs: Float64Array, action: Float64Array): Evaluation {
    const tcp = this.tcpCenter();
    const obj: Vec3 = vec3(obs, 4);
    const tcpOpened = obs[3]!;
    const objToTarget = dist(obj, this.targetPos);
    const tcpToObj = dist(obj, tcp);
    const inPlace = tolerance(objToTarget, [0, TARGET_RADIUS], dist(this.objInitPos, this.targetPos), 'long_tail');
    const objectGrasped = this.cagingReward(action, obj, tcp);
    let reward = hamacherProduct(objectGrasped, inPlace);
    if (tcpToObj < 0.02 && tcpOpened > 0 && obj[2] - 0.01 > this.objInitPos[2]) reward += 1.0 + 5.0 * inPlace;
    if (objToTarget < TARGET_RADIUS) reward = 10.0;
    const graspSuccess = tcpOpened > 0 && obj[2] - 0.02 > this.objInitPos[2] && this.touchingGeom(this.objGeom);
    return {
      reward,
      success: objToTarget <= 0.07,
      metrics: {
        near_object: Number(tcpToObj <= 0.03),
        grasp_success: Number(graspSuccess),
        grasp_reward: objectGrasped,
        in_place_reward: inPlace,
        obj_to_target: objToTarget,
        unscaled_reward: reward,
      },
    };
  }
}
