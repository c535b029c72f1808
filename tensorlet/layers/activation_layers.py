"""Advanced activation layers: ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax, and ActivityRegularization."""
from __future__ import annotations

from typing import Any

from tensorlet import constraints, initializers, regularizers
from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E
from tensorlet.ops import nn as nn_ops


class ReLU(Layer):
    """max(x, threshold) style ReLU: ``x`` above ``threshold``, ``negative_slope * (x - threshold)`` below,
    capped at ``max_value``."""

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        if max_value is not None and max_value < 0:
            raise ValueError(f"max_value of a ReLU layer cannot be negative, got {max_value}")
        if negative_slope < 0:
            raise ValueError(f"negative_slope of a ReLU layer cannot be negative, got {negative_slope}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs: Any) -> Any:
        x = inputs
        if self.threshold == 0 and self.negative_slope == 0:
            if self.max_value is not None and self.max_value > 0:  # one pass (ReLU6)
                return nn_ops.capped_relu(x, self.max_value)
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
        self.supports_masking = True
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


class PReLU(Layer):
    """x if x >= 0 else alpha * x, with a learned ``alpha`` of the input's shape (batch axis excluded); the axes
    in ``shared_axes`` (counted with the batch axis as 0) share one alpha. Its weight is named ``alpha``."""

    def __init__(self, alpha_initializer: Any = "zeros", alpha_regularizer: Any = None, alpha_constraint: Any = None,
                 shared_axes: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        else:
            self.shared_axes = [int(a) for a in (shared_axes if isinstance(shared_axes, (list, tuple))
                                                 else [shared_axes])]

    def build(self, input_shape: Any) -> None:
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis < len(input_shape):
                raise ValueError(f'Layer "{self.name}" (PReLU): shared_axes holds axes of the input counted from the '
                                 f"batch axis 0, so each must be in [1, {len(input_shape) - 1}]; got shared_axes="
                                 f"{self.shared_axes} for an input of shape {tuple(input_shape)}")
            shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(f'Layer "{self.name}" (PReLU) needs every non-batch axis known, or listed in '
                             f"shared_axes; got input shape {tuple(input_shape)}")
        self.alpha = self.add_weight(name="alpha", shape=tuple(shape), initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)
        self.built = True

    def call(self, inputs: Any) -> Any:
        return E.add(nn_ops.relu(inputs), E.multiply(self.alpha, E.minimum(inputs, 0.0)))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({"alpha_initializer": ser(self.alpha_initializer),
                       "alpha_regularizer": ser(self.alpha_regularizer),
                       "alpha_constraint": ser(self.alpha_constraint), "shared_axes": self.shared_axes})
        return config


class ELU(Layer):
    """x if x > 0 else alpha * (exp(x) - 1)."""

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha = float(alpha)

    def call(self, inputs: Any) -> Any:
        return nn_ops.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


class ThresholdedReLU(Layer):
    """x if x > theta else 0 (Keras 2's layer; ``theta`` >= 0, default 1)."""

    def __init__(self, theta: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        if theta is None or float(theta) < 0:
            raise ValueError(f"ThresholdedReLU: theta must be a number >= 0, got theta={theta!r}")
        self.theta = float(theta)

    def call(self, inputs: Any) -> Any:
        return E.multiply(inputs, E.cast(E.greater(inputs, self.theta), inputs.dtype))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["theta"] = self.theta
        return config


class Softmax(Layer):
    """softmax along ``axis`` (an int or a list of axes); with ``mask`` (broadcastable to the inputs, True keeps),
    the masked positions get a score of -1e9 first."""

    def __init__(self, axis: Any = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is None and not isinstance(self.axis, list):
            return nn_ops.softmax(inputs, axis=self.axis)
        from tensorlet.ops.attention import masked_softmax

        if mask is not None:
            shape, mshape = tuple(inputs.shape), tuple(getattr(mask, "shape", ()))
            if len(mshape) > len(shape) or any(m not in (1, i) for m, i in zip(mshape[::-1], shape[::-1])):
                raise ValueError(f'Layer "{self.name}" (Softmax): the mask must be broadcastable to the inputs; '
                                 f"received inputs.shape={shape}, mask.shape={mshape}")

        return masked_softmax(inputs, mask, axis=self.axis)

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
        self.supports_masking = True
        self.l1, self.l2 = l1, l2

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
