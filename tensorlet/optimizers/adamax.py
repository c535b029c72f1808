"""Adamax: Adam with the infinity norm in place of the second moment."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class Adamax(Optimizer):
    """Adamax. With ``m`` and ``u`` starting at zero, at step ``t = 1, 2, ...``::

        m <- m + (1 - beta_1) * (g - m)
        u <- max(beta_2 * u, |g|)
        w <- w - lr * m / ((1 - beta_1**t) * (u + epsilon))

    Args:
        learning_rate: defaults to 0.001.
        beta_1: defaults to 0.9.
        beta_2: defaults to 0.999.
        epsilon: defaults to 1e-7.
        name: defaults to ``"adamax"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float | None = 1e-7, name: str = "adamax", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = 1e-7 if epsilon is None else float(epsilon)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("momentum", 0.0), ("norm", 0.0)]

    def _decaying_slots(self) -> list[tuple[int, float]]:
        return [(0, self.beta_1), (1, self.beta_2)]

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        return 1.0 - self.beta_1, self.beta_2, lr / (1.0 - self.beta_1 ** t), self.epsilon

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        one_minus_b1, b2, step, eps = c
        m, u = s
        t = tmp[0]
        xp.subtract(g, m, t)
        xp.multiply(t, one_minus_b1, t)
        xp.add(m, t, m)
        xp.multiply(u, b2, u)
        xp.abs(g, t)
        xp.maximum(u, t, out=u)
        xp.add(u, eps, t)
        xp.divide(m, t, t)
        xp.multiply(t, step, t)
        xp.subtract(w, t, w)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
