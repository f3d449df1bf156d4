import type { ModelLibrary } from '../../mujoco/models.js';
import { hamacherProduct, tolerance } from '../reward-utils.js';
import { SawyerXYZEnv, type Evaluation } from '../sawyer-env.js';
import { add, dist, vec3, type Vec3 } from '../vec.js';
import { f32, HAND_HIGH, HAND_LOW } from './common.js';

/** button-press-topdown-v3: press the button down to within 2.4 cm of the bottom of its hole. */
export class ButtonPressTopdownEnv extends SawyerXYZEnv {
  protected override readonly tracksGoalSite = false;
  private readonly box: number;
  private readonly button: number;
  private readonly hole: number;
  private readonly buttonStart: number;
  private objToTargetInit = 0;

  constructor(library: ModelLibrary) {
    super(library, {
      name: 'button-press-topdown-v3',
      xml: 'sawyer_xyz/sawyer_button_press_topdown.xml',
      handInitPos: f32([0, 0.4, 0.2]),
      handLow: HAND_LOW,
      handHigh: HAND_HIGH,
      randomLow: [-0.1, 0.8, 0.115],
      randomHigh: [0.1, 0.9, 0.115],
      goalLow: HAND_LOW,
      goalHigh: HAND_HIGH,
    });
    this.box = this.bodyId('box');
    this.button = this.bodyId('button');
    this.hole = this.siteId('hole');
    this.buttonStart = this.siteId('buttonStart');
  }

  protected placeModel(rand: Float64Array): void {
    this.setModelBodyPos(this.box, Array.from(rand));
  }

  protected resetTask(rand: Float64Array): void {
    this.objInitPos = vec3(rand);
    this.placeModel(rand);
    this.forward();
    this.targetPos = this.siteXpos(this.hole);
    this.objToTargetInit = Math.abs(this.targetPos[2] - this.siteXpos(this.buttonStart)[2]);
  }

  protected writeObjects(out: Float64Array): void {
    out.set(add(this.bodyXpos(this.button), [0, 0, 0.193]), 0);
    out.set(this.bodyXquat(this.button), 3);
  }

  protected evaluate(obs: Float64Array): Evaluation {
    const obj: Vec3 = vec3(obs, 4);
    const tcp = this.tcpCenter();
    const tcpToObj = dist(obj, tcp);
    const tcpToObjInit = dist(obj, this.initTcp);
    const objToTarget = Math.abs(this.targetPos[2] - obj[2]);
    const tcpClosed = 1 - obs[3]!;
    const nearButton = tolerance(tcpToObj, [0, 0.01], tcpToObjInit, 'long_tail');
    const pressed = tolerance(objToTarget, [0, 0.005], this.objToTargetInit, 'long_tail');
    let reward = 5 * hamacherProduct(tcpClosed, nearButton);
    if (tcpToObj <= 0.03) reward += 5 * pressed;
    return {
      reward,
      success: objToTarget <= 0.024,
      metrics: {
        near_object: Number(tcpToObj <= 0.05),
        grasp_success: Number(obs[3]! > 0),
        grasp_reward: nearButton,
        in_place_reward: pressed,
        obj_to_target: objToTarget,
        unscaled_reward: reward,
      },
    };
  }
}
