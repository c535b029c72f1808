"""``tf.TensorSpec``: the shape (None where any size goes) and dtype a tensor argument must have."""
from __future__ import annotations

from typing import Any

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.tensor import Tensor, TensorShape


class TensorSpec:
    """Describes a tensor: ``TensorSpec(shape=(None, 28), dtype=tf.float32)``.

    Example:
        >>> import tensorlet as tf
        >>> spec = tf.TensorSpec(shape=(None, 3), dtype=tf.float32)
        >>> spec
        TensorSpec(shape=(None, 3), dtype=tf.float32, name=None)
        >>> spec.is_compatible_with(tf.zeros((5, 3)))
        True
    """

    def __init__(self, shape: Any = None, dtype: Any = "float32", name: str | None = None) -> None:
        self.shape = TensorShape(shape)
        self._unknown_rank = shape is None
        self.dtype = _dtypes.as_dtype(dtype)
        self.name = name

    @classmethod
    def from_tensor(cls, tensor: Any, name: str | None = None) -> TensorSpec:
        return cls(tuple(tensor.shape), tensor.dtype, name)

    def is_compatible_with_shape(self, shape: Any) -> bool:
        if self._unknown_rank:
            return True
        return self.shape.is_compatible_with(tuple(shape))

    def is_compatible_with(self, other: Any) -> bool:
        """True for a tensor or spec of this dtype whose shape fits this one (None matches any size)."""
        if isinstance(other, TensorSpec):
            return other.dtype == self.dtype and (other._unknown_rank or self.is_compatible_with_shape(other.shape))
        if isinstance(other, Tensor):
            return other.dtype == self.dtype and self.is_compatible_with_shape(other._value.shape)
        return False

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, TensorSpec) and other.shape == self.shape and other.dtype == self.dtype
                and other._unknown_rank == self._unknown_rank and other.name == self.name)

    def __hash__(self) -> int:
        return hash((tuple(self.shape), self.dtype.name, self.name))

    def __repr__(self) -> str:
        shape = "<unknown>" if self._unknown_rank else _shape_text(self.shape)
        return f"TensorSpec(shape={shape}, dtype=tf.{self.dtype.name}, name={self.name!r})"


def _shape_text(shape: TensorShape) -> str:
    dims = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({dims},)" if len(shape) == 1 else f"({dims})"
