"""InverseTimeDecay: ``lr(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, _check_positive


class InverseTimeDecay(LearningRateSchedule):
    """``lr(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)``.

    With ``staircase=True``, ``step / decay_steps`` is floored. ``InverseTimeDecay(lr, 1, decay)`` is the
    classic ``decay=`` keyword of Keras 2 optimizers.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: how often to apply the decay (> 0).
        decay_rate: the decay rate.
        staircase: decay at discrete intervals.
        name: kept for the config.

    Example:
        >>> round(float(InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)(2)), 6)
        0.05
    """

    def __init__(self, initial_learning_rate: float, decay_steps: float, decay_rate: float,
                 staircase: bool = False, name: str = "InverseTimeDecay") -> None:
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _lr_at(self, step: float) -> float:
        p = step / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return float(self.initial_learning_rate) / (1.0 + float(self.decay_rate) * p)

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}
