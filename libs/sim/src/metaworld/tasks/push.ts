import type { ModelLibrary } from '../../mujoco/models.js';
import { gripperCagingReward } from '../caging.js';
import { tolerance } from '../reward-utils.js';
import type { Evaluation } from '../sawyer-env.js';
import { dist, vec3, type Vec3 } from '../vec.js';
import { HAND_HIGH, HAND_LOW, TARGET_RADIUS } from './common.js';
import { PuckAndGoalEnv } from './puck-and-goal.js';

/** push-v3: slide a puck across the table to within 5 cm of a goal. */
export class PushEnv extends PuckAndGoalEnv {
  private readonly leftPad: number;
  private readonly rightPad: number;

  constructor(library: ModelLibrary) {
    super(library, {
      name: 'push-v3',
      xml: 'sawyer_xyz/sawyer_push_v3.xml',
      handInitPos: [0, 0.6, 0.2],
      handLow: HAND_LOW,
      handHigh: HAND_HIGH,
      randomLow: [-0.1, 0.6, 0.02, -0.1, 0.8, 0.01],
      randomHigh: [0.1, 0.7, 0.02, 0.1, 0.9, 0.02],
      goalLow: [-0.1, 0.8, 0.01],
      goalHigh: [0.1, 0.9, 0.02],
    });
    this.leftPad = this.bodyId('leftpad');
    this.rightPad = this.bodyId('rightpad');
  }

  /** The goal goes where the puck settles, so resetTask places it. */
  protected override placeModel(): void {}

  protected resetTask(rand: Float64Array): void {
    // The puck keeps the height it settled at; only its XY comes from the random vector.
    const z = this.bodyXpos(this.obj)[2];
    this.targetPos = [rand[3]!, rand[4]!, z];
    this.objInitPos = [rand[0]!, rand[1]!, z];
    this.setObjXyz(this.objInitPos);
    this.setModelSitePos(this.goalSite, this.targetPos);
  }

  protected writeObjects(out: Float64Array): void {
    out.set(this.bodyXpos(this.obj), 0);
    out.set(this.geomQuatXyzw(this.objGeom), 3);
  }

  protected evaluate(obs: Float64Array, action: Float64Array): Evaluation {
    const obj: Vec3 = vec3(obs, 4);
    const tcpOpened = obs[3]!;
    const tcp = this.tcpCenter();
    const tcpToObj = dist(obj, tcp);
    const targetToObj = dist(obj, this.targetPos);
    const targetToObjInit = dist(this.objInitPos, this.targetPos);
    const inPlace = tolerance(targetToObj, [0, TARGET_RADIUS], targetToObjInit, 'long_tail');
    const objectGrasped = gripperCagingReward(
      {
        gripEffort: action[3]!,
        obj,
        objInit: this.objInitPos,
        tcp,
        initTcp: this.initTcp,
        leftPad: this.bodyXpos(this.leftPad),
        rightPad: this.bodyXpos(this.rightPad),
      },
      { objectReachRadius: 0.01, objRadius: 0.015, padSuccessThresh: 0.05, xzThresh: 0.005, highDensity: true },
    );
    let reward = 2 * objectGrasped;
    if (tcpToObj < 0.02 && tcpOpened > 0) reward += 1.0 + reward + 5.0 * inPlace;
    if (targetToObj < TARGET_RADIUS) reward = 10.0;
    const graspSuccess = tcpOpened > 0 && obj[2] - 0.02 > this.objInitPos[2] && this.touchingGeom(this.objGeom);
    return {
      reward,
      success: targetToObj <= TARGET_RADIUS,
      metrics: {
        near_object: Number(tcpToObj <= 0.03),
        grasp_success: Number(graspSuccess),
        grasp_reward: objectGrasped,
        in_place_reward: inPlace,
        obj_to_target: targetToObj,
        unscaled_reward: reward,
      },
    };
  }
}
