"""How string ops take their inputs and give back results of the same kind (Tensor or RaggedTensor).

Every ``tf.strings`` op accepts a string Tensor, a RaggedTensor of strings, or Python/NumPy data (``str`` is
encoded as UTF-8). An elementwise op runs on the flat values and keeps the ragged row partition, as TF's ragged
dispatch does. String ops are not differentiable, so none of this goes through the tape.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap, constant
from tensorlet.ragged.ragged_tensor import RaggedTensor


def as_string_tensor(x: Any, op: str, arg: str = "input") -> Tensor | RaggedTensor:
    """``x`` as a string Tensor or RaggedTensor; any other dtype is a TypeError naming ``op`` and ``arg``."""
    if isinstance(x, RaggedTensor):
        dtype = x.dtype
    else:
        if not isinstance(x, Tensor):
            x = constant(x)
        dtype = x.dtype
    if dtype.name != "string":
        raise TypeError(f"tf.strings.{op}: {arg} must be a string tensor, got dtype {dtype.name}")
    return x


def host(x: Tensor) -> np.ndarray:
    return np.asarray(x._value)


def map_strings(x: Any, fn: Callable[[bytes], Any], op: str, out_dtype: Any = object) -> Tensor | RaggedTensor:
    """Apply ``fn`` to every string of ``x``; the result keeps x's shape (and ragged partition)."""
    x = as_string_tensor(x, op)
    flat = x.flat_values if isinstance(x, RaggedTensor) else x
    values = host(flat)
    mapped = [fn(v) for v in values.reshape(-1)]
    out = np.empty(len(mapped), dtype=out_dtype) if out_dtype is object else None
    if out is not None:
        out[:] = mapped
    else:
        out = np.asarray(mapped, dtype=out_dtype)
    result = _wrap(out.reshape(values.shape))
    return x.with_flat_values(result) if isinstance(x, RaggedTensor) else result


def object_array(items: list[Any], shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A 1-D (or ``shape``) object array of ``items`` (never NumPy's guess at a nested shape)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape) if shape is not None else out


def rows_result(x: Tensor | RaggedTensor, rows: list[list[Any]], op: str, dtype: Any = object) -> Any:
    """Each string of ``x`` became a list of items: a Tensor for a scalar input, else a RaggedTensor one rank up.

    A dense input of shape ``[d1, ..., dn]`` gives shape ``[d1, ..., dn, None]`` with the leading axes uniform,
    a ragged input gets one more ragged axis.
    """
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    items = list(itertools.chain.from_iterable(rows))
    values = _wrap(object_array(items) if dtype is object else np.asarray(items, dtype=dtype))
    if isinstance(x, RaggedTensor):
        dense = x.flat_values
        return x.with_flat_values(_dense_rows(tuple(dense._value.shape), values, lengths))
    return _dense_rows(tuple(x._value.shape), values, lengths)


def _dense_rows(shape: tuple[int, ...], values: Tensor, lengths: np.ndarray) -> Any:
    if not shape:
        return values
    result = RaggedTensor.from_row_lengths(values, lengths, validate=False)
    for size in reversed(shape[1:]):
        result = RaggedTensor.from_uniform_row_length(result, size)
    return result
