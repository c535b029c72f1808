"""Nadam: Adam with Nesterov momentum, in Keras 3's momentum-cache form."""
from __future__ import annotations

from typing import Any, Sequence

from tensorlet.autodiff.tensor import Variable
from tensorlet.backend import Array
from tensorlet.optimizers.legacy_arguments import warn_deprecated
from tensorlet.optimizers.optimizer import Arrays, Optimizer


class Nadam(Optimizer):
    """Nadam (Dozat, 2015) as Keras 3 computes it.

    A momentum schedule ``u_t = beta_1 * (1 - 0.5 * 0.96**(t * d))`` (``d = 1`` in Keras 3) and its product
    ``P_t = u_1 * u_2 * ... * u_t`` (the ``u_product`` state, updated once per step) weight the new gradient
    and the momentum. With ``m`` and ``v`` starting at zero, at step ``t = 1, 2, ...``::

        m <- m + (1 - beta_1) * (g - m)
        v <- v + (1 - beta_2) * (g**2 - v)
        m_hat = u_{t+1} * m / (1 - P_t * u_{t+1}) + (1 - u_t) * g / (1 - P_t)
        v_hat = v / (1 - beta_2**t)
        w <- w - lr * m_hat / (sqrt(v_hat) + epsilon)

    Args:
        learning_rate: defaults to 0.001.
        beta_1: defaults to 0.9.
        beta_2: defaults to 0.999.
        epsilon: defaults to 1e-7.
        schedule_decay: Keras 2's ``d`` in the momentum schedule (it used 0.004); Keras 3 dropped the argument
            (``d = 1``). Accepted with a DeprecationWarning, and applied.
        name: defaults to ``"nadam"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float | None = 1e-7, schedule_decay: float | None = None, name: str = "nadam",
                 **kwargs: Any) -> None:
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if schedule_decay is not None:
            warn_deprecated(f"Nadam(schedule_decay={schedule_decay}) is Keras 2's momentum schedule "
                            "0.96**(t * schedule_decay); tensorlet applies it, but Keras 3 has no such "
                            "argument (its schedule is 0.96**t).")
        self.schedule_decay = schedule_decay
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = 1e-7 if epsilon is None else float(epsilon)
        self._u_product: Variable | None = None

    def build(self, var_list: Sequence[Any]) -> None:
        super().build(var_list)
        if self._u_product is None:
            dtype = var_list[0]._value.dtype if len(var_list) else "float32"
            self._u_product = Variable(1.0, dtype=dtype, trainable=False, name="u_product")
            self._extra_variables.append(self._u_product)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("momentum", 0.0), ("velocity", 0.0)]

    def _n_scratch(self) -> int:
        return 2

    def _decaying_slots(self) -> list[tuple[int, float]]:
        return [(0, self.beta_1), (1, self.beta_2)]

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        b1, b2 = self.beta_1, self.beta_2
        d = 1.0 if self.schedule_decay is None else self.schedule_decay
        u_t = b1 * (1.0 - 0.5 * 0.96 ** (t * d))
        u_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * d))
        assert self._u_product is not None
        product = self._u_product._value
        product[...] = float(product) * u_t      # stored in the variables' dtype, as Keras does
        p_t = float(product)
        return (1.0 - b1, 1.0 - b2, u_next / (1.0 - p_t * u_next), (1.0 - u_t) / (1.0 - p_t),
                1.0 / (1.0 - b2 ** t), lr, self.epsilon)

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        xp = self._store.xp  # type: ignore[union-attr]  # the store exists once built
        one_minus_b1, one_minus_b2, c_m, c_g, v_scale, lr, eps = c
        m, v = s
        a, b = tmp
        xp.subtract(g, m, a)
        xp.multiply(a, one_minus_b1, a)
        xp.add(m, a, m)
        xp.multiply(g, g, a)
        xp.subtract(a, v, a)
        xp.multiply(a, one_minus_b2, a)
        xp.add(v, a, v)
        xp.multiply(m, c_m, a)                   # a = m_hat
        xp.multiply(g, c_g, b)
        xp.add(a, b, a)
        xp.multiply(v, v_scale, b)               # b = sqrt(v_hat) + epsilon
        xp.sqrt(b, b)
        xp.add(b, eps, b)
        xp.divide(a, b, a)
        xp.multiply(a, lr, a)
        xp.subtract(w, a, w)

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                  "epsilon": self.epsilon}
        if self.schedule_decay is not None:
            config["schedule_decay"] = self.schedule_decay
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Optimizer:
        config = dict(config)
        schedule_decay = config.pop("schedule_decay", None)  # a saved Keras 2 config loads quietly
        optimizer = super().from_config(config, custom_objects)
        optimizer.schedule_decay = schedule_decay  # type: ignore[attr-defined]
        return optimizer
