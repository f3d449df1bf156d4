import type { Rng } from '../../core/rng.js';
import type { ModelLibrary } from '../../mujoco/models.js';
import { gripperCagingReward } from '../caging.js';
import { hamacherProduct, rectPrismTolerance, tolerance } from '../reward-utils.js';
import { SawyerXYZEnv, type Evaluation } from '../sawyer-env.js';
import { add, dist, norm, scale, sub, vec3, type Vec3 } from '../vec.js';
import { HAND_HIGH, HAND_LOW, separatedXY } from './common.js';

const HOLE_OFFSET = [0.03, 0.0, 0.13];
/** MetaWorld's peg-insert-side class overrides the base TARGET_RADIUS (0.05) with 0.07, the success distance. */
const TARGET_RADIUS = 0.07;
/** Errors in Y and Z count double, so the peg is lifted and lined up before it is pushed in. */
const ERROR_WEIGHTS = [1.0, 2.0, 2.0];

/** peg-insert-side-v3: pick up a peg and push its head into the hole in the side of a box. */
export class PegInsertSideEnv extends SawyerXYZEnv {
  private readonly box: number;
  private readonly goalSite: number;
  private readonly pegGrasp: number;
  private readonly pegHead: number;
  private readonly leftPad: number;
  private readonly rightPad: number;
  private readonly collisionBoxes: [number, number, number, number];
  private pegHeadPosInit: Vec3 = [0, 0, 0];

  constructor(library: ModelLibrary) {
    super(library, {
      name: 'peg-insert-side-v3',
      xml: 'sawyer_xyz/sawyer_peg_insertion_side.xml',
      handInitPos: [0, 0.6, 0.2],
      handLow: HAND_LOW,
      handHigh: HAND_HIGH,
      randomLow: [0.0, 0.5, 0.02, -0.35, 0.4, -0.001],
      randomHigh: [0.2, 0.7, 0.02, -0.25, 0.7, 0.001],
      goalLow: add([-0.35, 0.4, -0.001], HOLE_OFFSET),
      goalHigh: add([-0.25, 0.7, 0.001], HOLE_OFFSET),
    });
    this.box = this.bodyId('box');
    this.goalSite = this.siteId('goal');
    this.pegGrasp = this.siteId('pegGrasp');
    this.pegHead = this.siteId('pegHead');
    this.leftPad = this.bodyId('leftpad');
    this.rightPad = this.bodyId('rightpad');
    this.collisionBoxes = [
      this.siteId('bottom_right_corner_collision_box_1'),
      this.siteId('top_left_corner_collision_box_1'),
      this.siteId('bottom_right_corner_collision_box_2'),
      this.siteId('top_left_corner_collision_box_2'),
    ];
  }

  protected override sampleRandomVector(rng: Rng): Float64Array {
    return separatedXY(() => super.sampleRandomVector(rng), 0.1);
  }

  protected placeModel(rand: Float64Array): void {
    this.setModelBodyPos(this.box, Array.from(rand.subarray(3, 6)));
    this.setModelSitePos(this.goalSite, add(vec3(rand, 3), HOLE_OFFSET));
  }

  protected resetTask(rand: Float64Array): void {
    this.objInitPos = vec3(rand, 0);
    // MetaWorld reads the head position before moving the peg, i.e. at its default place.
    this.pegHeadPosInit = this.siteXpos(this.pegHead);
    this.setObjXyz(this.objInitPos);
    this.placeModel(rand);
    this.targetPos = add(vec3(rand, 3), HOLE_OFFSET);
  }

  protected writeObjects(out: Float64Array): void {
    out.set(this.siteXpos(this.pegGrasp), 0);
    out.set(this.siteQuatXyzw(this.pegGrasp), 3);
  }

  protected evaluate(obs: Float64Array, action: Float64Array): Evaluation {
    const tcp = this.tcpCenter();
    const obj: Vec3 = vec3(obs, 4);
    const head = this.siteXpos(this.pegHead);
    const tcpOpened = obs[3]!;
    const tcpToObj = dist(obj, tcp);
    const objToTarget = norm(scale(sub(head, this.targetPos), ERROR_WEIGHTS));
    const margin = norm(scale(sub(this.pegHeadPosInit, this.targetPos), ERROR_WEIGHTS));
    const [brc1, tlc1, brc2, tlc2] = this.collisionBoxes.map((id) => this.siteXpos(id)) as [Vec3, Vec3, Vec3, Vec3];
    const collisionBoxes = hamacherProduct(rectPrismTolerance(head, brc2, tlc2), rectPrismTolerance(head, brc1, tlc1));
    const inPlace = hamacherProduct(tolerance(objToTarget, [0, TARGET_RADIUS], margin, 'long_tail'), collisionBoxes);
    const lifted = tcpToObj < 0.08 && tcpOpened > 0 && obj[2] - 0.01 > this.objInitPos[2];
    const objectGrasped = lifted
      ? 1.0
      : gripperCagingReward(
          {
            gripEffort: action[3]!,
            obj,
            objInit: this.objInitPos,
            tcp,
            initTcp: this.initTcp,
            leftPad: this.bodyXpos(this.leftPad),
            rightPad: this.bodyXpos(this.rightPad),
          },
          { objectReachRadius: 0.01, objRadius: 0.0075, padSuccessThresh: 0.03, xzThresh: 0.005, highDensity: true },
        );
    let reward = hamacherProduct(objectGrasped, inPlace);
    if (lifted) reward += 1.0 + 5 * inPlace;
    if (objToTarget <= TARGET_RADIUS) reward = 10.0;
    return {
      reward,
      success: objToTarget <= TARGET_RADIUS,
      metrics: {
        near_object: Number(tcpToObj <= 0.03),
        grasp_success: Number(tcpToObj < 0.02 && tcpOpened > 0 && obj[2] - 0.01 > this.objInitPos[2]),
        grasp_reward: objectGrasped,
        in_place_reward: inPlace,
        obj_to_target: objToTarget,
        unscaled_reward: reward,
      },
    };
  }
}
