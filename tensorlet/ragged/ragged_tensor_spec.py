"""``tf.RaggedTensorSpec``: the shape (None on ragged axes), dtype and ragged rank a RaggedTensor value must have."""
from __future__ import annotations

from typing import Any

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.tensor import TensorShape
from tensorlet.ragged.ragged_tensor import RaggedTensor


class RaggedTensorSpec:
    """Describes a RaggedTensor: ``RaggedTensorSpec(shape=(None, None), dtype=tf.int32)``.

    ``ragged_rank`` defaults to ``rank - 1`` (every axis after the first may be ragged), as in TensorFlow.

    Example:
        >>> import tensorlet as tf
        >>> tf.RaggedTensorSpec(shape=(2, None), dtype=tf.int32)
        RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)
    """

    _tree_leaf = True

    def __init__(self, shape: Any = None, dtype: Any = "float32", ragged_rank: int | None = None,
                 row_splits_dtype: Any = "int64", flat_values_spec: Any = None) -> None:
        self._unknown_rank = shape is None
        self.shape = TensorShape(shape)
        self.dtype = _dtypes.as_dtype(dtype if flat_values_spec is None else flat_values_spec.dtype)
        rank = None if self._unknown_rank else len(self.shape)
        if ragged_rank is None:
            if rank is None:
                raise ValueError("RaggedTensorSpec: ragged_rank must be given when the shape's rank is unknown")
            ragged_rank = rank - 1
        if ragged_rank < 0 or (rank is not None and ragged_rank >= max(rank, 1)):
            raise ValueError(f"RaggedTensorSpec: ragged_rank must be in [0, rank) for shape {self.shape}, got "
                             f"{ragged_rank}")
        self.ragged_rank = int(ragged_rank)
        self.row_splits_dtype = _dtypes.as_dtype(row_splits_dtype)
        self.flat_values_spec = flat_values_spec

    @classmethod
    def from_value(cls, value: RaggedTensor) -> RaggedTensorSpec:
        return cls(tuple(value.shape), value.dtype, value.ragged_rank, value.row_splits_dtype)

    @property
    def value_type(self) -> type:
        return RaggedTensor

    def is_compatible_with(self, other: Any) -> bool:
        """True for a RaggedTensor or spec of this dtype and ragged rank whose shape fits this one."""
        if isinstance(other, RaggedTensor):
            other = RaggedTensorSpec.from_value(other)
        if not isinstance(other, RaggedTensorSpec):
            return False
        if other.dtype != self.dtype or other.ragged_rank != self.ragged_rank:
            return False
        return self._unknown_rank or other._unknown_rank or self.shape.is_compatible_with(other.shape)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RaggedTensorSpec) and other.shape == self.shape and other.dtype == self.dtype
                and other.ragged_rank == self.ragged_rank and other.row_splits_dtype == self.row_splits_dtype
                and other._unknown_rank == self._unknown_rank)

    def __hash__(self) -> int:
        return hash((tuple(self.shape), self.dtype.name, self.ragged_rank))

    def __repr__(self) -> str:
        shape = "None" if self._unknown_rank else repr(self.shape)
        return f"RaggedTensorSpec({shape}, tf.{self.dtype.name}, {self.ragged_rank}, tf.{self.row_splits_dtype.name})"
