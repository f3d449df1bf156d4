import type { Rng } from '../../core/rng.js';
import type { ModelLibrary } from '../../mujoco/models.js';
import { SawyerXYZEnv, type SawyerTaskConfig } from '../sawyer-env.js';
import { separatedXY } from './common.js';

/**
 * The layout reach, push and pick-place share in MetaWorld: a puck body `obj`, a `goal` site, and a random
 * vector of (puck xyz, goal xyz) resampled until the two are 15 cm apart in the plane.
 */
export abstract class PuckAndGoalEnv extends SawyerXYZEnv {
  protected readonly obj: number;
  protected readonly objGeom: number;
  protected readonly goalSite: number;

  constructor(library: ModelLibrary, config: SawyerTaskConfig) {
    super(library, config);
    this.obj = this.bodyId('obj');
    this.objGeom = this.geomId('objGeom');
    this.goalSite = this.siteId('goal');
  }

  protected override sampleRandomVector(rng: Rng): Float64Array {
    return separatedXY(() => super.sampleRandomVector(rng), 0.15);
  }

  protected placeModel(rand: Float64Array): void {
    this.setModelSitePos(this.goalSite, Array.from(rand.subarray(3, 6)));
  }
}
