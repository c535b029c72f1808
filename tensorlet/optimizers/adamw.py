"""AdamW: Adam with decoupled weight decay (on by default)."""
from __future__ import annotations

from typing import Any

from tensorlet.optimizers.adam import Adam


class AdamW(Adam):
    """Adam (see ``Adam`` for the update) preceded by decoupled weight decay::

        w <- w - w * weight_decay * lr        # before the Adam update, with the step's lr (not lr_t)

    It is the base optimizer's ``weight_decay`` rule, on by default here.

    Args:
        learning_rate: defaults to 0.001.
        weight_decay: defaults to 0.004.
        beta_1: defaults to 0.9.
        beta_2: defaults to 0.999.
        epsilon: defaults to 1e-7.
        amsgrad: use the maximum of past second moments.
        name: defaults to ``"adamw"``.
        **kwargs: the base ``Optimizer``'s arguments, and Keras 2's ``lr`` and ``decay``.

    Raises:
        ValueError: when ``weight_decay`` is None.
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float = 0.004, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float | None = 1e-7, amsgrad: bool = False,
                 name: str = "adamw", **kwargs: Any) -> None:
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, name=name, weight_decay=weight_decay, **kwargs)
