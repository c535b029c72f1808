"""The interface every array backend provides."""
from __future__ import annotations

import contextlib
from typing import Any, ContextManager

from tensorlet.backend import threads


class ArrayBackend:
    """Arrays, not maths: creation, conversion to NumPy, the device name, and the few calls whose spelling
    differs between array libraries. The maths itself is written against ``xp``, the array module."""

    name = "base"
    xp: Any = None
    numpy_arrays = False  # True when NumPy's own arrays are this backend's arrays (asarray leaves them alone)

    def asarray(self, value: Any, dtype: Any = None) -> Any:
        """``value`` (host data or a backend array) as a backend array; no copy when it already is one."""
        return self.xp.asarray(value, dtype=dtype)

    def to_numpy(self, array: Any) -> Any:
        raise NotImplementedError

    def is_array(self, x: Any) -> bool:
        """True for an array of this backend (not for Python or NumPy scalars, nor for host arrays elsewhere)."""
        return isinstance(x, self.xp.ndarray)

    def device(self, array: Any) -> str:
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def errstate(self, **kwargs: Any) -> ContextManager[Any]:
        """Silence floating-point warnings in a block (``divide="ignore"``...); a no-op where none are raised."""
        return contextlib.nullcontext()

    def as_strided(self, x: Any, shape: tuple[int, ...], strides: tuple[int, ...]) -> Any:
        """A read-only view of ``x``'s memory with the given shape and byte strides (windows for convolutions)."""
        return self.xp.lib.stride_tricks.as_strided(x, shape=shape, strides=strides)

    def take_into(self, x: Any, index: Any, axis: int, out: Any) -> Any:
        """``take(x, index, axis)`` written into ``out`` (an array of the result's shape and dtype); ``index``
        must be in range. Returns ``out``."""
        out[...] = self.xp.take(x, index, axis=axis)
        return out

    def sum_leading(self, x: Any, n: int) -> Any:
        """``x`` summed over its first ``n`` axes (a bias gradient: the sum over every row of a batch)."""
        return x.sum(axis=tuple(range(n)))

    def release_memory(self) -> None:
        """Hand memory freed by the arrays of dropped caches back to the system (a no-op by default)."""

    def gemm_accumulate(self, c: Any, a: Any, b: Any, alpha: float = 1.0) -> bool:
        """Fast path: ``c += alpha * a @ b`` in place in one library call. False (nothing done) when the
        backend has none; callers then compute the product and add it themselves."""
        return False

    def blas_threads(self, owner: Any, kind: str) -> threads.Session:
        """The BLAS thread policy for one loop of ``owner`` (``backend/threads.py``): ``with ... as tick:``, then
        ``tick()`` after each step. Without a BLAS whose thread count can be set, ``tick`` does nothing."""
        return threads.session(None, owner, kind)
