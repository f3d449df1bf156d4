import type { ModelLibrary } from '../../mujoco/models.js';
import { tolerance } from '../reward-utils.js';
import type { Evaluation } from '../sawyer-env.js';
import { dist, norm, sub, vec3 } from '../vec.js';
import { HAND_HIGH, HAND_LOW, TARGET_RADIUS } from './common.js';
import { PuckAndGoalEnv } from './puck-and-goal.js';

/** reach-v3: bring the gripper centre within 5 cm of a goal in the air. */
export class ReachEnv extends PuckAndGoalEnv {
  constructor(library: ModelLibrary) {
    super(library, {
      name: 'reach-v3',
      xml: 'sawyer_xyz/sawyer_reach_v3.xml',
      handInitPos: [0, 0.6, 0.2],
      handLow: HAND_LOW,
      handHigh: HAND_HIGH,
      randomLow: [-0.1, 0.6, 0.02, -0.1, 0.8, 0.05],
      randomHigh: [0.1, 0.7, 0.02, 0.1, 0.9, 0.3],
      goalLow: [-0.1, 0.8, 0.05],
      goalHigh: [0.1, 0.9, 0.3],
    });
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

  protected evaluate(): Evaluation {
    const tcpToTarget = dist(this.tcpCenter(), this.targetPos);
    const margin = norm(sub(this.config.handInitPos, this.targetPos));
    const inPlace = tolerance(tcpToTarget, [0, TARGET_RADIUS], margin, 'long_tail');
    const reward = 10 * inPlace;
    return {
      reward,
      success: tcpToTarget <= 0.05,
      metrics: {
        near_object: tcpToTarget,
        grasp_success: 1.0,
        grasp_reward: tcpToTarget,
        in_place_reward: inPlace,
        obj_to_target: tcpToTarget,
        unscaled_reward: reward,
      },
    };
  }
}
