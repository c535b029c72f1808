"""Ftrl: Follow The Regularized Leader (McMahan et al., 2013), with L1, L2 and L2-shrinkage."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class Ftrl(Optimizer):
    """FTRL-Proximal. With ``n`` starting at ``initial_accumulator_value``, ``z`` at zero and ``p =
    -learning_rate_power``::

        g' = g + 2 * l2_shrinkage_regularization_strength * w
        n_new = n + g**2
        z <- z + g' - (n_new**p - n**p) / lr * w
        q = n_new**p / lr + 2 * (l2_regularization_strength + beta / (2 * lr))
        w <- (clip(z, -l1, l1) - z) / q              # l1 = l1_regularization_strength
        n <- n_new

    Args:
        learning_rate: defaults to 0.001.
        learning_rate_power: <= 0; defaults to -0.5.
        initial_accumulator_value: >= 0; defaults to 0.1.
        l1_regularization_strength: >= 0; defaults to 0.
        l2_regularization_strength: >= 0; defaults to 0.
        l2_shrinkage_regularization_strength: >= 0; defaults to 0 (a magnitude penalty on the gradient).
        beta: defaults to 0.
        name: defaults to ``"ftrl"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.
    """

    def __init__(self, learning_rate: Any = 0.001, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1, l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, l2_shrinkage_regularization_strength: float = 0.0,
                 beta: float = 0.0, name: str = "ftrl", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        for key, value, ok in (("initial_accumulator_value", initial_accumulator_value,
                                initial_accumulator_value >= 0),
                               ("learning_rate_power", learning_rate_power, learning_rate_power <= 0),
                               ("l1_regularization_strength", l1_regularization_strength,
                                l1_regularization_strength >= 0),
                               ("l2_regularization_strength", l2_regularization_strength,
                                l2_regularization_strength >= 0),
                               ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                                l2_shrinkage_regularization_strength >= 0)):
            if not ok:
                sign = "negative or zero" if key == "learning_rate_power" else "positive or zero"
                raise ValueError(f"`{key}` needs to be {sign}. Received: {key}={value}.")
        self.learning_rate_power = float(learning_rate_power)
        self.initial_accumulator_value = float(initial_accumulator_value)
        self.l1_regularization_strength = float(l1_regularization_strength)
        self.l2_regularization_strength = float(l2_regularization_strength)
        self.l2_shrinkage_regularization_strength = float(l2_shrinkage_regularization_strength)
        self.beta = float(beta)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("accumulator", self.initial_accumulator_value), ("linear", 0.0)]

    def _n_scratch(self) -> int:
        return 2

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        l1 = self.l1_regularization_strength
        return (1.0 / lr, -self.learning_rate_power, l1, -l1, 2.0 * l2,
                2.0 * self.l2_shrinkage_regularization_strength)

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        inv_lr, p, l1, minus_l1, two_l2, two_shrink = c
        n, z = s
        a, b = tmp
        if self.l2_shrinkage_regularization_strength:
            xp.multiply(w, two_shrink, b)
            xp.add(z, b, z)
        xp.add(z, g, z)
        sqrt = self.learning_rate_power == -0.5
        xp.sqrt(n, b) if sqrt else xp.power(n, p, b)            # b = n**p
        xp.multiply(g, g, a)
        xp.add(n, a, n)                                         # n = n_new
        xp.sqrt(n, a) if sqrt else xp.power(n, p, a)            # a = n_new**p
        xp.subtract(a, b, b)
        xp.multiply(b, inv_lr, b)
        xp.multiply(b, w, b)
        xp.subtract(z, b, z)
        xp.multiply(a, inv_lr, a)                               # a = q
        xp.add(a, two_l2, a)
        xp.clip(z, minus_l1, l1, b)
        xp.subtract(b, z, b)
        xp.divide(b, a, w)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta}

