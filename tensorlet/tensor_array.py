"""``tf.TensorArray``: a list of tensors of one dtype, written by index and stacked at the end."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.tensor import Tensor, TensorShape, _wrap


class TensorArray:
    """Tensors of one dtype by index (``write``/``read``/``stack``...), as TF 2 uses them in loops.

    ``write`` returns the array itself (eager TensorArrays are updated in place), so both
    ``ta = ta.write(i, x)`` and ``ta.write(i, x)`` work. Stacking is differentiable.

    Example:
        >>> import tensorlet as tf
        >>> ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        >>> for i in range(3):
        ...     ta = ta.write(i, tf.constant(float(i) * 2))
        >>> ta.stack().numpy().tolist()
        [0.0, 2.0, 4.0]
    """

    def __init__(self, dtype: Any, size: Any = None, dynamic_size: Any = None, clear_after_read: Any = None,
                 tensor_array_name: Any = None, handle: Any = None, flow: Any = None, infer_shape: bool = True,
                 element_shape: Any = None, colocate_with_first_write_call: bool = True, name: Any = None) -> None:
        self._dtype = _dtypes.as_dtype(dtype)
        n = 0 if size is None else int(np.asarray(getattr(size, "_value", size)))
        self._items: list[Tensor | None] = [None] * n
        self._dynamic = bool(dynamic_size)
        self._infer_shape = infer_shape
        self._element_shape = None if element_shape is None else TensorShape(element_shape)

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def element_shape(self) -> Any:
        return self._element_shape

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic

    def size(self, name: Any = None) -> Tensor:
        return _wrap(np.asarray(len(self._items), dtype=np.int32))

    def _index(self, index: Any) -> int:
        i = int(np.asarray(getattr(index, "_value", index)))
        if i < 0:
            raise IndexError(f"TensorArray index {i} is negative")
        return i

    def write(self, index: Any, value: Any, name: Any = None) -> TensorArray:
        from tensorlet.ops.elementwise import cast

        i = self._index(index)
        t = value if isinstance(value, Tensor) else _wrap(np.asarray(value))
        if t.dtype != self._dtype:
            if t.dtype.is_floating and self._dtype.is_floating or not isinstance(value, Tensor):
                t = cast(t, self._dtype)
            else:
                raise TypeError(f"TensorArray of dtype {self._dtype.name} cannot take a value of dtype "
                                f"{t.dtype.name}")
        shape = TensorShape(t._value.shape)
        if self._element_shape is not None and not self._element_shape.is_compatible_with(shape):
            raise ValueError(f"TensorArray: a value of shape {shape} does not match the element shape "
                             f"{self._element_shape}")
        if self._infer_shape and self._element_shape is None:
            self._element_shape = shape
        if i >= len(self._items):
            if not self._dynamic:
                raise IndexError(f"TensorArray of size {len(self._items)}: cannot write at index {i} "
                                 "(create it with dynamic_size=True to grow)")
            self._items.extend([None] * (i + 1 - len(self._items)))
        self._items[i] = t
        return self

    def read(self, index: Any, name: Any = None) -> Tensor:
        i = self._index(index)
        if i >= len(self._items) or self._items[i] is None:
            raise ValueError(f"TensorArray: index {i} has not been written")
        item = self._items[i]
        assert item is not None
        return item

    def _filled(self) -> list[Tensor]:
        from tensorlet.ops.creation import zeros

        shape = self._element_shape
        out = []
        for t in self._items:
            if t is None:
                if shape is None or not shape.is_fully_defined():
                    raise ValueError("TensorArray: stacking an array with unwritten entries of unknown shape")
                t = zeros(shape.as_list(), dtype=self._dtype)
            out.append(t)
        return out

    def stack(self, name: Any = None) -> Tensor:
        from tensorlet.ops.shape import stack

        items = self._filled()
        if not items:
            shape = self._element_shape.as_list() if self._element_shape is not None and \
                self._element_shape.rank is not None else []
            return _wrap(np.zeros([0] + [d or 0 for d in shape], dtype=self._dtype.as_numpy_dtype))
        return stack(items)

    def gather(self, indices: Any, name: Any = None) -> Tensor:
        from tensorlet.ops.shape import stack

        idx = np.asarray(getattr(indices, "_value", indices)).reshape(-1)
        return stack([self.read(int(i)) for i in idx])

    def concat(self, name: Any = None) -> Tensor:
        from tensorlet.ops.shape import concat

        return concat(self._filled(), axis=0)

    def unstack(self, value: Any, name: Any = None) -> TensorArray:
        from tensorlet.ops.shape import unstack

        parts = unstack(value if isinstance(value, Tensor) else _wrap(np.asarray(value)), axis=0)
        if len(parts) > len(self._items) and not self._dynamic and self._items:
            raise IndexError(f"TensorArray of size {len(self._items)} cannot take {len(parts)} values")
        self._items = [None] * max(len(self._items), len(parts))
        for i, p in enumerate(parts):
            self.write(i, p)
        return self

    def scatter(self, indices: Any, value: Any, name: Any = None) -> TensorArray:
        from tensorlet.ops.shape import unstack

        parts = unstack(value if isinstance(value, Tensor) else _wrap(np.asarray(value)), axis=0)
        for i, p in zip(np.asarray(getattr(indices, "_value", indices)).reshape(-1), parts):
            self.write(int(i), p)
        return self

    def split(self, value: Any, lengths: Any, name: Any = None) -> TensorArray:
        from tensorlet.ops.shape import split

        sizes = [int(n) for n in np.asarray(getattr(lengths, "_value", lengths)).reshape(-1)]
        for i, p in enumerate(split(value, sizes, axis=0)):
            self.write(i, p)
        return self

    def identity(self) -> TensorArray:
        return self

    def close(self, name: Any = None) -> None:
        self._items = []

    def __repr__(self) -> str:
        return f"<tf.TensorArray dtype={self._dtype.name} size={len(self._items)}>"
