import { parseDiscreteAction, type ActionInput, type ActionReport } from '../core/action.js';
import { EpisodicEnv, type Transition } from '../core/env.js';
import type { Rng } from '../core/rng.js';
import { box, discrete } from '../core/spaces.js';

const DT = 0.2;
const L1 = 1.0;
const M1 = 1.0;
const M2 = 1.0;
const LC1 = 0.5;
const LC2 = 0.5;
const I1 = 1.0;
const I2 = 1.0;
const G = 9.8;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const TORQUES = [-1.0, 0.0, 1.0] as const;

const NO_CORRECTION: ActionReport = { clipped: false, nonFinite: 0 };

type State = [number, number, number, number];

/** Equations of motion in the "book" formulation Gymnasium uses by default. */
const derivatives = (s: State, torque: number): State => {
  const [theta1, theta2, dtheta1, dtheta2] = s;
  const d1 = M1 * LC1 ** 2 + M2 * (L1 ** 2 + LC2 ** 2 + 2 * L1 * LC2 * Math.cos(theta2)) + I1 + I2;
  const d2 = M2 * (LC2 ** 2 + L1 * LC2 * Math.cos(theta2)) + I2;
  const phi2 = M2 * LC2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 =
    -M2 * L1 * LC2 * dtheta2 ** 2 * Math.sin(theta2) -
    2 * M2 * L1 * LC2 * dtheta2 * dtheta1 * Math.sin(theta2) +
    (M1 * LC1 + M2 * L1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 = (torque + (d2 / d1) * phi1 - M2 * L1 * LC2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (M2 * LC2 ** 2 + I2 - d2 ** 2 / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return [dtheta1, dtheta2, ddtheta1, ddtheta2];
};

const axpy = (y: State, a: number, k: State): State => [y[0] + a * k[0], y[1] + a * k[1], y[2] + a * k[2], y[3] + a * k[3]];

/** One classical Runge-Kutta step over [0, DT], as Gymnasium's rk4 does for a two-point time vector. */
const rk4 = (y0: State, torque: number): State => {
  const k1 = derivatives(y0, torque);
  const k2 = derivatives(axpy(y0, DT / 2, k1), torque);
  const k3 = derivatives(axpy(y0, DT / 2, k2), torque);
  const k4 = derivatives(axpy(y0, DT, k3), torque);
  return y0.map((y, i) => y + (DT / 6.0) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!)) as State;
};

const wrap = (x: number, lo: number, hi: number): number => {
  const span = hi - lo;
  while (x > hi) x -= span;
  while (x < lo) x += span;
  return x;
};

const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

/**
 * Gymnasium Acrobot-v1: swing the tip of a two-link pendulum above the bar by applying torque −1, 0
 * or +1 at the elbow. −1 reward per step, 0 on reaching the height (which terminates), 500-step
 * limit. `success` = reached the height.
 */
export class AcrobotEnv extends EpisodicEnv {
  readonly id = 'Acrobot-v1';
  readonly maxEpisodeSteps = 500;
  readonly actionSpace = discrete(3);
  readonly observationSpace = box([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2], [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2], 'float32');
  private state: State = [0, 0, 0, 0];

  protected resetEpisode(rng: Rng): Float32Array {
    // Gymnasium casts the initial state to float32.
    this.state = Array.from(rng.uniformVec([-0.1, -0.1, -0.1, -0.1], [0.1, 0.1, 0.1, 0.1]), Math.fround) as State;
    return this.observe();
  }

  protected advance(action: ActionInput): { transition: Transition; report: ActionReport } {
    const torque = TORQUES[parseDiscreteAction(action, this.actionSpace)]!;
    const ns = rk4(this.state, torque);
    this.state = [wrap(ns[0], -Math.PI, Math.PI), wrap(ns[1], -Math.PI, Math.PI), clamp(ns[2], -MAX_VEL_1, MAX_VEL_1), clamp(ns[3], -MAX_VEL_2, MAX_VEL_2)];
    const terminated = -Math.cos(this.state[0]) - Math.cos(this.state[1] + this.state[0]) > 1.0;
    return {
      transition: { observation: this.observe(), reward: terminated ? 0.0 : -1.0, terminated, success: terminated },
      report: NO_CORRECTION,
    };
  }

  private observe(): Float32Array {
    const [t1, t2, d1, d2] = this.state;
    return Float32Array.of(Math.cos(t1), Math.sin(t1), Math.cos(t2), Math.sin(t2), d1, d2);
  }
}
