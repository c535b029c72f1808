"""PolynomialDecay: ``(initial - end) * (1 - step / decay_steps) ** power + end``."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class PolynomialDecay(LearningRateSchedule):
    """``lr(step) = (initial_learning_rate - end_learning_rate) * (1 - s / d) ** power + end_learning_rate``.

    Without ``cycle``, ``s = min(step, decay_steps)`` and ``d = decay_steps``: the rate stays at
    ``end_learning_rate`` after ``decay_steps``. With ``cycle``, ``s = step`` and
    ``d = decay_steps * ceil(step / decay_steps)`` (``d = decay_steps`` at step 0), restarting each period.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the decay (> 0).
        end_learning_rate: the final rate; defaults to 0.0001.
        power: the polynomial's power; 1.0 is linear.
        cycle: restart after ``decay_steps``.
        name: kept for the config.

    Example:
        >>> round(float(PolynomialDecay(1.0, 10, end_learning_rate=0.0)(5)), 6)
        0.5
    """

    def __init__(self, initial_learning_rate: float, decay_steps: float, end_learning_rate: float = 0.0001,
                 power: float = 1.0, cycle: bool = False, name: str = "PolynomialDecay") -> None:
        if decay_steps <= 0:
            raise ValueError(f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def _lr_at(self, step: float) -> float:
        d = float(self.decay_steps)
        if self.cycle:
            d *= 1.0 if step == 0 else math.ceil(step / d)
        else:
            step = min(step, d)
        end = float(self.end_learning_rate)
        return (float(self.initial_learning_rate) - end) * (1.0 - step / d) ** float(self.power) + end

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}
