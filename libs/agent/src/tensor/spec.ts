import type { Env, Space } from '#sim';
import { TensorError } from '../errors.js';
import type { TaskSpaces as WireTaskSpaces, TensorSpec as WireTensorSpec } from '../generated/kinitro/agent/v1/agent.js';
import { dtypeFromWire, dtypeToWire, type DTypeName, type NamedTensors, type TensorValue } from './codec.js';

/** What every tensor of one name looks like: the observation/action space description sent in Ping. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DTypeName;
  /** Element-wise bounds (product(shape) values), absent when unbounded. */
  readonly low?: readonly number[];
  readonly high?: readonly number[];
  /** A discrete space: integers in [0, n). */
  readonly discreteN?: number;
}

export interface TaskSpaces {
  readonly task: string;
  readonly observation: readonly TensorSpec[];
  readonly action: readonly TensorSpec[];
}

/** The observation tensor every environment provides, and the action tensor the environment applies. */
export const STATE = 'state';
export const ACTION = 'action';

const specOfSpace = (name: string, space: Space): TensorSpec =>
  space.kind === 'box'
    ? { name, shape: space.shape, dtype: space.dtype, low: Array.from(space.low), high: Array.from(space.high) }
    : { name, shape: space.shape, dtype: space.dtype, discreteN: space.n };

/** The spaces of a simulated task as the agent sees them: `state` in, `action` out. */
export const taskSpacesOf = (task: string, env: Pick<Env, 'observationSpace' | 'actionSpace'>): TaskSpaces => ({
  task,
  observation: [specOfSpace(STATE, env.observationSpace)],
  action: [specOfSpace(ACTION, env.actionSpace)],
});

/** Checks one tensor against its spec: dtype, shape, and for a discrete space the range. Float bounds are not checked: the environment clips. */
export const checkTensor = (value: TensorValue, spec: TensorSpec): void => {
  if (value.dtype !== spec.dtype) throw new TensorError(spec.name, 'dtype_mismatch', `must be ${spec.dtype}, got ${value.dtype}`);
  if (value.shape.length !== spec.shape.length || value.shape.some((d, i) => d !== spec.shape[i])) {
    throw new TensorError(spec.name, 'shape_mismatch', `must have shape [${spec.shape.join(', ')}], got [${value.shape.join(', ')}]`);
  }
  if (spec.discreteN !== undefined) {
    for (const v of value.data) {
      if (Number(v) < 0 || Number(v) >= spec.discreteN) {
        throw new TensorError(spec.name, 'out_of_range', `must be an integer in [0, ${spec.discreteN - 1}], got ${v}`);
      }
    }
  }
};

/** Every spec'd tensor must be present and match; tensors beyond the specs are allowed (and were already decoded, so well-formed). */
export const checkTensors = (tensors: NamedTensors, specs: readonly TensorSpec[]): void => {
  for (const spec of specs) {
    const value = tensors[spec.name];
    if (!value) throw new TensorError(spec.name, 'missing', `required tensor is missing (got ${Object.keys(tensors).join(', ') || 'none'})`);
    checkTensor(value, spec);
  }
};

const specToWire = (spec: TensorSpec): WireTensorSpec => ({
  name: spec.name,
  shape: [...spec.shape],
  dtype: dtypeToWire(spec.dtype),
  low: [...(spec.low ?? [])],
  high: [...(spec.high ?? [])],
  discreteN: spec.discreteN ?? 0,
});

const specFromWire = (wire: WireTensorSpec): TensorSpec => {
  const dtype = dtypeFromWire(wire.dtype);
  if (!dtype) throw new TensorError(wire.name, 'unknown_dtype', `spec dtype ${wire.dtype} is unknown`);
  return {
    name: wire.name,
    shape: wire.shape,
    dtype,
    ...(wire.low.length > 0 && { low: wire.low }),
    ...(wire.high.length > 0 && { high: wire.high }),
    ...(wire.discreteN > 0 && { discreteN: wire.discreteN }),
  };
};

export const taskSpacesToWire = (spaces: TaskSpaces): WireTaskSpaces => ({
  task: spaces.task,
  observation: spaces.observation.map(specToWire),
  action: spaces.action.map(specToWire),
});

export const taskSpacesFromWire = (wire: WireTaskSpaces): TaskSpaces => ({
  task: wire.task,
  observation: wire.observation.map(specFromWire),
  action: wire.action.map(specFromWire),
});
