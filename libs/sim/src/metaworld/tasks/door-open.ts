import type { ModelLibrary } from '../../mujoco/models.js';
import { hamacherProduct, tolerance } from '../reward-utils.js';
import { SawyerXYZEnv, type Evaluation } from '../sawyer-env.js';
import { add, norm, vec3, type Vec3 } from '../vec.js';
import { HAND_HIGH, HAND_LOW } from './common.js';

const GOAL_OFFSET = [-0.3, -0.45, 0.0];

/** door-open-v3: pull the door open until its handle is within 8 cm (in X) of the goal. */
export class DoorOpenEnv extends SawyerXYZEnv {
  protected override readonly tracksGoalSite = false;
  private readonly door: number;
  private readonly handle: number;
  private readonly goalSite: number;
  private readonly doorQpos: number;
  private readonly doorQvel: number;

  constructor(library: ModelLibrary) {
    super(library, {
      name: 'door-open-v3',
      xml: 'sawyer_xyz/sawyer_door_pull.xml',
      handInitPos: [0, 0.6, 0.2],
      handLow: HAND_LOW,
      handHigh: HAND_HIGH,
      randomLow: [0.0, 0.85, 0.15],
      randomHigh: [0.1, 0.95, 0.15],
      goalLow: [-0.3, 0.4, 0.1499],
      goalHigh: [-0.2, 0.5, 0.1501],
    });
    this.door = this.bodyId('door');
    this.handle = this.geomId('handle');
    this.goalSite = this.siteId('goal');
    this.doorQpos = this.jointQposAddress('doorjoint');
    this.doorQvel = this.jointDofAddress('doorjoint');
  }

  protected placeModel(rand: Float64Array): void {
    this.setModelBodyPos(this.door, Array.from(rand));
    this.setModelSitePos(this.goalSite, add(vec3(rand), GOAL_OFFSET));
  }

  protected resetTask(rand: Float64Array): void {
    this.objInitPos = vec3(rand);
    this.targetPos = add(this.objInitPos, GOAL_OFFSET);
    this.placeModel(rand);
    this.qpos[this.doorQpos] = 0;
    this.qvel[this.doorQvel] = 0;
    this.forward();
  }

  protected writeObjects(out: Float64Array): void {
    out.set(this.geomXpos(this.handle), 0);
    out.set(this.geomQuatXyzw(this.handle), 3);
  }

  /** Keep the hand above a funnel around the handle, then reward the door angle. */
  private static rewardPos(obs: Float64Array, theta: number): [number, number] {
    const hand: Vec3 = vec3(obs, 0);
    const door: Vec3 = add(vec3(obs, 4), [-0.05, 0, 0]);
    const threshold = 0.12;
    const radius = Math.sqrt((hand[0] - door[0]) ** 2 + (hand[1] - door[1]) ** 2);
    const floor = radius <= threshold ? 0.0 : 0.04 * Math.log(radius - threshold) + 0.4;
    const aboveFloor = hand[2] >= floor ? 1.0 : tolerance(floor - hand[2], [0.0, 0.01], floor / 2.0, 'long_tail');
    const inPlace = tolerance(norm([hand[0] - door[0] - 0.05, hand[1] - door[1] - 0.03, hand[2] - door[2] + 0.01]), [0, threshold / 2.0], 0.5, 'long_tail');
    const readyToOpen = hamacherProduct(aboveFloor, inPlace);
    const doorAngle = -theta;
    const opened = 0.2 * Number(theta < -Math.PI / 90.0) + 0.8 * tolerance(Math.PI / 2.0 + Math.PI / 6 - doorAngle, [0, 0.5], Math.PI / 3.0, 'long_tail');
    return [readyToOpen, opened];
  }

  protected evaluate(obs: Float64Array, action: Float64Array): Evaluation {
    const theta = this.qpos[this.doorQpos]!;
    const grab = (Math.min(Math.max(action[3]!, -1), 1) + 1.0) / 2.0;
    const [ready, opened] = DoorOpenEnv.rewardPos(obs, theta);
    const success = Math.abs(obs[4]! - this.targetPos[0]) <= 0.08;
    const reward = success ? 10.0 : 2.0 * hamacherProduct(ready, grab) + 8.0 * opened;
    return {
      reward,
      success,
      metrics: {
        near_object: ready,
        grasp_success: Number(grab >= 0.5),
        grasp_reward: grab,
        in_place_reward: opened,
        obj_to_target: 0,
        unscaled_reward: reward,
      },
    };
  }
}
