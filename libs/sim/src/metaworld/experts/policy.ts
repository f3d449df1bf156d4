import { vec3, type Vec3 } from '../vec.js';

/** A policy maps an observation to an action (4 values for Sawyer tasks). */
export interface Policy {
  act(observation: ArrayLike<number>): Float32Array;
}

/** MetaWorld's `policies/policy.py` `move` (MIT License): proportional step toward a point; the environment clips to [-1, 1]. */
export const move = (from: Vec3, to: Vec3, p: number): Vec3 => [(to[0] - from[0]) * p, (to[1] - from[1]) * p, (to[2] - from[2]) * p];

export const action = (delta: Vec3, grab: number): Float32Array => Float32Array.of(delta[0], delta[1], delta[2], grab);

/** The observation fields every scripted policy reads. */
export interface ParsedObs {
  readonly hand: Vec3;
  readonly gripper: number;
  readonly obj: Vec3;
  readonly goal: Vec3;
}

export const parse = (obs: ArrayLike<number>): ParsedObs => ({
  hand: vec3(obs, 0),
  gripper: obs[3]!,
  obj: vec3(obs, 4),
  goal: vec3(obs, obs.length - 3),
});
