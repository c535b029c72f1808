"""The interface every array backend provides."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import threads


class ArrayBackend:
    """Arrays, not maths: creation, conversion to NumPy, and the device name."""

    name = "base"
    xp: Any = None

    def asarray(self, value: Any, dtype: Any = None) -> Any:
        return self.xp.asarray(value, dtype=dtype)

    def to_numpy(self, array: Any) -> Any:
        raise NotImplementedError

    def device(self, array: Any) -> str:
        return "/job:localhost/replica:0/task:0/device:CPU:0"

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
