"""Rescaling and Normalization (with ``adapt``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E


class Rescaling(Layer):
    """y = x * scale + offset (e.g. ``Rescaling(1/255)``)."""

    def __init__(self, scale: float, offset: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset

    def call(self, inputs: Any) -> Any:
        x = inputs
        if x.dtype.is_integer or x.dtype.name != self.dtype:
            x = E.cast(x, self.dtype)
        y = E.multiply(x, float(self.scale))
        return E.add(y, float(self.offset)) if self.offset else y

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"scale": self.scale, "offset": self.offset})
        return config


class Normalization(Layer):
    """y = (x - mean) / sqrt(variance), per feature along ``axis``; ``adapt(data)`` computes mean and variance.

    ``invert=True`` maps normalized values back.
    """

    def __init__(self, axis: int | tuple[int, ...] | None = -1, mean: Any = None, variance: Any = None,
                 invert: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = (axis,) if isinstance(axis, int) else (tuple(axis) if axis is not None else ())
        self.invert = invert
        self._init_mean, self._init_variance = mean, variance
        if (mean is None) != (variance is None):
            raise ValueError("Normalization needs both mean and variance, or neither (then call adapt())")

    def _stat_shape(self, input_shape: Any) -> tuple[int, ...]:
        nd = len(input_shape)
        axes = {a % nd for a in self.axis}
        return tuple(input_shape[i] if i in axes else 1 for i in range(nd))

    def build(self, input_shape: Any) -> None:
        shape = tuple(1 if d is None else d for d in self._stat_shape(input_shape))
        shape = (1,) + shape[1:]
        self.mean = self.add_weight(name="mean", shape=shape, initializer="zeros", trainable=False)
        self.variance = self.add_weight(name="variance", shape=shape, initializer="ones", trainable=False)
        if self._init_mean is not None:
            self.mean.assign(np.broadcast_to(np.asarray(self._init_mean, self.dtype), shape))
            self.variance.assign(np.broadcast_to(np.asarray(self._init_variance, self.dtype), shape))
        self.built = True

    def adapt(self, data: Any, batch_size: Any = None, steps: Any = None) -> None:
        x = np.asarray(getattr(data, "_value", data), dtype=np.float64)
        if not self.built:
            self._maybe_build(tuple(x.shape))
        nd = x.ndim
        keep = {a % nd for a in self.axis}
        reduce_axes = tuple(i for i in range(nd) if i not in keep)
        self.mean.assign(x.mean(axis=reduce_axes, keepdims=True).astype(self.dtype).reshape(self.mean.shape))
        self.variance.assign(x.var(axis=reduce_axes, keepdims=True).astype(self.dtype).reshape(self.variance.shape))

    def call(self, inputs: Any) -> Any:
        x = E.cast(inputs, self.dtype)
        std = E.sqrt(E.maximum(self.variance, 1e-7))
        if self.invert:
            return E.add(E.multiply(x, std), self.mean)
        return E.divide(E.subtract(x, self.mean), std)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        # the constructor's statistics only: adapted values are weights, saved with the weights
        config.update({"axis": list(self.axis), "invert": self.invert,
                       "mean": None if self._init_mean is None else np.asarray(self._init_mean).tolist(),
                       "variance": None if self._init_variance is None else np.asarray(self._init_variance).tolist()})
        return config
