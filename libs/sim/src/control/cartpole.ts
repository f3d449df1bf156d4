import { parseDiscreteAction, type ActionInput, type ActionReport } from '../core/action.js';
import { EpisodicEnv, type Transition } from '../core/env.js';
import type { Rng } from '../core/rng.js';
import { box, discrete } from '../core/spaces.js';

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_CART + MASS_POLE;
const HALF_LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;
const FORCE = 10.0;
const TAU = 0.02;
const THETA_LIMIT = (12 * 2 * Math.PI) / 360;
const X_LIMIT = 2.4;
const F32_MAX = 3.4028234663852886e38;

const NO_CORRECTION: ActionReport = { clipped: false, nonFinite: 0 };

/**
 * Gymnasium CartPole-v1: push the cart left (0) or right (1) to keep the pole upright. Euler
 * integration, +1 reward per step including the failing one, 500-step limit. `success` = the pole
 * was still up when the episode was truncated.
 */
export class CartPoleEnv extends EpisodicEnv {
  readonly id = 'CartPole-v1';
  readonly maxEpisodeSteps = 500;
  readonly actionSpace = discrete(2);
  readonly observationSpace = box([-X_LIMIT * 2, -F32_MAX, -THETA_LIMIT * 2, -F32_MAX], [X_LIMIT * 2, F32_MAX, THETA_LIMIT * 2, F32_MAX], 'float32');
  private state: Float64Array = new Float64Array(4);

  protected resetEpisode(rng: Rng): Float32Array {
    this.state = rng.uniformVec([-0.05, -0.05, -0.05, -0.05], [0.05, 0.05, 0.05, 0.05]);
    return Float32Array.from(this.state);
  }

  protected advance(action: ActionInput): { transition: Transition; report: ActionReport } {
    const push = parseDiscreteAction(action, this.actionSpace);
    let [x, xDot, theta, thetaDot] = this.state as unknown as [number, number, number, number];
    const force = push === 1 ? FORCE : -FORCE;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4.0 / 3.0 - (MASS_POLE * cos * cos) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    x += TAU * xDot;
    xDot += TAU * xAcc;
    theta += TAU * thetaDot;
    thetaDot += TAU * thetaAcc;
    this.state = Float64Array.of(x, xDot, theta, thetaDot);
    const terminated = x < -X_LIMIT || x > X_LIMIT || theta < -THETA_LIMIT || theta > THETA_LIMIT;
    const survived = !terminated && this.elapsedSteps + 1 >= this.maxEpisodeSteps;
    return {
      transition: { observation: Float32Array.from(this.state), reward: 1.0, terminated, success: survived },
      report: NO_CORRECTION,
    };
  }
}
