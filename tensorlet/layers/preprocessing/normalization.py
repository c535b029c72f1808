"""Normalization: y = (x - mean) / max(sqrt(variance), epsilon), per feature along ``axis``.

Keras' weight layout: statistics learned by ``adapt`` are three non-trainable weights, ``mean`` and ``variance``
of the kept axes' shape (``(3,)`` for RGB images with ``axis=-1``) and an integer ``count``; statistics given to
the constructor are constants, so the layer then has no weights at all (EfficientNetV2's and ConvNeXt's input
normalization, with zero parameters). EfficientNet's adapted layer reads its three weights from Keras' files.
"""
from __future__ import annotations

import math
from typing import Any

from tensorlet import backend
from tensorlet.config import epsilon
from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S


class Normalization(Layer):
    """Shift and scale inputs to zero mean and unit variance per feature.

    Args:
        axis: the axis or axes that keep their own statistics (default -1, the features or channels); None or
            ``()`` for one mean and variance over everything.
        mean, variance: the statistics, as numbers or arrays broadcastable to the kept axes; both or neither
            (then call ``adapt(data)``).
        invert: map normalized values back: y = mean + x * max(sqrt(variance), epsilon).

    Example:
        >>> layer = Normalization(mean=3.0, variance=4.0)
        >>> [float(v) for v in layer([[1.0], [5.0]]).numpy().ravel()]
        [-1.0, 1.0]
    """

    def __init__(self, axis: Any = -1, mean: Any = None, variance: Any = None, invert: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = () if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.invert = bool(invert)
        if (mean is None) != (variance is None):
            raise ValueError("Normalization: set both `mean` and `variance`, or neither (then call adapt()); got "
                             f"mean={mean!r}, variance={variance!r}")
        if mean is not None:
            xp = backend.xp()
            m_shape, v_shape = xp.asarray(mean).shape, xp.asarray(variance).shape
            if m_shape != v_shape:
                raise ValueError(f"Normalization: `mean` and `variance` must have the same shape, got {m_shape} "
                                 f"and {v_shape}")
            if len(m_shape) > len(self.axis):
                raise ValueError(f"Normalization: `mean` of shape {m_shape} has more axes than axis={self.axis}")
        self.input_mean, self.input_variance = mean, variance
        self.supports_masking = True

    def _kept_axes(self, input_shape: Any) -> tuple[int, ...]:
        ndim = len(input_shape)
        for a in self.axis:
            if not -ndim <= a < ndim:
                raise ValueError(f'Layer "{self.name}" (Normalization): axis {a} is out of range for inputs of '
                                 f"shape {tuple(input_shape)}")
        kept = tuple(sorted(a % ndim for a in self.axis))
        unknown = [a for a in kept if input_shape[a] is None]
        if unknown:
            raise ValueError(f'Layer "{self.name}" (Normalization): the kept axes {kept} need known sizes, got inputs '
                             f"of shape {tuple(input_shape)}")
        return kept

    def build(self, input_shape: Any) -> None:
        ndim = len(input_shape)
        self._kept = self._kept_axes(input_shape)
        self._broadcast_shape = tuple(input_shape[a] if a in self._kept else 1 for a in range(ndim))
        stat_shape = tuple(input_shape[a] for a in self._kept)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=stat_shape, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=stat_shape, initializer="ones",
                                                  trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64", initializer="zeros", trainable=False)
        else:
            self._mean_const = self._constant(self.input_mean)
            self._variance_const = self._constant(self.input_variance)
        self.built = True

    def _constant(self, value: Any) -> Any:
        """A given statistic, its trailing axes aligned with the kept axes, broadcast to the input's rank."""
        xp = backend.xp()
        v = xp.asarray(value, dtype=self.dtype)
        shape = [1] * len(self._broadcast_shape)
        for i in range(1, v.ndim + 1):
            shape[self._kept[-i]] = v.shape[-i]
        return xp.broadcast_to(v.reshape(shape), self._broadcast_shape)

    def _statistics(self) -> tuple[Any, Any]:
        if self.input_mean is not None:
            return self._mean_const, self._variance_const
        return (S.reshape(self.adapt_mean, self._broadcast_shape),
                S.reshape(self.adapt_variance, self._broadcast_shape))

    def adapt(self, data: Any, batch_size: Any = None, steps: Any = None) -> None:
        """Set ``mean``, ``variance`` and ``count`` from an array, or from an iterable of batches (a dataset)."""
        if self.input_mean is not None:
            raise ValueError(f'Layer "{self.name}" (Normalization) was given mean and variance; it cannot adapt')
        xp = backend.xp()
        if isinstance(data, (list, tuple)) or hasattr(data, "shape") or hasattr(data, "_value"):
            x = xp.asarray(getattr(data, "_value", data), dtype="float64")
        else:  # batches, e.g. a tf.data Dataset
            x = xp.concatenate([xp.asarray(getattr(b, "_value", b), dtype="float64") for b in data])
        if not self.built:
            self._maybe_build(tuple(x.shape))
        reduce_axes = tuple(i for i in range(x.ndim) if i not in self._kept)
        self.adapt_mean.assign(x.mean(axis=reduce_axes).astype(self.dtype))
        self.adapt_variance.assign(x.var(axis=reduce_axes).astype(self.dtype))
        self.count.assign(math.prod(x.shape[i] for i in reduce_axes))

    def call(self, inputs: Any) -> Any:
        x = E.cast(inputs, self.dtype)
        mean, variance = self._statistics()
        std = E.maximum(E.sqrt(variance), epsilon())
        if self.invert:
            return E.add(mean, E.multiply(x, std))
        return E.divide(E.subtract(x, mean), std)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        xp = backend.xp()

        def listed(v: Any) -> Any:
            return None if v is None else xp.asarray(v).tolist()

        config.update({"axis": list(self.axis), "invert": self.invert, "mean": listed(self.input_mean),
                       "variance": listed(self.input_variance)})
        return config
