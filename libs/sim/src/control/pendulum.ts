import { sanitizeBoxAction, type ActionInput, type ActionReport } from '../core/action.js';
import { EpisodicEnv, type Transition } from '../core/env.js';
import type { Rng } from '../core/rng.js';
import { box } from '../core/spaces.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const G = 10.0;
const M = 1.0;
const L = 1.0;
/** Upright within this angle (rad) counts as success for the step. */
const UPRIGHT_ANGLE = 0.1;

/** Python's ((x + π) % 2π) − π: the modulo result takes the divisor's sign. */
const angleNormalize = (x: number): number => {
  const period = 2 * Math.PI;
  const r = (x + Math.PI) % period;
  return (r < 0 ? r + period : r) - Math.PI;
};

/**
 * Gymnasium Pendulum-v1: swing a pendulum up with a torque in [-2, 2]. Reward is minus the cost
 * θ² + 0.1 θ̇² + 0.001 u²; no termination, 200-step limit. `success` = the pendulum is within 0.1 rad
 * of upright at that step.
 */
export class PendulumEnv extends EpisodicEnv {
  readonly id = 'Pendulum-v1';
  readonly maxEpisodeSteps = 200;
  readonly actionSpace = box([-MAX_TORQUE], [MAX_TORQUE], 'float32');
  readonly observationSpace = box([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED], 'float32');
  private theta = 0;
  private thetaDot = 0;

  protected resetEpisode(rng: Rng): Float32Array {
    this.theta = rng.uniform(-Math.PI, Math.PI);
    this.thetaDot = rng.uniform(-1, 1);
    return this.observe();
  }

  protected advance(action: ActionInput): { transition: Transition; report: ActionReport } {
    const { value, report } = sanitizeBoxAction(action, this.actionSpace);
    const u = value[0]!;
    const th = this.theta;
    const thDot = this.thetaDot;
    const cost = angleNormalize(th) ** 2 + 0.1 * thDot ** 2 + 0.001 * u ** 2;
    let newThDot = thDot + (((3 * G) / (2 * L)) * Math.sin(th) + (3.0 / (M * L * L)) * u) * DT;
    newThDot = Math.min(Math.max(newThDot, -MAX_SPEED), MAX_SPEED);
    this.theta = th + newThDot * DT;
    this.thetaDot = newThDot;
    const success = Math.abs(angleNormalize(this.theta)) < UPRIGHT_ANGLE;
    return { transition: { observation: this.observe(), reward: -cost, terminated: false, success }, report };
  }

  private observe(): Float32Array {
    return Float32Array.of(Math.cos(this.theta), Math.sin(this.theta), this.thetaDot);
  }
}
