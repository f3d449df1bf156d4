"""Named tensors <-> numpy, checked the same way libs/agent/src/tensor/codec.ts checks them: known dtype, sane
shape, byte length == product(shape) * itemsize, finite floats; and against a space's spec (dtype, shape,
discrete range)."""

from dataclasses import dataclass, field
import math

import numpy as np

from .contract import DTYPE, Tensor

MAX_RANK = 8
MAX_ELEMENTS = 64 * 1024 * 1024

#: wire dtype number <-> little-endian numpy dtype
_NUMPY = {
    DTYPE["DTYPE_FLOAT32"]: np.dtype("<f4"),
    DTYPE["DTYPE_FLOAT64"]: np.dtype("<f8"),
    DTYPE["DTYPE_INT32"]: np.dtype("<i4"),
    DTYPE["DTYPE_INT64"]: np.dtype("<i8"),
    DTYPE["DTYPE_UINT8"]: np.dtype("u1"),
}
_WIRE = {dtype.name: wire for wire, dtype in _NUMPY.items()}
DTYPE_NAMES = tuple(_WIRE)
#: name -> numpy dtype, and (kind, itemsize) -> wire number: numpy's dtype.name costs microseconds per call.
_BY_NAME = {dtype.name: dtype for dtype in _NUMPY.values()}
_WIRE_BY_KIND = {(dtype.kind, dtype.itemsize): wire for wire, dtype in _NUMPY.items()}


class TensorError(ValueError):
    """One tensor breaks the contract; `tensor` is its name, `issue` one of the codec's issue names."""

    def __init__(self, tensor: str, issue: str, detail: str):
        super().__init__(f"{tensor}: {detail}")
        self.tensor = tensor
        self.issue = issue


@dataclass(frozen=True)
class TensorSpec:
    """What every tensor of one name looks like (TensorSpec in the proto)."""

    name: str
    shape: tuple
    dtype: str
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    discrete_n: int | None = None


@dataclass(frozen=True)
class TaskSpaces:
    task: str
    observation: dict = field(default_factory=dict)
    action: dict = field(default_factory=dict)


def _count(name: str, shape) -> int:
    if len(shape) > MAX_RANK:
        raise TensorError(name, "bad_shape", f"rank {len(shape)} exceeds {MAX_RANK}")
    count = 1
    for dim in shape:
        count *= dim
        if count > MAX_ELEMENTS:
            raise TensorError(name, "bad_shape", f"more than {MAX_ELEMENTS} elements")
    return count


def _check_finite(name: str, array: np.ndarray) -> None:
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        index = int(np.flatnonzero(~np.isfinite(array.reshape(-1)))[0])
        raise TensorError(name, "non_finite", f"element {index} is {array.reshape(-1)[index]}: NaN and ±Inf are not allowed")


def decode(name: str, tensor) -> np.ndarray:
    """A wire Tensor as a numpy array of its shape."""
    dtype = _NUMPY.get(tensor.dtype)
    if dtype is None:
        raise TensorError(name, "unknown_dtype", f"dtype {tensor.dtype} is not one of {', '.join(DTYPE_NAMES)}")
    shape = tuple(tensor.shape)
    count = _count(name, shape)
    if len(tensor.data) != count * dtype.itemsize:
        raise TensorError(name, "byte_length", f"shape {list(shape)} of {dtype.name} needs {count * dtype.itemsize} bytes, got {len(tensor.data)}")
    array = np.frombuffer(tensor.data, dtype=dtype).reshape(shape).copy()  # writable, the agent may work in place
    _check_finite(name, array)
    return array


def encode(name: str, value, spec: TensorSpec | None = None):
    """A numpy array (or anything np.asarray takes) as a wire Tensor; with a spec, cast to its dtype and shape."""
    array = np.asarray(value)
    if spec is not None:
        if array.size != math.prod(spec.shape):
            raise TensorError(name, "shape_mismatch", f"must have shape {list(spec.shape)}, got {list(array.shape)}")
        array = array.astype(_BY_NAME[spec.dtype], copy=False).reshape(spec.shape)
    wire = _WIRE_BY_KIND.get((array.dtype.kind, array.dtype.itemsize))  # either byte order; made little-endian below
    if wire is None:
        raise TensorError(name, "unknown_dtype", f"dtype {array.dtype} is not one of {', '.join(DTYPE_NAMES)}")
    _count(name, array.shape)
    _check_finite(name, array)
    little = np.ascontiguousarray(array, dtype=_NUMPY[wire])
    return Tensor(shape=list(array.shape), dtype=wire, data=little.tobytes())


def check(name: str, array: np.ndarray, spec: TensorSpec) -> None:
    if array.dtype != _BY_NAME[spec.dtype]:
        raise TensorError(name, "dtype_mismatch", f"must be {spec.dtype}, got {array.dtype.name}")
    if tuple(array.shape) != tuple(spec.shape):
        raise TensorError(name, "shape_mismatch", f"must have shape {list(spec.shape)}, got {list(array.shape)}")
    if spec.discrete_n is not None and ((array < 0).any() or (array >= spec.discrete_n).any()):
        raise TensorError(name, "out_of_range", f"must be an integer in [0, {spec.discrete_n - 1}]")


def spec_from_wire(wire) -> TensorSpec:
    dtype = _NUMPY.get(wire.dtype)
    if dtype is None:
        raise TensorError(wire.name, "unknown_dtype", f"spec dtype {wire.dtype} is unknown")
    return TensorSpec(
        name=wire.name,
        shape=tuple(wire.shape),
        dtype=dtype.name,
        low=np.array(wire.low, dtype=np.float64).reshape(wire.shape) if wire.low else None,
        high=np.array(wire.high, dtype=np.float64).reshape(wire.shape) if wire.high else None,
        discrete_n=wire.discrete_n or None,
    )


def spaces_from_wire(wire) -> TaskSpaces:
    return TaskSpaces(
        task=wire.task,
        observation={s.name: spec_from_wire(s) for s in wire.observation},
        action={s.name: spec_from_wire(s) for s in wire.action},
    )
