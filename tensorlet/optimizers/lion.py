"""Lion: sign of an interpolated momentum (Chen et al., 2023)."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class Lion(Optimizer):
    """Lion. With ``m`` starting at zero::

        w <- w - lr * sign(beta_1 * m + (1 - beta_1) * g)
        m <- beta_2 * m + (1 - beta_2) * g

    Its updates have unit size per element, so it wants a learning rate 3-10x smaller than AdamW's.

    Args:
        learning_rate: defaults to 0.001.
        beta_1: the interpolation for the update, in (0, 1]; defaults to 0.9.
        beta_2: the decay of the momentum; defaults to 0.99.
        name: defaults to ``"lion"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.

    Raises:
        ValueError: when ``beta_1`` is outside (0, 1] (the optimizer would degenerate to signSGD).
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.99,
                 name: str = "lion", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0 < beta_1 <= 1:
            raise ValueError("Argument `beta_1` must be in the (0, 1] range; otherwise the optimizer "
                             f"degenerates to SignSGD. Received: beta_1={beta_1}.")
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("momentum", 0.0)]

    def _decaying_slots(self) -> list[tuple[int, float]]:
        return [(0, self.beta_2)]

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        return lr, 1.0 - self.beta_1, 1.0 - self.beta_2

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        lr, one_minus_b1, one_minus_b2 = c
        m, t = s[0], tmp[0]
        xp.subtract(g, m, t)                     # beta_1 m + (1 - beta_1) g = m + (1 - beta_1)(g - m)
        xp.multiply(t, one_minus_b1, t)
        xp.add(t, m, t)
        xp.sign(t, t)
        xp.multiply(t, lr, t)
        xp.subtract(w, t, w)
        xp.subtract(g, m, t)
        xp.multiply(t, one_minus_b2, t)
        xp.add(m, t, m)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
