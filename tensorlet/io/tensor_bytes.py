"""Tensors as bytes: ``tf.io.decode_raw`` (bytes reinterpreted as numbers), and ``serialize_tensor`` /
``parse_tensor`` (a whole tensor as a TensorProto, the form TensorFlow's tutorials store arrays in TFRecords)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.host_call import host_call
from tensorlet.autodiff.tensor import Tensor, _wrap, constant
from tensorlet.errors import InvalidArgumentError
from tensorlet.summary import protobuf as pb
from tensorlet.train import wire

# TensorFlow's DataType enum (types.proto)
_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6, "string": 7, "complex64": 8,
         "int64": 9, "bool": 10, "uint16": 17, "complex128": 18, "float16": 19, "uint32": 22, "uint64": 23}
_BY_ENUM = {v: k for k, v in _ENUM.items()}
# the typed repeated fields of TensorProto, by field number: (dtype names they hold, NumPy dtype, packed width)
_TYPED = {5: "<f4", 6: "<f8", 7: "int", 10: "int", 11: "int", 13: "int"}


def _strings(x: Any) -> np.ndarray:
    t = x if isinstance(x, Tensor) else constant(x, dtype="string")
    if t.dtype.name != "string":
        raise TypeError(f"expected a string tensor, got {t.dtype.name}")
    return np.asarray(t._value)


def _decode_raw(t: Tensor, out_type: Any, little_endian: bool, fixed_length: Any) -> Tensor:
    dtype = np.dtype(_dtypes.np_dtype(out_type)).newbyteorder("<" if little_endian else ">")
    values = _strings(t)
    flat = values.reshape(-1)
    width = None if fixed_length is None else int(fixed_length)
    rows = []
    for s in flat:
        b = bytes(s) if width is None else bytes(s)[:width].ljust(width, b"\0")
        if len(b) % dtype.itemsize:
            raise InvalidArgumentError(f"Input to DecodeRaw has length {len(b)} that is not a multiple of "
                                       f"{dtype.itemsize}, the size of {np.dtype(dtype).name}")
        rows.append(np.frombuffer(b, dtype=dtype).astype(dtype.newbyteorder("=")))
    lengths = {len(r) for r in rows}
    if len(lengths) > 1:
        raise InvalidArgumentError("DecodeRaw requires input strings to all be the same size, got lengths "
                                   f"{sorted(lengths)} values")
    n = lengths.pop() if lengths else 0
    out = np.stack(rows) if rows else np.zeros((0, n), dtype.newbyteorder("="))
    return _wrap(out.reshape(values.shape + (n,)))


def decode_raw(input_bytes: Any, out_type: Any, little_endian: bool = True, fixed_length: Any = None,
               name: Any = None) -> Tensor:
    """The bytes of each string reinterpreted as ``out_type`` numbers: shape ``input.shape + [n]``.

    Example:
        >>> import numpy as np, tensorlet as tf
        >>> tf.io.decode_raw(np.arange(3, dtype=np.uint8).tobytes(), tf.uint8).numpy()
        array([0, 1, 2], dtype=uint8)
    """
    t = input_bytes if isinstance(input_bytes, Tensor) else constant(input_bytes, dtype="string")
    return host_call(_decode_raw, (t, out_type, little_endian, fixed_length),  # type: ignore[no-any-return]
                     example=lambda: _decode_raw(t, out_type, little_endian, fixed_length)._value)


def _serialize(t: Tensor) -> Tensor:
    arr = np.asarray(t._value)
    name = _dtypes.as_dtype(arr.dtype).name
    shape = b"".join(pb.f_bytes(2, pb.f_varint(1, int(d))) for d in arr.shape)
    body = pb.f_varint(1, _ENUM[name]) + pb.f_bytes(2, shape)
    if name == "string":
        body += b"".join(pb.f_bytes(8, bytes(v)) for v in arr.reshape(-1))
    else:
        body += pb.f_bytes(4, np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes())
    return constant(body)


def serialize_tensor(tensor: Any, name: Any = None) -> Tensor:
    """A tensor as a serialized TensorProto (a scalar string); ``parse_tensor`` reads it back."""
    t = tensor if isinstance(tensor, Tensor) else constant(tensor)
    return host_call(_serialize, (t,), example=lambda: np.asarray(b"", dtype=object))  # type: ignore[no-any-return]


def _parse(serialized: Tensor, out_type: Any) -> Tensor:
    data = bytes(_strings(serialized)[()])
    dtype_enum, dims, content, strings, typed = 0, [], None, [], []
    for field, kind, value in wire.fields(data):
        if field == 1 and kind == 0:
            dtype_enum = value
        elif field == 2 and kind == 2:
            for f, k, dim in wire.fields(value):
                if f == 2 and k == 2:
                    size = 0
                    for f2, k2, v2 in wire.fields(dim):
                        if f2 == 1 and k2 == 0:
                            size = wire.signed64(v2)
                    dims.append(size)
        elif field == 4 and kind == 2:
            content = value
        elif field == 8 and kind == 2:
            strings.append(bytes(value))
        elif field in _TYPED:
            typed.append((field, kind, value))
    name = _BY_ENUM.get(dtype_enum)
    want = _dtypes.as_dtype(out_type).name
    if name != want:
        raise InvalidArgumentError(f"Type mismatch between parsed tensor ({name}) and dtype ({want})")
    np_dtype = np.dtype(_dtypes.np_dtype(want))
    shape = tuple(dims)
    if name == "string":
        out = np.empty(len(strings), dtype=object)
        out[:] = strings
    elif content is not None:
        out = np.frombuffer(content, dtype=np_dtype.newbyteorder("<")).astype(np_dtype)
    else:
        out = np.asarray(_typed_values(typed, np_dtype), dtype=np_dtype)
    size = int(np.prod(shape, dtype=np.int64))
    if out.size == 1 and size > 1:
        out = np.full(size, out[0], dtype=out.dtype)
    return _wrap(out.reshape(shape))


def _typed_values(typed: list[Any], np_dtype: np.dtype) -> list[Any]:
    values: list[Any] = []
    for field, kind, value in typed:
        fmt = _TYPED[field]
        if fmt != "int":
            values += np.frombuffer(value, dtype=fmt).tolist() if kind in (1, 2, 5) else []
        elif kind == 2:
            values += wire.packed_varints(value)
        else:
            values.append(wire.signed64(value))
    return values


def parse_tensor(serialized: Any, out_type: Any, name: Any = None) -> Tensor:
    """The tensor a serialized TensorProto holds (``out_type`` must be its dtype)."""
    t = serialized if isinstance(serialized, Tensor) else constant(serialized, dtype="string")
    dtype = _dtypes.np_dtype(out_type)
    return host_call(_parse, (t, out_type),  # type: ignore[no-any-return]
                     example=lambda: np.zeros((0,), dtype=dtype))
