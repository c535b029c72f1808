"""``tf.io.parse_single_example`` / ``parse_example``: ``tf.train.Example`` records into tensors.

A features dict says what to read: ``FixedLenFeature(shape, dtype, default_value)`` gives a dense tensor of that
shape (an error if the record lacks it and there is no default), ``VarLenFeature(dtype)`` a ``SparseTensor`` of
however many values the record has, ``FixedLenSequenceFeature`` (``parse_example``) a dense batch padded to the
longest record. Only tf.string (``bytes_list``), tf.float32 (``float_list``) and tf.int64 (``int64_list``) exist
in an Example, as in TensorFlow.

In a traced function (a ``Dataset.map``, a ``tf.function``) parsing is a host call: it runs on every replay with
that replay's records, and the trace learns the output shapes from the features dict, without parsing anything.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.host_call import HostCall, tracing
from tensorlet.autodiff.tensor import Tensor, _wrap, constant
from tensorlet.autodiff.traced_gradient import Pick
from tensorlet.errors import InvalidArgumentError
from tensorlet.sparse.sparse_tensor import SparseTensor
from tensorlet.train.example import Example
from tensorlet.train.wire import DecodeError

_LIST_OF = {"string": "bytes_list", "float32": "float_list", "int64": "int64_list"}


class FixedLenFeature(NamedTuple):
    """A dense feature of a known ``shape`` (``default_value`` when a record lacks it)."""

    shape: Any
    dtype: Any
    default_value: Any = None


class VarLenFeature(NamedTuple):
    """A feature of any number of values, parsed into a ``SparseTensor``."""

    dtype: Any


class FixedLenSequenceFeature(NamedTuple):
    """Any number of items of ``shape`` per record (``parse_example`` pads them to the longest)."""

    shape: Any
    dtype: Any
    allow_missing: bool = False
    default_value: Any = None


def _dtype(feature: Any, key: str) -> Any:
    dtype = _dtypes.as_dtype(feature.dtype)
    if dtype.name not in _LIST_OF:
        raise ValueError(f"Unsupported dtype {dtype.name} for feature {key!r}: an Example holds only tf.string, "
                         "tf.float32 and tf.int64 values")
    return dtype


def _shape(feature: Any) -> tuple[int, ...]:
    shape = feature.shape
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    return tuple(int(d) for d in shape)


def _values(example: Example, key: str, dtype: Any) -> list[Any] | None:
    """The values a record holds for ``key`` (None if absent); an error if they are of another type."""
    if key not in example.features.feature:
        return None
    feature = example.features.feature[key]
    kind = feature.WhichOneof("kind")
    if kind is None:
        return []
    want = _LIST_OF[dtype.name]
    if kind != want:
        have = {v: k for k, v in _LIST_OF.items()}[kind]
        raise InvalidArgumentError(f"Key: {key}.  Data types don't match. Data type: {have} but expected type: "
                                   f"{dtype.name}")
    return list(getattr(feature, kind).value)


def _array(values: list[Any], dtype: Any) -> np.ndarray:
    if dtype.name == "string":
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.asarray(values, dtype=dtype.as_numpy_dtype)


def _default(feature: Any, key: str, dtype: Any, shape: tuple[int, ...]) -> np.ndarray:
    if feature.default_value is None:
        raise InvalidArgumentError(f"Feature: {key} (data type: {dtype.name}) is required but could not be found.")
    value = feature.default_value
    value = value._value if isinstance(value, Tensor) else constant(value, dtype=dtype)._value
    return np.broadcast_to(value, shape).copy()


def _decode(record: Any) -> Example:
    try:
        return Example.FromString(record)
    except DecodeError as e:
        raise InvalidArgumentError(f"Could not parse example input, value: {record!r}: {e}") from None


def _fixed(example: Example, key: str, feature: Any) -> np.ndarray:
    dtype, shape = _dtype(feature, key), _shape(feature)
    values = _values(example, key, dtype)
    if values is None:
        return _default(feature, key, dtype, shape)
    size = int(np.prod(shape, dtype=np.int64))
    if len(values) != size:
        kind = {"string": "bytes", "float32": "float", "int64": "int64"}[dtype.name]
        raise InvalidArgumentError(f"Key: {key}.  Can't parse serialized Example: Number of {kind} values != "
                                   f"expected.  Values size: {len(values)} but output shape: {list(shape)}")
    return _array(values, dtype).reshape(shape)


def _sequence(example: Example, key: str, feature: Any) -> np.ndarray:
    dtype, shape = _dtype(feature, key), _shape(feature)
    values = _values(example, key, dtype)
    if values is None:
        if not feature.allow_missing:
            raise InvalidArgumentError(f"Feature: {key} (data type: {dtype.name}) is required but could not be "
                                       "found.")
        values = []
    size = int(np.prod(shape, dtype=np.int64)) or 1
    if len(values) % size:
        raise InvalidArgumentError(f"Key: {key}.  Number of values {len(values)} is not a multiple of the item "
                                   f"size {size} (shape {list(shape)})")
    return _array(values, dtype).reshape((len(values) // size,) + shape)


def _parse(records: np.ndarray, features: dict[str, Any]) -> list[np.ndarray]:
    """The flat outputs for a vector (or scalar) of records: one array per dense feature, three per sparse one."""
    single = records.ndim == 0
    examples = [_decode(r) for r in (records.reshape(1) if single else records.reshape(-1))]
    out: list[np.ndarray] = []
    for key, feature in features.items():
        if isinstance(feature, FixedLenFeature):
            parts = [_fixed(e, key, feature) for e in examples]
            out.append(parts[0] if single else np.stack(parts) if parts else
                       _array([], _dtype(feature, key)).reshape((0,) + _shape(feature)))
        elif isinstance(feature, FixedLenSequenceFeature):
            parts = [_sequence(e, key, feature) for e in examples]
            out.append(parts[0] if single else _pad_sequences(parts, feature, key))
        elif isinstance(feature, VarLenFeature):
            dtype = _dtype(feature, key)
            rows = [_values(e, key, dtype) or [] for e in examples]
            values = _array([v for r in rows for v in r], dtype)
            if single:
                out += [np.arange(len(values), dtype=np.int64).reshape(-1, 1), values,
                        np.asarray([len(values)], np.int64)]
            else:
                idx = [(i, j) for i, r in enumerate(rows) for j in range(len(r))]
                out += [np.asarray(idx, np.int64).reshape(-1, 2), values,
                        np.asarray([len(rows), max((len(r) for r in rows), default=0)], np.int64)]
        else:
            raise TypeError(f"Unsupported feature spec for {key!r}: {type(feature).__name__} (use "
                            "tf.io.FixedLenFeature, tf.io.VarLenFeature or tf.io.FixedLenSequenceFeature)")
    return out


def _pad_sequences(parts: list[np.ndarray], feature: Any, key: str) -> np.ndarray:
    dtype, shape = _dtype(feature, key), _shape(feature)
    longest = max((len(p) for p in parts), default=0)
    fill = feature.default_value if feature.default_value is not None else (b"" if dtype.name == "string" else 0)
    out = np.empty((len(parts), longest) + shape, dtype=object if dtype.name == "string" else dtype.as_numpy_dtype)
    out.fill(fill)
    for i, p in enumerate(parts):
        out[i, :len(p)] = p
    return out


def _examples(features: dict[str, Any], batch: int | None) -> list[np.ndarray]:
    """Arrays shaped like ``_parse``'s outputs, for a trace to continue with (nothing is parsed)."""
    lead = () if batch is None else (batch,)
    out: list[np.ndarray] = []
    for key, feature in features.items():
        dtype = _dtype(feature, key)
        if isinstance(feature, VarLenFeature):
            rank = 1 + (batch is not None)
            out += [np.zeros((0, rank), np.int64), _array([], dtype), np.zeros((rank,), np.int64)]
            continue
        shape = lead + ((0,) if isinstance(feature, FixedLenSequenceFeature) else ()) + _shape(feature)
        arr = np.zeros(shape, dtype=object if dtype.name == "string" else dtype.as_numpy_dtype)
        if dtype.name == "string":
            arr.fill(b"")
        out.append(arr)
    return out


def _run(serialized: Any, features: dict[str, Any], batched: bool) -> dict[str, Any]:
    if not isinstance(features, dict) or not features:
        raise TypeError("parse_example: `features` must be a non-empty dict from feature names to "
                        "tf.io.FixedLenFeature / VarLenFeature")
    tensor = serialized if isinstance(serialized, Tensor) else constant(serialized, dtype="string")
    if tensor.dtype.name != "string":
        raise TypeError(f"parse_example: `serialized` must be a string tensor, got {tensor.dtype.name}")
    rank = tensor._value.ndim
    if batched and rank != 1:
        raise ValueError(f"parse_example: `serialized` must be a vector of records, got shape {tensor.shape}")
    if not batched and rank != 0:
        raise ValueError(f"parse_single_example: `serialized` must be a scalar record, got shape {tensor.shape}")
    if tracing():
        def call(t: Tensor) -> list[Any]:
            return _parse(np.asarray(t._value), features)
        example = _examples(features, int(tensor._value.shape[0]) if batched else None)
        bundle = HostCall(call, example)(tensor)
        arrays: list[Any] = [Pick(i)(bundle) for i in range(len(example))]
    else:
        arrays = [_wrap(a) for a in _parse(np.asarray(tensor._value), features)]
    result: dict[str, Any] = {}
    pos = 0
    for key, feature in features.items():
        if isinstance(feature, VarLenFeature):
            indices, values, shape = arrays[pos:pos + 3]
            result[key] = SparseTensor(indices, values, shape)
            pos += 3
        else:
            result[key] = arrays[pos]
            pos += 1
    return result


def parse_single_example(serialized: Any, features: dict[str, Any], example_names: Any = None,
                         name: Any = None) -> dict[str, Any]:
    """One serialized ``tf.train.Example`` (a scalar string) into a dict of tensors, per ``features``.

    Example:
        >>> import tensorlet as tf
        >>> record = tf.train.Example(features=tf.train.Features(feature={
        ...     "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0]))})).SerializeToString()
        >>> tf.io.parse_single_example(record, {"x": tf.io.FixedLenFeature([2], tf.float32)})["x"].numpy()
        array([1., 2.], dtype=float32)
    """
    return _run(serialized, features, batched=False)


def parse_example(serialized: Any, features: dict[str, Any], example_names: Any = None,
                  name: Any = None) -> dict[str, Any]:
    """A vector of serialized Examples into a dict of batched tensors (a leading axis of records)."""
    return _run(serialized, features, batched=True)
