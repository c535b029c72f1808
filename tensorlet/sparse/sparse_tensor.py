"""``tf.SparseTensor``: a tensor given by the coordinates and values of its non-default entries.

tensorlet keeps it to what ``tf.io.VarLenFeature`` parsing returns and course code does next: read ``indices``,
``values`` and ``dense_shape``, or turn it dense with ``tf.sparse.to_dense``. No op takes it directly.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, TensorShape, _wrap, constant


def _index_tensor(x: Any, what: str) -> Tensor:
    arr = np.asarray(x._value if isinstance(x, Tensor) else x)
    if arr.size == 0:
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"SparseTensor: {what} must be integers, got dtype {arr.dtype}")
    return _wrap(arr.astype(np.int64))


class SparseTensor:
    """``SparseTensor(indices, values, dense_shape)``: entry ``indices[i]`` holds ``values[i]``.

    Example:
        >>> import tensorlet as tf
        >>> st = tf.SparseTensor(indices=[[0, 1], [2, 0]], values=[5, 7], dense_shape=[3, 2])
        >>> tf.sparse.to_dense(st).numpy().tolist()
        [[0, 5], [0, 0], [7, 0]]
    """

    _tree_leaf = True

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        self._indices = _index_tensor(indices, "indices").numpy().reshape(-1, len(np.asarray(
            dense_shape._value if isinstance(dense_shape, Tensor) else dense_shape).reshape(-1)))
        self._values = values if isinstance(values, Tensor) else constant(values)
        self._shape = _index_tensor(dense_shape, "dense_shape").numpy().reshape(-1)
        if self._indices.shape[0] != self._values._value.shape[0]:
            raise ValueError(f"SparseTensor: {self._indices.shape[0]} indices for {self._values._value.shape[0]} "
                             "values")

    @property
    def indices(self) -> Tensor:
        return _wrap(self._indices)

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        return _wrap(self._shape)

    @property
    def dtype(self) -> Any:
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._shape.tolist())

    def get_shape(self) -> TensorShape:
        return self.shape

    def __repr__(self) -> str:
        return (f"SparseTensor(indices={self.indices}, values={self.values}, dense_shape={self.dense_shape})")


def to_dense(sp_input: SparseTensor, default_value: Any = None, validate_indices: bool = True,
             name: Any = None) -> Tensor:
    """The dense tensor of ``sp_input``, ``default_value`` (0, or b'') where no entry is given."""
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"tf.sparse.to_dense: expected a SparseTensor, got {type(sp_input).__name__}")
    values = np.asarray(sp_input._values._value)
    if default_value is None:
        default_value = b"" if values.dtype == object else 0
    out = np.empty(tuple(sp_input._shape.tolist()), dtype=values.dtype)
    out.fill(default_value)
    if len(values):
        out[tuple(sp_input._indices.T)] = values
    return _wrap(out)


def from_dense(tensor: Any, name: Any = None) -> SparseTensor:
    """The non-zero (non-empty for strings) entries of ``tensor``."""
    arr = np.asarray(tensor._value if isinstance(tensor, Tensor) else constant(tensor)._value)
    mask = arr != (b"" if arr.dtype == object else 0)
    idx = np.argwhere(mask)
    return SparseTensor(idx, _wrap(arr[mask]), arr.shape)


class SparseTensorSpec:
    """``tf.SparseTensorSpec``: the dense shape (None where unknown) and dtype of a SparseTensor value.

    Example:
        >>> import tensorlet as tf
        >>> tf.SparseTensorSpec([None, 3], tf.float32)
        SparseTensorSpec(TensorShape([None, 3]), tf.float32)
    """

    _tree_leaf = True

    def __init__(self, shape: Any = None, dtype: Any = "float32") -> None:
        from tensorlet import dtypes as _dtypes

        self._unknown_rank = shape is None
        self.shape = TensorShape(shape)
        self.dtype = _dtypes.as_dtype(dtype)

    @classmethod
    def from_value(cls, value: SparseTensor) -> SparseTensorSpec:
        return cls(value._shape.tolist(), value.dtype)

    @property
    def value_type(self) -> type:
        return SparseTensor

    def is_compatible_with(self, other: Any) -> bool:
        if isinstance(other, SparseTensor):
            other = SparseTensorSpec.from_value(other)
        return (isinstance(other, SparseTensorSpec) and other.dtype == self.dtype and
                (self._unknown_rank or other._unknown_rank or self.shape.is_compatible_with(other.shape)))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, SparseTensorSpec) and other.shape == self.shape and other.dtype == self.dtype
                and other._unknown_rank == self._unknown_rank)

    def __hash__(self) -> int:
        return hash((tuple(self.shape), self.dtype.name))

    def __repr__(self) -> str:
        shape = "None" if self._unknown_rank else repr(self.shape)
        return f"SparseTensorSpec({shape}, tf.{self.dtype.name})"


def stack(rows: list[SparseTensor]) -> SparseTensor:
    """One SparseTensor of rank + 1 holding ``rows`` (``Dataset.batch`` of sparse components): each row's
    indices get its position in front, and the dense shape is the largest of the rows'."""
    if not rows:
        raise ValueError("stack: no SparseTensor to stack")
    ranks = {len(r._shape) for r in rows}
    if len(ranks) != 1:
        raise ValueError(f"stack: SparseTensors of different ranks {sorted(ranks)}")
    indices = [np.concatenate([np.full((len(r._indices), 1), i, np.int64), r._indices], axis=1)
               for i, r in enumerate(rows)]
    values = np.concatenate([np.asarray(r._values._value) for r in rows])
    shape = [len(rows)] + np.max(np.stack([r._shape for r in rows]), axis=0).tolist()
    return SparseTensor(np.concatenate(indices), _wrap(values), shape)


def unstack(st: SparseTensor) -> list[SparseTensor]:
    """The rows of a SparseTensor along its first axis (``Dataset.unbatch``)."""
    values = np.asarray(st._values._value)
    first = st._indices[:, 0]
    return [SparseTensor(st._indices[first == i][:, 1:], _wrap(values[first == i]), st._shape[1:])
            for i in range(int(st._shape[0]))]
