import { randomInt } from 'node:crypto';
import type { ActionInput, ActionReport } from './action.js';
import { EpisodeStateError } from './errors.js';
import { Rng } from './rng.js';
import type { BoxSpace, Space } from './spaces.js';

export type Observation = Float32Array | Float64Array;

export interface ResetOptions {
  /** Seeds the episode: the same seed and the same actions give bit-identical observations and rewards. */
  readonly seed?: number | bigint;
}

export interface ResetResult {
  readonly observation: Observation;
  readonly info: Record<string, unknown>;
}

export interface StepInfo {
  readonly success: boolean;
  /** What had to be corrected in the submitted action (clipping, NaN). */
  readonly action: ActionReport;
  readonly [metric: string]: unknown;
}

export interface StepResult {
  readonly observation: Observation;
  readonly reward: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  readonly info: StepInfo;
}

/** A Gymnasium-like environment: reset/step/close with declared spaces and a step limit. */
export interface Env {
  readonly id: string;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  /** Steps after which an episode is truncated (Gymnasium's TimeLimit, MetaWorld's max_path_length). */
  readonly maxEpisodeSteps: number;
  reset(options?: ResetOptions): ResetResult;
  step(action: ActionInput): StepResult;
  /** Frees native (WASM) memory; the environment cannot be used afterwards. */
  close(): void;
}

/** One step's outcome as a task computes it; the base class adds truncation and the action report. */
export interface Transition {
  readonly observation: Observation;
  readonly reward: number;
  readonly terminated: boolean;
  readonly success: boolean;
  readonly metrics?: Record<string, unknown>;
}

/**
 * Episode bookkeeping shared by every environment: seeding, the step counter, truncation at the step
 * limit, and refusing to step an episode that is over (as MetaWorld does after max_path_length).
 */
export abstract class EpisodicEnv implements Env {
  abstract readonly id: string;
  abstract readonly observationSpace: BoxSpace;
  abstract readonly actionSpace: Space;
  abstract readonly maxEpisodeSteps: number;

  private rng: Rng | undefined;
  private stepsTaken = 0;
  private episodeOver = true;
  private closed = false;

  reset(options: ResetOptions = {}): ResetResult {
    this.assertOpen();
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    else this.rng ??= new Rng(randomInt(2 ** 47));
    this.stepsTaken = 0;
    this.episodeOver = false;
    const observation = this.resetEpisode(this.rng);
    return { observation, info: options.seed === undefined ? {} : { seed: options.seed } };
  }

  step(action: ActionInput): StepResult {
    this.assertOpen();
    if (this.episodeOver) throw new EpisodeStateError('the episode is over (or never started): call reset() first');
    const { transition, report } = this.advance(action);
    this.stepsTaken++;
    const truncated = !transition.terminated && this.stepsTaken >= this.maxEpisodeSteps;
    this.episodeOver = transition.terminated || truncated;
    return {
      observation: transition.observation,
      reward: transition.reward,
      terminated: transition.terminated,
      truncated,
      info: { ...transition.metrics, success: transition.success, action: report },
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.stepsTaken;
  }

  protected abstract resetEpisode(rng: Rng): Observation;
  protected abstract advance(action: ActionInput): { transition: Transition; report: ActionReport };
  /** Frees native resources; called once by close(). */
  protected release(): void {}

  private assertOpen(): void {
    if (this.closed) throw new EpisodeStateError(`environment ${this.id} is closed`);
  }
}
