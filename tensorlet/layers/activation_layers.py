"""Advanced activation layers: ReLU, LeakyReLU, Softmax, and ActivityRegularization."""
from __future__ import annotations

from typing import Any

from tensorlet import regularizers
from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E
from tensorlet.ops import nn as nn_ops


class ReLU(Layer):
    """max(x, threshold) style ReLU: ``x`` above ``threshold``, ``negative_slope * (x - threshold)`` below,
    capped at ``max_value``."""

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"max_value of a ReLU layer cannot be negative, got {max_value}")
        if negative_slope < 0:
            raise ValueError(f"negative_slope of a ReLU layer cannot be negative, got {negative_slope}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs: Any) -> Any:
        x = inputs
        if self.threshold == 0 and self.negative_slope == 0:
            y = nn_ops.relu(x)
        else:
            shifted = E.subtract(x, self.threshold)
            y = E.where(E.greater_equal(x, self.threshold), x, E.multiply(shifted, self.negative_slope))
        if self.max_value is not None:
            y = E.minimum(y, float(self.max_value))
        return y

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config


class LeakyReLU(Layer):
    """x if x > 0 else negative_slope * x (Keras 2's ``alpha`` is accepted; default 0.3)."""

    def __init__(self, negative_slope: float = 0.3, alpha: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.negative_slope = float(alpha if alpha is not None else negative_slope)

    @property
    def alpha(self) -> float:
        return self.negative_slope

    def call(self, inputs: Any) -> Any:
        return nn_ops.leaky_relu(inputs, alpha=self.negative_slope)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config


class Softmax(Layer):
    """softmax along ``axis``."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs: Any, mask: Any = None) -> Any:
        return nn_ops.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["axis"] = self.axis
        return config


class ActivityRegularization(Layer):
    """Identity that adds ``l1 * sum|x| + l2 * sum(x^2)`` of its input to the model's losses."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
