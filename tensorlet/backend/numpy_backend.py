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
