"""Adagrad: per-parameter rates scaled by the accumulated squared gradients."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class Adagrad(Optimizer):
    """Adagrad. With an accumulator ``acc`` starting at ``initial_accumulator_value``::

        acc <- acc + g**2
        w <- w - lr * g / sqrt(acc + epsilon)

    Args:
        learning_rate: defaults to 0.001.
        initial_accumulator_value: the accumulators' starting value; defaults to 0.1.
        epsilon: defaults to 1e-7.
        name: defaults to ``"adagrad"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.
    """

    def __init__(self, learning_rate: Any = 0.001, initial_accumulator_value: float = 0.1,
                 epsilon: float | None = 1e-7, name: str = "adagrad", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.epsilon = 1e-7 if epsilon is None else float(epsilon)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("accumulator", self.initial_accumulator_value)]

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        return lr, self.epsilon

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        lr, eps = c
        acc, t = s[0], tmp[0]
        xp.multiply(g, g, t)
        xp.add(acc, t, acc)
        xp.add(acc, eps, t)
        xp.sqrt(t, t)
        xp.divide(g, t, t)
        xp.multiply(t, lr, t)
        xp.subtract(w, t, w)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
