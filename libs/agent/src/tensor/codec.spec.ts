import { describe, expect, it } from '@jest/globals';
import { Rng } from '#sim';
import { TensorError } from '../errors.js';
import { DType, Tensor } from '../generated/kinitro/agent/v1/agent.js';
import { decodeTensor, encodeTensor, type TensorValue } from './codec.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const wire = (shape: number[], dtype: DType, data: string): Tensor => ({ shape, dtype, data: Buffer.from(data, 'hex') });
const issueOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof TensorError) return error.issue;
    throw error;
  }
  throw new Error('expected a TensorError');
};

describe('tensor codec', () => {
  // Golden bytes: IEEE-754 little-endian, as numpy's '<f4' / '<i8' write them (the Python SDK test pins the same).
  it('encodes float32 [1.5, -2] as the protobuf bytes numpy and protoc agree on', () => {
    const tensor = encodeTensor('a', { dtype: 'float32', shape: [2], data: Float32Array.of(1.5, -2) });
    expect(hex(tensor.data)).toBe('0000c03f000000c0');
    expect(hex(Tensor.encode(tensor).finish())).toBe('0a010210011a080000c03f000000c0');
  });

  it('decodes every dtype from golden bytes, shape kept', () => {
    expect(decodeTensor('x', wire([2], DType.DTYPE_FLOAT64, '000000000000f03f000000000000f0bf'))).toEqual({
      dtype: 'float64',
      shape: [2],
      data: Float64Array.of(1, -1),
    });
    expect(decodeTensor('x', wire([1, 2], DType.DTYPE_INT32, 'ffffffff07000000')).data).toEqual(Int32Array.of(-1, 7));
    expect(decodeTensor('x', wire([], DType.DTYPE_INT64, '0200000000000000'))).toEqual({ dtype: 'int64', shape: [], data: BigInt64Array.of(2n) });
    expect(decodeTensor('x', wire([3], DType.DTYPE_UINT8, '00ff10')).data).toEqual(Uint8Array.of(0, 255, 16));
  });

  it('decodes from a buffer at an odd offset (protobuf hands out slices)', () => {
    const backing = Buffer.from('aa0000c03f000000c0', 'hex');
    const value = decodeTensor('x', { shape: [2], dtype: DType.DTYPE_FLOAT32, data: backing.subarray(1) });
    expect(Array.from(value.data as Float32Array)).toEqual([1.5, -2]);
  });

  it('refuses a byte length that does not match shape × dtype, both ways', () => {
    expect(issueOf(() => decodeTensor('x', wire([3], DType.DTYPE_FLOAT32, '0000c03f000000c0')))).toBe('byte_length');
    expect(issueOf(() => encodeTensor('x', { dtype: 'float32', shape: [3], data: new Float32Array(2) }))).toBe('byte_length');
  });

  it('refuses NaN and ±Inf, naming the element', () => {
    expect(() => encodeTensor('action', { dtype: 'float32', shape: [2], data: Float32Array.of(0, Number.NaN) })).toThrow(
      'action: element 1 is NaN: NaN and ±Inf are not allowed',
    );
    expect(issueOf(() => decodeTensor('x', wire([1], DType.DTYPE_FLOAT64, '000000000000f07f')))).toBe('non_finite');
    expect(issueOf(() => decodeTensor('x', wire([1], DType.DTYPE_FLOAT32, '0000c0ff')))).toBe('non_finite');
  });

  it('refuses unknown dtypes, an array of another type, and absurd shapes', () => {
    expect(issueOf(() => decodeTensor('x', wire([1], DType.DTYPE_UNSPECIFIED, '00')))).toBe('unknown_dtype');
    expect(issueOf(() => decodeTensor('x', wire([1], 42 as DType, '00')))).toBe('unknown_dtype');
    expect(issueOf(() => encodeTensor('x', { dtype: 'float32', shape: [2], data: Float64Array.of(1, 2) }))).toBe('dtype_mismatch');
    expect(issueOf(() => decodeTensor('x', wire([65536, 65536, 65536], DType.DTYPE_UINT8, '')))).toBe('bad_shape');
    expect(issueOf(() => decodeTensor('x', wire([1, 1, 1, 1, 1, 1, 1, 1, 1], DType.DTYPE_UINT8, '00')))).toBe('bad_shape');
    expect(issueOf(() => encodeTensor('x', { dtype: 'uint8', shape: [-1], data: new Uint8Array(0) }))).toBe('bad_shape');
  });

  it('round-trips random tensors through the wire exactly', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 200; i++) {
      const shape = Array.from({ length: Math.floor(rng.uniform(0, 4)) }, () => Math.floor(rng.uniform(0, 5)));
      const n = shape.reduce((a, b) => a * b, 1);
      const value: TensorValue = { dtype: 'float64', shape, data: Float64Array.from({ length: n }, () => rng.uniform(-1e6, 1e6)) };
      const bytes = Tensor.encode(encodeTensor('x', value)).finish();
      expect(decodeTensor('x', Tensor.decode(bytes))).toEqual(value);
    }
  });

  it('fuzz: random wire bytes either decode or fail with a TensorError, never anything else', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const shape = Array.from({ length: Math.floor(rng.uniform(0, 10)) }, () => Math.floor(rng.uniform(0, 2 ** 32)) >>> Math.floor(rng.uniform(0, 32)));
      const data = Buffer.from(Array.from({ length: Math.floor(rng.uniform(0, 64)) }, () => Math.floor(rng.uniform(0, 256))));
      const tensor = { shape, dtype: Math.floor(rng.uniform(-1, 8)) as DType, data };
      try {
        const value = decodeTensor('x', tensor);
        expect(value.data.byteLength).toBe(data.length);
      } catch (error) {
        expect(error).toBeInstanceOf(TensorError);
      }
    }
  });
});
