import { sanitizeBoxAction, type ActionInput, type ActionReport } from '../core/action.js';
import { EpisodicEnv, type Transition } from '../core/env.js';
import type { Rng } from '../core/rng.js';
import { box } from '../core/spaces.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.45;
const GOAL_VELOCITY = 0;
const POWER = 0.0015;

/**
 * Gymnasium MountainCarContinuous-v0: drive an under-powered car up the right hill. +100 on reaching
 * the flag (which terminates), minus 0.1 u² every step, 999-step limit. After each step the state
 * is stored in float32 as Gymnasium does (the reset state stays float64, as there).
 * `success` = reached the flag.
 */
export class MountainCarContinuousEnv extends EpisodicEnv {
  readonly id = 'MountainCarContinuous-v0';
  readonly maxEpisodeSteps = 999;
  readonly actionSpace = box([-1], [1], 'float32');
  readonly observationSpace = box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED], 'float32');
  private position = 0;
  private velocity = 0;

  protected resetEpisode(rng: Rng): Float32Array {
    this.position = rng.uniform(-0.6, -0.4);
    this.velocity = 0;
    return Float32Array.of(this.position, this.velocity);
  }

  protected advance(action: ActionInput): { transition: Transition; report: ActionReport } {
    const { value, report } = sanitizeBoxAction(action, this.actionSpace);
    const force = value[0]!;
    let velocity = this.velocity + force * POWER - 0.0025 * Math.cos(3 * this.position);
    velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
    let position = this.position + velocity;
    position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
    const reward = (terminated ? 100.0 : 0) - force * force * 0.1;
    this.position = Math.fround(position);
    this.velocity = Math.fround(velocity);
    return {
      transition: { observation: Float32Array.of(this.position, this.velocity), reward, terminated, success: terminated },
      report,
    };
  }
}
