"""Adam, in Keras' "epsilon hat" form, with the AMSGrad variant."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class Adam(Optimizer):
    """Adam with bias correction folded into the step size.

    With ``m``, ``v`` (and ``v_hat``) starting at zero, at step ``t = 1, 2, ...``::

        m <- m + (1 - beta_1) * (g - m)            # = beta_1 * m + (1 - beta_1) * g
        v <- v + (1 - beta_2) * (g**2 - v)         # = beta_2 * v + (1 - beta_2) * g**2
        v_hat <- max(v_hat, v)                     # amsgrad only; v_hat replaces v below
        lr_t = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w <- w - lr_t * m / (sqrt(v) + epsilon)

    Epsilon is Kingma and Ba's "epsilon hat", added to the uncorrected ``sqrt(v)``; PyTorch's epsilon is
    added to ``sqrt(v / (1 - beta_2**t))``, so the two agree when ``epsilon`` is rescaled by
    ``sqrt(1 - beta_2**t)``.

    Args:
        learning_rate: defaults to 0.001.
        beta_1: decay of the first moment; defaults to 0.9.
        beta_2: decay of the second moment; defaults to 0.999.
        epsilon: defaults to 1e-7.
        amsgrad: use the maximum of past second moments.
        name: defaults to ``"adam"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float | None = 1e-7, amsgrad: bool = False, name: str = "adam",
                 **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = 1e-7 if epsilon is None else float(epsilon)
        self.amsgrad = bool(amsgrad)

    def _slot_specs(self) -> list[tuple[str, float]]:
        specs = [("momentum", 0.0), ("velocity", 0.0)]
        return specs + [("velocity_hat", 0.0)] if self.amsgrad else specs

    def _slot_groups(self) -> list[tuple[str, ...]]:
        # Keras 3 adds momentum and velocity together, then velocity_hat in a call of its own
        return [("momentum", "velocity")] + ([("velocity_hat",)] if self.amsgrad else [])

    def _decaying_slots(self) -> list[tuple[int, float]]:
        return [(0, self.beta_1), (1, self.beta_2)]  # v_hat only grows

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        b1, b2 = self.beta_1, self.beta_2
        lr_t = lr * math.sqrt(1.0 - b2 ** t) / (1.0 - b1 ** t)
        return 1.0 - b1, 1.0 - b2, lr_t, self.epsilon

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        one_minus_b1, one_minus_b2, lr_t, eps = c
        m, v, t = s[0], s[1], tmp[0]
        xp.subtract(g, m, t)
        xp.multiply(t, one_minus_b1, t)
        xp.add(m, t, m)
        xp.multiply(g, g, t)
        xp.subtract(t, v, t)
        xp.multiply(t, one_minus_b2, t)
        xp.add(v, t, v)
        if self.amsgrad:
            v = xp.maximum(s[2], v, out=s[2])  # positional out is deprecated for maximum
        xp.sqrt(v, t)
        xp.add(t, eps, t)
        xp.divide(m, t, t)
        xp.multiply(t, lr_t, t)
        xp.subtract(w, t, w)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                "amsgrad": self.amsgrad}
