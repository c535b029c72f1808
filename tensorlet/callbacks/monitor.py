"""Monitor: the min/max comparison shared by EarlyStopping, ModelCheckpoint and ReduceLROnPlateau."""
from __future__ import annotations

import warnings

import numpy as np


class Monitor:
    """Decide whether a new value of a log key improves on the best one."""

    def __init__(self, key: str, mode: str = "auto", min_delta: float = 0.0) -> None:
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"Unknown mode {mode!r}; falling back to 'auto'", RuntimeWarning, stacklevel=3)
            mode = "auto"
        if mode == "auto":
            mode = "max" if any(s in key for s in ("acc", "auc", "precision", "recall", "f1", "r2")) \
                and "loss" not in key else "min"
        self.key, self.mode, self.min_delta = key, mode, abs(min_delta)

    @property
    def initial(self) -> float:
        return np.inf if self.mode == "min" else -np.inf

    def improved(self, current: float, best: float) -> bool:
        if current is None or np.isnan(current):
            return False
        if self.mode == "min":
            return current < best - self.min_delta
        return current > best + self.min_delta
