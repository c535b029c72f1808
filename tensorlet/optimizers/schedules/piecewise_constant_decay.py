"""PiecewiseConstantDecay: ``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``."""
from __future__ import annotations

import bisect
from typing import Any

from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class PiecewiseConstantDecay(LearningRateSchedule):
    """A step function: ``values[0]`` for ``step <= boundaries[0]``, ``values[i]`` for
    ``boundaries[i-1] < step <= boundaries[i]``, and ``values[-1]`` for ``step > boundaries[-1]``.

    Args:
        boundaries: increasing step numbers.
        values: the rates; one more than ``boundaries``.
        name: kept for the config.

    Raises:
        ValueError: when ``len(values) != len(boundaries) + 1``.

    Example:
        >>> s = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.25])
        >>> [float(s(k)) for k in (100, 101, 201)]
        [1.0, 0.5, 0.25]
    """

    def __init__(self, boundaries: list[Any], values: list[Any], name: str = "PiecewiseConstant") -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of values. Received: "
                             f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                             f"length {len(values)}.")
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = name

    def _lr_at(self, step: float) -> float:
        # bisect_left counts the boundaries strictly below step: step == boundary stays in the earlier piece
        return float(self.values[bisect.bisect_left(self.boundaries, step)])

    def get_config(self) -> dict[str, Any]:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
