"""CosineDecay (with Keras 3's optional linear warmup) and CosineDecayRestarts (SGDR)."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, _check_positive


def _cosine(fraction: float, alpha: float) -> float:
    """``(1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha``: from 1 at fraction 0 down to alpha at 1."""
    return (1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + alpha


class CosineDecay(LearningRateSchedule):
    """Cosine decay, optionally after a linear warmup.

    Without warmup (``warmup_target=None``)::

        s = min(step, decay_steps)
        lr(step) = initial_learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)

    With a ``warmup_target``, the rate first rises linearly from ``initial_learning_rate`` to
    ``warmup_target`` over ``warmup_steps`` (``initial + (target - initial) * step / warmup_steps``), then
    decays as above from ``warmup_target`` with ``s = min(step - warmup_steps, decay_steps)``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the cosine decay (> 0).
        alpha: the final rate as a fraction of the decay's starting rate.
        name: kept for the config.
        warmup_target: the rate reached at the end of the warmup; None for no warmup.
        warmup_steps: the length of the warmup.

    Example:
        >>> round(float(CosineDecay(1.0, decay_steps=10)(5)), 6)
        0.5
        >>> round(float(CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=4)(2)), 6)
        0.5
    """

    def __init__(self, initial_learning_rate: float, decay_steps: float, alpha: float = 0.0,
                 name: str = "CosineDecay", warmup_target: float | None = None,
                 warmup_steps: float = 0) -> None:
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _lr_at(self, step: float) -> float:
        d, alpha, lr0 = float(self.decay_steps), float(self.alpha), float(self.initial_learning_rate)
        if self.warmup_target is None:
            return lr0 * _cosine(min(step, d) / d, alpha)
        w, target = float(self.warmup_steps), float(self.warmup_target)
        step = min(step, d + w)
        if step < w:
            return lr0 + (target - lr0) * step / w
        return target * _cosine((step - w) / d, alpha)

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR).

    The first period lasts ``first_decay_steps``; each next one ``t_mul`` times longer, starting from
    ``m_mul`` times the previous period's starting rate. With ``f = step / first_decay_steps``, the period
    index is ``i = floor(f)`` when ``t_mul == 1``, else ``i = floor(log(1 - f * (1 - t_mul)) / log(t_mul))``,
    and the fraction of period ``i`` done is ``(f - (1 - t_mul**i) / (1 - t_mul)) / t_mul**i`` (``f - i``
    when ``t_mul == 1``). Then::

        lr(step) = initial_learning_rate * ((1 - alpha) * m_mul**i * 0.5 * (1 + cos(pi * fraction)) + alpha)

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: the length of the first period (> 0).
        t_mul: the factor on each next period's length.
        m_mul: the factor on each next period's starting rate.
        alpha: the minimum rate, as a fraction of ``initial_learning_rate``.
        name: kept for the config.

    Example:
        >>> s = CosineDecayRestarts(1.0, first_decay_steps=10)
        >>> [round(float(s(k)), 6) for k in (0, 5, 10, 20)]
        [1.0, 0.5, 1.0, 0.5]
    """

    def __init__(self, initial_learning_rate: float, first_decay_steps: float, t_mul: float = 2.0,
                 m_mul: float = 1.0, alpha: float = 0.0, name: str = "SGDRDecay") -> None:
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def _lr_at(self, step: float) -> float:
        f = step / float(self.first_decay_steps)
        t_mul, m_mul, alpha = float(self._t_mul), float(self._m_mul), float(self.alpha)
        if t_mul == 1.0:
            i = math.floor(f)
            fraction = f - i
        else:
            i = math.floor(math.log(1.0 - f * (1.0 - t_mul)) / math.log(t_mul))
            done = (1.0 - t_mul ** i) / (1.0 - t_mul)
            fraction = (f - done) / t_mul ** i
        cos_part = m_mul ** i * 0.5 * (1.0 + math.cos(math.pi * fraction))
        return float(self.initial_learning_rate) * ((1.0 - alpha) * cos_part + alpha)

    def get_config(self) -> dict[str, Any]:
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul, "m_mul": self._m_mul,
                "alpha": self.alpha, "name": self.name}
