"""Gradient clipping by norm, composed from primitives."""
from __future__ import annotations

import math
from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.elementwise import divide, maximum, multiply, sqrt
from tensorlet.ops.reduction import reduce_sum


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: Any = None) -> Tensor:
    """t * clip_norm / max(||t||, clip_norm): rescale so the L2 norm is at most clip_norm."""
    x = as_tensor(t)
    n = sqrt(reduce_sum(multiply(x, x), axis=axes, keepdims=True))
    c = backend.asarray(float(getattr(clip_norm, "_value", clip_norm)), dtype=x._value.dtype)
    return divide(multiply(x, c), maximum(n, c))


def clip_by_global_norm(t_list: Any, clip_norm: Any, use_norm: Any = None, name: Any = None) -> Any:
    """Scale every tensor by clip_norm / max(global_norm, clip_norm); returns (clipped list, global norm)."""
    xp = backend.xp()
    arrays = [None if t is None else backend.asarray(getattr(t, "_value", t)) for t in t_list]
    g = math.sqrt(sum(float((a.astype(xp.float64) ** 2).sum()) for a in arrays if a is not None))
    if use_norm is not None:
        g = float(getattr(use_norm, "_value", use_norm))
    c = float(getattr(clip_norm, "_value", clip_norm))
    scale = c / max(g, c)
    out = [None if t is None else multiply(as_tensor(t), backend.asarray(scale, dtype=as_tensor(t)._value.dtype))
           for t in t_list]
    return out, _wrap(backend.asarray(g, dtype=xp.float32))
