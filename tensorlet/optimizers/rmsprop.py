"""RMSprop: divide the gradient by a running root mean square, with epsilon inside the square root (Keras)."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class RMSprop(Optimizer):
    """RMSprop, optionally centered and with (plain) momentum.

    With ``v`` (and, if centered, ``a``) starting at zero::

        v <- rho * v + (1 - rho) * g**2
        a <- rho * a + (1 - rho) * g                    # centered only
        d = v - a**2 + epsilon   if centered   else   v + epsilon
        increment = lr * g / sqrt(d)
        w <- w - increment                              # momentum == 0
        m <- momentum * m + increment;  w <- w - m      # momentum > 0

    As in Keras 3, epsilon is added *inside* the square root (PyTorch adds it outside).

    Args:
        learning_rate: defaults to 0.001.
        rho: the discounting factor of the running averages; defaults to 0.9.
        momentum: defaults to 0.0.
        epsilon: defaults to 1e-7.
        centered: normalize by the estimated variance of the gradient instead of its second moment.
        name: defaults to ``"rmsprop"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float | None = 1e-7, centered: bool = False, name: str = "rmsprop",
                 **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = float(rho)
        self.momentum = float(momentum)
        self.epsilon = 1e-7 if epsilon is None else float(epsilon)
        self.centered = bool(centered)

    def _slot_specs(self) -> list[tuple[str, float]]:
        specs = [("velocity", 0.0)]
        if self.momentum > 0:
            specs.append(("momentum", 0.0))
        if self.centered:
            specs.append(("average_gradient", 0.0))
        return specs

    def _slot_groups(self) -> list[tuple[str, ...]]:
        return [(name,) for name, _ in self._slot_specs()]  # Keras 3 adds each slot in a call of its own

    def _n_scratch(self) -> int:
        return 2 if self.centered else 1

    def _decaying_slots(self) -> list[tuple[int, float]]:
        return [(i, self.momentum if name == "momentum" else self.rho)
                for i, (name, _) in enumerate(self._slot_specs())]

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        return lr, self.rho, 1.0 - self.rho, self.epsilon, self.momentum

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        lr, rho, one_minus_rho, eps, momentum = c
        v, t = s[0], tmp[0]
        xp.multiply(g, g, t)
        xp.multiply(t, one_minus_rho, t)
        xp.multiply(v, rho, v)
        xp.add(v, t, v)
        if self.centered:
            a, u = s[-1], tmp[1]
            xp.multiply(g, one_minus_rho, u)
            xp.multiply(a, rho, a)
            xp.add(a, u, a)
            xp.multiply(a, a, u)
            xp.subtract(v, u, t)
            xp.add(t, eps, t)
        else:
            xp.add(v, eps, t)
        xp.sqrt(t, t)
        xp.divide(g, t, t)
        xp.multiply(t, lr, t)                    # t = increment
        if self.momentum > 0:
            m = s[1]
            xp.multiply(m, momentum, m)
            xp.add(m, t, m)
            xp.subtract(w, m, w)
        else:
            xp.subtract(w, t, w)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                "centered": self.centered}
