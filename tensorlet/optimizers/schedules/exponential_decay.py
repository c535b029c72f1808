"""ExponentialDecay: ``lr(step) = initial_learning_rate * decay_rate ** (step / decay_steps)``."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, _check_positive


class ExponentialDecay(LearningRateSchedule):
    """``lr(step) = initial_learning_rate * decay_rate ** (step / decay_steps)``.

    With ``staircase=True`` the exponent is ``floor(step / decay_steps)``, so the rate drops in steps.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the number of steps over which the rate is multiplied by ``decay_rate`` (> 0).
        decay_rate: the factor per ``decay_steps``.
        staircase: decay at discrete intervals.
        name: kept for the config.

    Example:
        >>> round(float(ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(20)), 6)
        0.025
    """

    def __init__(self, initial_learning_rate: float, decay_steps: float, decay_rate: float,
                 staircase: bool = False, name: str = "ExponentialDecay") -> None:
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
        return float(self.initial_learning_rate) * float(self.decay_rate) ** p

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}
