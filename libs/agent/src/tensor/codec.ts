import { endianness } from 'node:os';
import { TensorError } from '../errors.js';
import { DType, type Tensor } from '../generated/kinitro/agent/v1/agent.js';

/**
 * Named tensors on the wire, encoded and checked in one place for both directions: the client encodes
 * observations and decodes actions, the TypeScript SDK the reverse. The Python SDK mirrors these rules
 * (kinitro_agent/tensors.py); both are tested against the same golden bytes.
 */

export type DTypeName = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8';
export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

export interface TensorValue {
  readonly dtype: DTypeName;
  /** Row-major; empty for a scalar. */
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export type NamedTensors = Readonly<Record<string, TensorValue>>;

interface DTypeInfo {
  readonly wire: DType;
  readonly bytes: number;
  readonly float: boolean;
  readonly array: { new (length: number): TensorData; readonly name: string };
}

export const DTYPES: Readonly<Record<DTypeName, DTypeInfo>> = {
  float32: { wire: DType.DTYPE_FLOAT32, bytes: 4, float: true, array: Float32Array },
  float64: { wire: DType.DTYPE_FLOAT64, bytes: 8, float: true, array: Float64Array },
  int32: { wire: DType.DTYPE_INT32, bytes: 4, float: false, array: Int32Array },
  int64: { wire: DType.DTYPE_INT64, bytes: 8, float: false, array: BigInt64Array },
  uint8: { wire: DType.DTYPE_UINT8, bytes: 1, float: false, array: Uint8Array },
};

const BY_WIRE = new Map<DType, DTypeName>(Object.entries(DTYPES).map(([name, info]) => [info.wire, name as DTypeName]));

export const dtypeFromWire = (wire: DType): DTypeName | undefined => BY_WIRE.get(wire);
export const dtypeToWire = (dtype: DTypeName): DType => DTYPES[dtype].wire;

/** Bounds that keep a hostile shape from making us allocate or loop without end before the byte check. */
export const MAX_TENSOR_RANK = 8;
export const MAX_TENSOR_ELEMENTS = 64 * 1024 * 1024;

// Typed arrays use the host's byte order and the wire is little-endian; every platform Node ships on is.
if (endianness() !== 'LE') throw new Error('kinitro agent tensors need a little-endian host');

const elementCount = (name: string, shape: readonly number[]): number => {
  if (shape.length > MAX_TENSOR_RANK) throw new TensorError(name, 'bad_shape', `rank ${shape.length} exceeds ${MAX_TENSOR_RANK}`);
  let count = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) throw new TensorError(name, 'bad_shape', `dimension ${dim} is not a non-negative integer`);
    count *= dim;
    if (count > MAX_TENSOR_ELEMENTS) throw new TensorError(name, 'bad_shape', `more than ${MAX_TENSOR_ELEMENTS} elements`);
  }
  return count;
};

const checkFinite = (name: string, dtype: DTypeName, data: TensorData): void => {
  if (!DTYPES[dtype].float) return;
  const values = data as Float32Array | Float64Array;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new TensorError(name, 'non_finite', `element ${i} is ${values[i]}: NaN and ±Inf are not allowed`);
    }
  }
};

/** Checks a tensor value (element count, array type, finiteness) and returns its wire form. */
export const encodeTensor = (name: string, value: TensorValue): Tensor => {
  const info = DTYPES[value.dtype];
  if (!info) throw new TensorError(name, 'unknown_dtype', `dtype ${String(value.dtype)} is not one of ${Object.keys(DTYPES).join(', ')}`);
  if (!(value.data instanceof info.array)) {
    throw new TensorError(name, 'dtype_mismatch', `a ${value.dtype} tensor needs a ${info.array.name}, got ${value.data?.constructor?.name}`);
  }
  const count = elementCount(name, value.shape);
  if (value.data.length !== count) {
    throw new TensorError(name, 'byte_length', `shape [${value.shape.join(', ')}] needs ${count} elements, got ${value.data.length}`);
  }
  checkFinite(name, value.dtype, value.data);
  return {
    shape: [...value.shape],
    dtype: info.wire,
    data: Buffer.from(value.data.buffer, value.data.byteOffset, value.data.byteLength),
  };
};

/** Checks a wire tensor (known dtype, sane shape, byte length = product(shape) × itemsize, finiteness) and decodes it. */
export const decodeTensor = (name: string, tensor: Tensor): TensorValue => {
  const dtype = dtypeFromWire(tensor.dtype);
  if (!dtype) throw new TensorError(name, 'unknown_dtype', `dtype ${tensor.dtype} is not one of ${Object.keys(DTYPES).join(', ')}`);
  const info = DTYPES[dtype];
  const count = elementCount(name, tensor.shape);
  if (tensor.data.length !== count * info.bytes) {
    throw new TensorError(name, 'byte_length', `shape [${tensor.shape.join(', ')}] of ${dtype} needs ${count * info.bytes} bytes, got ${tensor.data.length}`);
  }
  // Copy: the wire buffer may sit at an offset no typed array of this element size can view.
  const data = new info.array(count);
  new Uint8Array(data.buffer).set(tensor.data);
  checkFinite(name, dtype, data);
  return { dtype, shape: [...tensor.shape], data };
};

// Once per step on both sides: plain loops, not entries/map/fromEntries and the arrays they make per call.
export const encodeTensors = (tensors: NamedTensors): Record<string, Tensor> => {
  const encoded: Record<string, Tensor> = {};
  for (const name of Object.keys(tensors)) encoded[name] = encodeTensor(name, tensors[name]!);
  return encoded;
};

export const decodeTensors = (tensors: Readonly<Record<string, Tensor>>): Record<string, TensorValue> => {
  const decoded: Record<string, TensorValue> = {};
  for (const name of Object.keys(tensors)) decoded[name] = decodeTensor(name, tensors[name]!);
  return decoded;
};
