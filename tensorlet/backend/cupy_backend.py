"""The CuPy backend: arrays on a CUDA device, converted to NumPy at the boundary."""
from __future__ import annotations

from typing import Any

from tensorlet.backend.base import ArrayBackend


class CupyBackend(ArrayBackend):
    name = "cupy"

    def __init__(self) -> None:
        try:
            import cupy
        except ImportError as e:  # pragma: no cover - no GPU here
            raise ImportError("The cupy backend needs CuPy: pip install cupy-cuda12x") from e
        self.xp = cupy

    def to_numpy(self, array: Any) -> Any:  # pragma: no cover
        return self.xp.asnumpy(array)

    def device(self, array: Any) -> str:  # pragma: no cover
        return f"/job:localhost/replica:0/task:0/device:GPU:{array.device.id}"
