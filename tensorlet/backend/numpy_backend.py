"""The NumPy backend."""
from __future__ import annotations

from typing import Any, ContextManager

import numpy

from tensorlet.backend.base import ArrayBackend


class NumpyBackend(ArrayBackend):
    name = "numpy"
    xp: Any = numpy

    def to_numpy(self, array: Any) -> Any:
        return array

    def errstate(self, **kwargs: Any) -> ContextManager[Any]:
        return numpy.errstate(**kwargs)

    def as_strided(self, x: Any, shape: tuple[int, ...], strides: tuple[int, ...]) -> Any:
        return numpy.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)

    def gemm_accumulate(self, c: Any, a: Any, b: Any, alpha: float = 1.0) -> bool:
        from tensorlet.backend import blas

        return blas.gemm_accumulate(c, a, b, alpha)
