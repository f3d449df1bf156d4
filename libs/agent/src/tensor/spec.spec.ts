import { describe, expect, it } from '@jest/globals';
import { CartPoleEnv, PendulumEnv } from '#sim';
import { TensorError } from '../errors.js';
import { checkTensors, taskSpacesFromWire, taskSpacesOf, taskSpacesToWire } from './spec.js';

describe('task spaces', () => {
  it('describes a box and a discrete environment as state in, action out', () => {
    expect(taskSpacesOf('Pendulum-v1', new PendulumEnv())).toEqual({
      task: 'Pendulum-v1',
      observation: [{ name: 'state', shape: [3], dtype: 'float32', low: [-1, -1, -8], high: [1, 1, 8] }],
      action: [{ name: 'action', shape: [1], dtype: 'float32', low: [-2], high: [2] }],
    });
    expect(taskSpacesOf('CartPole-v1', new CartPoleEnv()).action).toEqual([{ name: 'action', shape: [], dtype: 'int64', discreteN: 2 }]);
  });

  it('survives the wire form unchanged', () => {
    const spaces = taskSpacesOf('CartPole-v1', new CartPoleEnv());
    expect(taskSpacesFromWire(taskSpacesToWire(spaces))).toEqual(spaces);
  });

  it('checks presence, dtype, shape and discrete range, naming the tensor', () => {
    const { action } = taskSpacesOf('CartPole-v1', new CartPoleEnv());
    const check = (tensors: Parameters<typeof checkTensors>[0]) => {
      try {
        checkTensors(tensors, action);
        return 'ok';
      } catch (error) {
        return (error as TensorError).message;
      }
    };
    expect(check({ action: { dtype: 'int64', shape: [], data: BigInt64Array.of(1n) }, extra: { dtype: 'uint8', shape: [0], data: new Uint8Array() } })).toBe(
      'ok',
    );
    expect(check({})).toBe('action: required tensor is missing (got none)');
    expect(check({ action: { dtype: 'int32', shape: [], data: Int32Array.of(1) } })).toBe('action: must be int64, got int32');
    expect(check({ action: { dtype: 'int64', shape: [1], data: BigInt64Array.of(1n) } })).toBe('action: must have shape [], got [1]');
    expect(check({ action: { dtype: 'int64', shape: [], data: BigInt64Array.of(2n) } })).toBe('action: must be an integer in [0, 1], got 2');
  });
});
