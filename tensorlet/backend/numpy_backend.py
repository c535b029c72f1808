"""The NumPy backend."""
from __future__ import annotations

from typing import Any

import numpy

from tensorlet.backend.base import ArrayBackend


class NumpyBackend(ArrayBackend):
    name = "numpy"
    xp = numpy

    def to_numpy(self, array: Any) -> Any:
        return array

    def gemm_accumulate(self, c: Any, a: Any, b: Any, alpha: float = 1.0) -> bool:
        from tensorlet.backend import blas

        return blas.gemm_accumulate(c, a, b, alpha)
