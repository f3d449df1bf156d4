import { hamacherProduct, tolerance } from './reward-utils.js';
import { norm, sub, type Vec3 } from './vec.js';

export interface CagingInput {
  readonly gripEffort: number;
  readonly obj: Vec3;
  readonly objInit: Vec3;
  readonly tcp: Vec3;
  readonly initTcp: Vec3;
  readonly leftPad: Vec3;
  readonly rightPad: Vec3;
}

export interface CagingParams {
  readonly objRadius: number;
  readonly padSuccessThresh: number;
  readonly objectReachRadius: number;
  readonly xzThresh: number;
  readonly desiredGripperEffort?: number;
  readonly highDensity?: boolean;
  readonly mediumDensity?: boolean;
}

const xzDistance = (a: Vec3, b: Vec3): number => Math.sqrt((a[0] - b[0]) ** 2 + (a[2] - b[2]) ** 2);

/**
 * SawyerXYZEnv._gripper_caging_reward: rewards the pads for closing around the object in Y
 * (margins measured from the object's initial position), the gripper centre for reaching it in
 * X-Z, and closing the gripper once caged.
 */
export const gripperCagingReward = (input: CagingInput, params: CagingParams): number => {
  const { obj, objInit, tcp, initTcp, leftPad, rightPad, gripEffort } = input;
  const { objRadius, padSuccessThresh, objectReachRadius, xzThresh } = params;
  const desiredEffort = params.desiredGripperEffort ?? 1.0;
  if (params.highDensity && params.mediumDensity) throw new RangeError('can only be either high_density or medium_density');

  const padY = [leftPad[1], rightPad[1]];
  const caging = padY.map((y) => {
    const padToObj = Math.abs(y - obj[1]);
    const padToObjInit = Math.abs(y - objInit[1]);
    return tolerance(padToObj, [objRadius, padSuccessThresh], Math.abs(padToObjInit - padSuccessThresh), 'long_tail');
  });
  const cagingY = hamacherProduct(caging[0]!, caging[1]!);

  const xzMargin = xzDistance(objInit, initTcp) - xzThresh;
  const cagingXz = tolerance(xzDistance(tcp, obj), [0, xzThresh], xzMargin, 'long_tail');

  const gripperClosed = Math.min(Math.max(0, gripEffort), desiredEffort) / desiredEffort;
  const cagingAll = hamacherProduct(cagingY, cagingXz);
  const gripping = cagingAll > 0.97 ? gripperClosed : 0.0;
  let result = hamacherProduct(cagingAll, gripping);
  if (params.highDensity) result = (result + cagingAll) / 2;
  if (params.mediumDensity) {
    const reachMargin = Math.abs(norm(sub(objInit, initTcp)) - objectReachRadius);
    const reach = tolerance(norm(sub(obj, tcp)), [0, objectReachRadius], reachMargin, 'long_tail');
    result = (result + reach) / 2;
  }
  return result;
};
