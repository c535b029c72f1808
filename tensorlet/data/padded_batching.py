"""``padded_batch``: batches of elements of different shapes, padded to a common shape per component.

Each component is padded at the end of each axis, to ``padded_shapes`` (an unknown dimension: the longest in the
batch) with ``padding_values`` (0, or b'' for strings; one value may serve every component).
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor, TensorShape
from tensorlet.data import structure
from tensorlet.data.batching import batch_cardinality
from tensorlet.data.chunk import Chunk, as_list, split_by_size
from tensorlet.data.dataset import Dataset, positive_int
from tensorlet.data.iterator import IterContext
from tensorlet.errors import InvalidArgumentError
from tensorlet.tensor_spec import TensorSpec


def _as_shape(value: Any) -> TensorShape:
    if isinstance(value, Tensor):
        value = value.numpy().tolist()
    if isinstance(value, (int, np.integer)):
        value = [int(value)]
    if isinstance(value, TensorSpec):
        value = value.shape
    return TensorShape([None if d is None or int(d) == -1 else int(d) for d in value])


class PaddedBatchDataset(Dataset):
    _repr_name = "_PaddedBatchDataset"

    def __init__(self, input_dataset: Dataset, batch_size: Any, padded_shapes: Any, padding_values: Any,
                 drop_remainder: bool) -> None:
        self._input = input_dataset
        self._size = positive_int(batch_size, "padded_batch: batch_size")
        self._drop = bool(drop_remainder)
        spec = input_dataset.element_spec
        flat = tree.flatten(spec)
        for j, s in enumerate(flat):
            if not isinstance(s, TensorSpec):
                raise TypeError(f"padded_batch: padded batching of components of type {type(s).__name__} is not "
                                f"supported (component {j} of {spec!r}); use ragged_batch for ragged elements")
        self._shapes = self._padded_shapes(padded_shapes, spec, flat)
        self._values = self._padding_values(padding_values, spec, flat)
        out = [TensorSpec((self._size if self._drop else None,) + tuple(shape), s.dtype)
               for shape, s in zip(self._shapes, flat)]
        super().__init__([input_dataset], tree.pack_sequence_as(spec, out))

    @staticmethod
    def _padded_shapes(padded_shapes: Any, spec: Any, flat: list[TensorSpec]) -> list[TensorShape]:
        if padded_shapes is None:
            for j, s in enumerate(flat):
                if s._unknown_rank:
                    raise ValueError(f"padded_batch: You must provide `padded_shapes` argument because component "
                                     f"{j} has unknown rank (element_spec {spec!r}).")
            return [s.shape for s in flat]
        shapes = _flat_shapes(padded_shapes, spec)
        for j, (shape, s) in enumerate(zip(shapes, flat)):
            if not s._unknown_rank and len(shape) != len(s.shape):
                raise ValueError(f"padded_batch: the padded shape {shape} for component {j} is not compatible with "
                                 f"the component's shape {s.shape} (element_spec {spec!r}).")
            if not s._unknown_rank and not all(p is None or d is None or p >= d for p, d in zip(shape, s.shape)):
                raise ValueError(f"padded_batch: the padded shape {shape} for component {j} is smaller than the "
                                 f"component's shape {s.shape}.")
        return shapes

    @staticmethod
    def _padding_values(padding_values: Any, spec: Any, flat: list[TensorSpec]) -> list[Any]:
        if padding_values is None:
            return [b"" if s.dtype.name == "string" else np.zeros((), s.dtype.as_numpy_dtype) for s in flat]
        values = tree.flatten(padding_values) if tree.is_nested(padding_values) else [padding_values] * len(flat)
        if len(values) != len(flat):
            raise ValueError(f"padded_batch: padding_values {padding_values!r} do not match the structure of the "
                             f"elements {spec!r}")
        out = []
        for v, s in zip(values, flat):
            arr = structure.to_component(v, "padded_batch padding_values")
            if arr.ndim:
                raise ValueError(f"padded_batch: padding values must be scalars, got {v!r}")
            if s.dtype.name == "string":
                out.append(arr[()])
            else:
                out.append(np.asarray(arr, s.dtype.as_numpy_dtype))
        return out

    def _cardinality(self) -> int:
        return batch_cardinality(self._input._cardinality(), self._size, self._drop)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        spec = self._input.element_spec
        for part in split_by_size(self._input._chunks(ctx), self._size, self._drop):
            yield Chunk(1, [_pad(col, shape, value, j, spec) for j, (col, shape, value) in
                            enumerate(zip(part.columns, self._shapes, self._values))])


def _flat_shapes(padded_shapes: Any, spec: Any) -> list[TensorShape]:
    """``padded_shapes`` (the elements' structure, a shape at each component) as a flat list of shapes."""
    out: list[TensorShape] = []

    def walk(p: Any, s: Any) -> None:
        if not tree.is_nested(s):
            out.append(_as_shape(p))
            return
        if isinstance(s, dict):
            for k in sorted(s):
                walk(p[k], s[k])
        else:
            if len(p) != len(s):
                raise ValueError(f"padded_batch: padded_shapes {padded_shapes!r} do not match the structure of the "
                                 f"elements {spec!r}")
            for pi, si in zip(p, s):
                walk(pi, si)
    walk(padded_shapes, spec)
    return out


def _pad(column: Any, shape: TensorShape, value: Any, index: int, spec: Any) -> Any:
    rows = as_list(column)
    ranks = {r.ndim for r in rows}
    if len(ranks) != 1 or (len(shape) and ranks != {len(shape)}):
        raise InvalidArgumentError(f"padded_batch: the elements of component {index} have ranks {sorted(ranks)}, "
                                   f"but the padded shape is {shape} (element_spec {spec!r})")
    longest = tuple(max(r.shape[d] for r in rows) for d in range(ranks.pop())) if rows else ()
    target = tuple(longest[d] if p is None else p for d, p in enumerate(shape)) if len(shape) else longest
    for r in rows:
        if any(n > t for n, t in zip(r.shape, target)):
            raise InvalidArgumentError(f"Attempted to pad to a smaller size than the input element: an element of "
                                       f"component {index} has shape {list(r.shape)}, the padded shape is "
                                       f"{list(target)}.")
    if type(column) is np.ndarray and column.shape[1:] == target:
        return column[None]
    dtype = rows[0].dtype
    out = np.empty((len(rows),) + target, dtype=dtype)
    out.fill(value)
    for i, r in enumerate(rows):
        out[(i,) + tuple(slice(0, n) for n in r.shape)] = r
    return out[None]
