"""SGD: gradient descent with optional momentum or Nesterov momentum, as Keras writes it."""
from __future__ import annotations

from typing import Any

from tensorlet.backend import Array
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class SGD(Optimizer):
    """Gradient descent with momentum.

    With ``momentum == 0``: ``w <- w - lr * g``. Otherwise, with a velocity ``v`` starting at zero::

        v <- momentum * v - lr * g
        w <- w + v                          # nesterov=False
        w <- w + momentum * v - lr * g      # nesterov=True (with the new v)

    Args:
        learning_rate: defaults to 0.01.
        momentum: in [0, 1]; defaults to 0.
        nesterov: use Nesterov momentum.
        name: defaults to ``"SGD"``.
        **kwargs: the base ``Optimizer``'s arguments (``weight_decay``, ``clipnorm``...), and Keras 2's ``lr``
            and ``decay``.

    Example:
        >>> import tensorlet as tf
        >>> w = tf.Variable(1.0)
        >>> opt = SGD(learning_rate=0.1)
        >>> _ = opt.minimize(lambda: w * w, [w])   # dloss/dw = 2
        >>> round(float(w), 6)
        0.8
    """

    def __init__(self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 name: str = "SGD", **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("momentum", 0.0)] if self.momentum != 0 else []

    def _n_scratch(self) -> int:
        return 2 if self.momentum != 0 else 1

    def _decaying_slots(self) -> list[tuple[int, float]]:
        return [(0, self.momentum)] if self.momentum != 0 else []

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        return lr, self.momentum

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        lr, momentum = c
        step = xp.multiply(g, lr, tmp[0])
        if not s:  # built without momentum
            xp.subtract(w, step, w)
            return
        v = s[0]
        xp.multiply(v, momentum, v)
        xp.subtract(v, step, v)
        if self.nesterov:
            ahead = xp.multiply(v, momentum, tmp[1])
            xp.subtract(ahead, step, ahead)
            xp.add(w, ahead, w)
        else:
            xp.add(w, v, w)

    # -- the linear fast path (plain SGD in fit) ----------------------------------------------------------
    def linear_step_scale(self, variables: Any) -> float | None:
        """``-lr`` when this step is exactly ``w <- w - lr * g``: no momentum, clipping, weight decay, loss
        scaling, accumulation, EMA or custom update step, and every variable already has its state."""
        if (self.momentum or self.clipnorm or self.global_clipnorm or self.clipvalue or self.weight_decay
                or self.loss_scale_factor or self.gradient_accumulation_steps or self.use_ema
                or self._custom_update_step or self._store is None):
            return None
        store = self._store
        known = self.__dict__.get("_linear_known")
        if known is None or known[0] is not store or known[1] is not variables:  # a store only grows: check once
            if any(id(v) not in store.index for v in variables):
                return None
            self._linear_known = (store, variables)
        return -self._lr_value(int(self._iterations._value))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
