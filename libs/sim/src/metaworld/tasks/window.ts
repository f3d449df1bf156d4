import type { ModelLibrary } from '../../mujoco/models.js';
import { hamacherProduct, tolerance, type Sigmoid } from '../reward-utils.js';
import { SawyerXYZEnv, type Evaluation, type SawyerTaskConfig } from '../sawyer-env.js';
import { add, dist, vec3, type Vec3 } from '../vec.js';
import { f32, HAND_HIGH, HAND_LOW, TARGET_RADIUS } from './common.js';

const HANDLE_RADIUS = 0.02;

interface WindowVariant {
  readonly config: SawyerTaskConfig;
  /** Site whose position is the observed object. */
  readonly handleSite: string;
  /** Goal relative to the window body position. */
  readonly goalOffset: readonly number[];
  /** Offset from the handle site at reset to the reference handle position used in the margins. */
  readonly handleInitOffset: readonly number[];
  /** Whether the in-place margin starts from that handle position (close) or the window body (open). */
  readonly marginFromHandle: boolean;
  /** Initial slide of the window (0 = closed, 0.2 = open). */
  readonly initialSlide: number;
  readonly reachSigmoid: Sigmoid;
}

/**
 * Sliding-window tasks: move the handle along X until it is within 5 cm of the goal. The reward is
 * the Hamacher product of reaching the handle and the window's progress.
 */
class SlidingWindowEnv extends SawyerXYZEnv {
  private readonly window: number;
  private readonly goalSite: number;
  private readonly handle: number;
  private readonly slideQpos: number;
  private handlePosInit: Vec3 = [0, 0, 0];
  private targetToObjInit = 0;

  protected constructor(
    library: ModelLibrary,
    private readonly variant: WindowVariant,
  ) {
    super(library, variant.config);
    this.window = this.bodyId('window');
    this.goalSite = this.siteId('goal');
    this.handle = this.siteId(variant.handleSite);
    this.slideQpos = this.jointQposAddress('window_slide');
  }

  protected placeModel(rand: Float64Array): void {
    this.setModelBodyPos(this.window, Array.from(rand));
    this.setModelSitePos(this.goalSite, add(vec3(rand), this.variant.goalOffset));
  }

  protected resetTask(rand: Float64Array): void {
    this.objInitPos = vec3(rand);
    this.targetPos = add(this.objInitPos, this.variant.goalOffset);
    this.placeModel(rand);
    this.handlePosInit = add(this.siteXpos(this.handle), this.variant.handleInitOffset);
    const reference = this.variant.marginFromHandle ? this.handlePosInit : this.objInitPos;
    this.targetToObjInit = Math.abs(reference[0] - this.targetPos[0]);
    // MetaWorld sets the slide without a forward pass, so the first observation shows the old pose.
    this.qpos[this.slideQpos] = this.variant.initialSlide;
  }

  protected writeObjects(out: Float64Array): void {
    out.set(this.siteXpos(this.handle), 0);
    out.fill(0, 3, 7);
  }

  protected evaluate(): Evaluation {
    const obj = this.siteXpos(this.handle);
    const tcp = this.tcpCenter();
    const targetToObj = Math.abs(obj[0] - this.targetPos[0]);
    const inPlace = tolerance(targetToObj, [0, TARGET_RADIUS], Math.abs(this.targetToObjInit - TARGET_RADIUS), 'long_tail');
    const tcpToObj = dist(obj, tcp);
    const tcpToObjInit = dist(this.handlePosInit, this.initTcp);
    const reach = tolerance(tcpToObj, [0, HANDLE_RADIUS], Math.abs(tcpToObjInit - HANDLE_RADIUS), this.variant.reachSigmoid);
    const reward = 10 * hamacherProduct(reach, inPlace);
    return {
      reward,
      success: targetToObj <= TARGET_RADIUS,
      metrics: {
        near_object: Number(tcpToObj <= 0.05),
        grasp_success: 1.0,
        grasp_reward: reach,
        in_place_reward: inPlace,
        obj_to_target: targetToObj,
        unscaled_reward: reward,
      },
    };
  }
}

/** window-open-v3: slide the window open by 20 cm. */
export class WindowOpenEnv extends SlidingWindowEnv {
  constructor(library: ModelLibrary) {
    super(library, {
      config: {
        name: 'window-open-v3',
        xml: 'sawyer_xyz/sawyer_window_horizontal.xml',
        handInitPos: f32([0, 0.4, 0.2]),
        handLow: HAND_LOW,
        handHigh: HAND_HIGH,
        randomLow: [-0.1, 0.7, 0.16],
        randomHigh: [0.1, 0.9, 0.16],
        goalLow: HAND_LOW,
        goalHigh: HAND_HIGH,
      },
      handleSite: 'handleOpenStart',
      goalOffset: [0.2, 0, 0],
      handleInitOffset: [0, 0, 0],
      marginFromHandle: false,
      initialSlide: 0.0,
      reachSigmoid: 'long_tail',
    });
  }
}

/** window-close-v3: slide the open window shut. */
export class WindowCloseEnv extends SlidingWindowEnv {
  constructor(library: ModelLibrary) {
    super(library, {
      config: {
        name: 'window-close-v3',
        xml: 'sawyer_xyz/sawyer_window_horizontal.xml',
        handInitPos: f32([0, 0.4, 0.2]),
        handLow: HAND_LOW,
        handHigh: HAND_HIGH,
        randomLow: [0.0, 0.75, 0.2],
        randomHigh: [0.0, 0.9, 0.2],
        goalLow: HAND_LOW,
        goalHigh: HAND_HIGH,
      },
      handleSite: 'handleCloseStart',
      goalOffset: [0, 0, 0],
      handleInitOffset: [0.2, 0, 0],
      marginFromHandle: true,
      initialSlide: 0.2,
      reachSigmoid: 'gaussian',
    });
  }
}
