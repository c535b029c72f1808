"""The image argument of ``tf.image`` functions: conversion, rank checks, batching, and static sizes.

TensorFlow's image functions take one image ``(height, width, channels)`` or a batch ``(batch, height, width,
channels)``; most work internally on the batch form and give back the rank they were given.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def as_image(image: Any, name: str = "image") -> Tensor:
    """``image`` as a Tensor of rank 3 or more (a ValueError names the function's argument otherwise)."""
    t = as_tensor(image)
    if t._value.ndim < 3:
        raise ValueError(f"'{name}' (shape {tuple(t._value.shape)}) must be at least three-dimensional "
                         "(height, width, channels)")
    return t


def batched(image: Any, name: str = "image") -> tuple[Tensor, bool]:
    """``image`` as a 4-D batch, and whether it was one already (rank 3 or 4 only)."""
    t = as_tensor(image)
    rank = t._value.ndim
    if rank == 3:
        return S.expand_dims(t, 0), False
    if rank != 4:
        raise ValueError(f"'{name}' (shape {tuple(t._value.shape)}) must have either 3 or 4 dimensions.")
    return t, True


def unbatched(t: Tensor, was_batch: bool) -> Tensor:
    """Undo ``batched``: drop the added batch axis."""
    return t if was_batch else S.squeeze(t, axis=0)


def host_value(v: Any) -> Any:
    """A Python/NumPy value from a number, array or Tensor (reading a tensor's value on the host)."""
    if isinstance(v, Tensor):
        v = v.numpy()
    return np.asarray(v)[()] if isinstance(v, np.ndarray) else v


def host_int(v: Any, name: str) -> int:
    """An integer argument (a Python int, a NumPy integer, or an integer tensor) as a Python int."""
    value = host_value(v)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return int(value)
        raise TypeError(f"`{name}` must be an integer, got {v!r}")
    return int(value)


def host_size(size: Any, name: str = "size") -> tuple[int, int]:
    """A (height, width) pair from a list, tuple, array or 1-D tensor of two integers."""
    value = np.asarray(host_value(size) if isinstance(size, Tensor) else size)
    if value.shape != (2,) or value.dtype.kind not in "iu" and not (
            value.dtype.kind == "f" and np.all(np.mod(value, 1) == 0)):
        raise ValueError(f"'{name}' must be a 1-D int32 Tensor of 2 elements: new_height, new_width; "
                         f"got {size!r}")
    return int(value[0]), int(value[1])


def float_dtype_for(t: Tensor) -> Any:
    """The float dtype TF's adjustments compute in: float16/float32 images keep theirs, others use float32."""
    return t._value.dtype if t._value.dtype in (np.float16, np.float32) else np.dtype(np.float32)
