"""Adadelta: step sizes from the ratio of running RMS of updates and of gradients."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class Adadelta(Optimizer):
    """Adadelta. With accumulators ``E[g2]`` and ``E[dx2]`` starting at zero::

        E[g2] <- rho * E[g2] + (1 - rho) * g**2
        dx = -sqrt(E[dx2] + epsilon) / sqrt(E[g2] + epsilon) * g
        E[dx2] <- rho * E[dx2] + (1 - rho) * dx**2
        w <- w + lr * dx

    Keras keeps a learning rate (default 0.001) on top of the original algorithm's unit step.

    Args:
        learning_rate: defaults to 0.001.
        rho: the decay rate; defaults to 0.95.
        epsilon: defaults to 1e-7.
        name: defaults to ``"adadelta"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.95, epsilon: float | None = 1e-7,
                 name: str = "adadelta", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = float(rho)
        self.epsilon = 1e-7 if epsilon is None else float(epsilon)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("accumulated_grad", 0.0), ("accumulated_delta_var", 0.0)]

    def _n_scratch(self) -> int:
        return 2

    def _decaying_slots(self) -> list[tuple[int, float]]:
        return [(0, self.rho), (1, self.rho)]

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        return lr, self.rho, 1.0 - self.rho, self.epsilon

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        lr, rho, one_minus_rho, eps = c
        acc_g, acc_dx = s
        a, b = tmp
        xp.multiply(g, g, a)
        xp.multiply(a, one_minus_rho, a)
        xp.multiply(acc_g, rho, acc_g)
        xp.add(acc_g, a, acc_g)
        # a = -dx = sqrt(E[dx2] + eps) * g / sqrt(E[g2] + eps)
        xp.add(acc_dx, eps, a)
        xp.sqrt(a, a)
        xp.multiply(a, g, a)
        xp.add(acc_g, eps, b)
        xp.sqrt(b, b)
        xp.divide(a, b, a)
        xp.multiply(a, a, b)
        xp.multiply(b, one_minus_rho, b)
        xp.multiply(acc_dx, rho, acc_dx)
        xp.add(acc_dx, b, acc_dx)
        xp.multiply(a, lr, a)
        xp.subtract(w, a, w)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
