"""BatchNormalization: normalize with batch statistics in training, moving statistics in inference."""
from __future__ import annotations

import math
from typing import Any

from tensorlet import backend, constraints, initializers, regularizers
from tensorlet.autodiff.function import Function, StatefulFunction
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.backend import Array
from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E


class MovingStatisticsUpdate(StatefulFunction):
    """y = x (and dx = dy), updating a batch normalization's moving statistics from the batch it just normalized.

    The update is a step of its own, after the normalization, so that a traced training step replays it once per
    batch (``StatefulFunction``); the normalization op itself has no effect beyond its output.
    """

    def __init__(self, norm: Any) -> None:
        self.norm = norm

    def forward(self, y: Any) -> Any:
        self.norm.update_moving()
        return y

    def peek(self, y: Any) -> Any:
        return y

    def backward(self, dy: Any) -> Any:
        return dy


class BatchNormTrain(Function):
    """y = gamma (x - mean) / sqrt(var + eps) + beta with batch statistics over every axis but ``axis``.

    ``update_moving`` (run by the following ``MovingStatisticsUpdate``) moves the moving statistics toward this
    batch's: ``moving = moving * momentum + batch_stat * (1 - momentum)`` (biased batch variance, as Keras).
    Gradient: dx = gamma / sigma * (dy - mean(dy) - xhat * mean(dy * xhat)).

    With a Keras mask (a fourth input ``w``: 1 for kept steps, 0 for masked ones, broadcast over the channels), the
    statistics are the means over the kept entries (Keras' masked moments); every entry is normalized with them,
    and dx = gamma / sigma * (dy - w mean_w(dy) - w xhat mean_w(dy * xhat)).
    """

    def __init__(self, axes: tuple[int, ...], eps: float, momentum: float, moving_mean: Any,
                 moving_var: Any) -> None:
        self.axes, self.eps, self.momentum = axes, eps, momentum
        self.moving_mean, self.moving_var = moving_mean, moving_var

    def forward(self, x: Any, gamma: Any, beta: Any, w: Any = None) -> Any:
        mean, var, xhat, inv = _batch_moments(x, self.axes, self.eps, self.xp, w)
        y = xhat * gamma + beta
        self.batch_stats = (mean, var)
        kept = None if w is None else (w, self.xp.broadcast_to(w, x.shape).sum(axis=self.axes, keepdims=True))
        self.saved = (xhat, inv, gamma, kept)
        return y.astype(x.dtype, copy=False)

    def update_moving(self) -> None:
        mean, var = self.batch_stats
        _ema(self.moving_mean._value, mean, self.momentum)
        _ema(self.moving_var._value, var, self.momentum)

    def backward(self, dy: Any) -> Any:
        xhat, inv, gamma, kept = self.saved
        dx, dbeta, dgamma = _normalized_grads(dy, xhat, gamma * inv, self.axes, kept)
        return (dx, dgamma, dbeta) if kept is None else (dx, dgamma, dbeta, None)


class BatchRenormTrain(Function):
    """Batch renormalization: y = gamma (xhat r + d) + beta, xhat normalized with the batch statistics.

    r = clip(sigma_B / renorm_stddev, rmin, rmax) and d = clip((mean_B - renorm_mean) / renorm_stddev, -dmax,
    dmax), read before this batch's update, are constants for the gradient. ``update_moving`` (once per batch,
    from the following ``MovingStatisticsUpdate``): the renorm statistics move with ``renorm_momentum``,
    ``moving_mean`` and ``moving_stddev`` with ``momentum``, and ``moving_variance = moving_stddev ** 2 - eps``
    (the inference statistics, as Keras 2 keeps them).
    Gradient: dx = gamma r / sigma_B * (dy - mean(dy) - xhat * mean(dy * xhat)).
    """

    def __init__(self, axes: tuple[int, ...], eps: float, momentum: float, renorm_momentum: float,
                 clipping: tuple[float, float, float], state: tuple[Any, ...]) -> None:
        self.axes, self.eps, self.momentum, self.renorm_momentum = axes, eps, momentum, renorm_momentum
        self.clipping = clipping  # rmin, rmax, dmax
        self.state = state  # moving_mean, moving_variance, moving_stddev, renorm_mean, renorm_stddev

    def forward(self, x: Any, gamma: Any, beta: Any) -> Any:
        xp = self.xp
        mean, var, xhat, inv = _batch_moments(x, self.axes, self.eps, xp)
        sigma = xp.sqrt(var + self.eps)
        _mm, _mv, _msd, rm, rsd = (v._value for v in self.state)
        shape = mean.shape
        rmin, rmax, dmax = self.clipping
        r = xp.clip(sigma / rsd.reshape(shape), rmin, rmax)
        d = xp.clip((mean - rm.reshape(shape)) / rsd.reshape(shape), -dmax, dmax)
        y = (xhat * r + d) * gamma + beta
        self.batch_stats = (mean, sigma)
        self.saved = (xhat, r, d, inv, gamma)
        return y.astype(x.dtype, copy=False)

    def update_moving(self) -> None:
        mean, sigma = self.batch_stats
        mm, mv, msd, rm, rsd = (v._value for v in self.state)
        for moving, stat, m in ((rm, mean, self.renorm_momentum), (rsd, sigma, self.renorm_momentum),
                                (mm, mean, self.momentum), (msd, sigma, self.momentum)):
            _ema(moving, stat, m)
        self.xp.subtract(msd * msd, self.eps, out=mv)

    def backward(self, dy: Any) -> Any:
        xhat, r, d, inv, gamma = self.saved
        dx, dbeta, dxhat_sum = _normalized_grads(dy, xhat, gamma * r * inv, self.axes)
        return dx, r * dxhat_sum + d * dbeta, dbeta


def _batch_moments(x: Array, axes: tuple[int, ...], eps: float, xp: Any,
                   w: Array | None = None) -> tuple[Array, Array, Array, Array]:
    """(mean, biased variance, xhat = (x - mean) / sqrt(var + eps), 1 / sqrt(var + eps)) over ``axes``; with 0/1
    weights ``w``, the statistics are over the entries they keep."""
    if w is None:
        mean = x.mean(axis=axes, keepdims=True)
        xc = x - mean
        var = (xc * xc).mean(axis=axes, keepdims=True)
    else:
        n = xp.broadcast_to(w, x.shape).sum(axis=axes, keepdims=True)
        mean = (x * w).sum(axis=axes, keepdims=True) / n
        xc = x - mean
        var = (xc * xc * w).sum(axis=axes, keepdims=True) / n
    inv = 1.0 / xp.sqrt(var + eps)
    return mean, var, xc * inv, inv


def _normalized_grads(dy: Any, xhat: Any, scale: Any, axes: tuple[int, ...],
                      kept: tuple[Any, Any] | None = None) -> tuple[Any, Any, Any]:
    """The backward pass through xhat, normalized with batch statistics: (dx, sum(dy), sum(dy * xhat)), where
    dx = scale * (dy - mean(dy) - xhat * mean(dy * xhat)) and ``scale`` = dy/dxhat / sigma (gamma / sigma for
    batch normalization, gamma r / sigma for renormalization). ``kept``: the 0/1 weights of masked statistics and
    their count over ``axes``."""
    dy_sum = dy.sum(axis=axes, keepdims=True)
    dy_xhat_sum = (dy * xhat).sum(axis=axes, keepdims=True)
    if kept is not None:  # masked statistics: only the kept entries moved the mean and variance
        w, n = kept
        return scale * (dy - w * (dy_sum / n) - w * xhat * (dy_xhat_sum / n)), dy_sum, dy_xhat_sum
    n = dy.size // dy_sum.size
    return scale * (dy - dy_sum / n - xhat * (dy_xhat_sum / n)), dy_sum, dy_xhat_sum


def _mask_weights(mask: Any, x: Tensor, layer: Layer) -> Tensor:
    """A Keras mask (one axis fewer than ``x``: one flag per step) as 0/1 weights with a channel axis of 1."""
    from tensorlet.ops.shape import expand_dims

    m = mask if isinstance(mask, Tensor) else _wrap(backend.asarray(mask))
    if m.ndim != x.ndim - 1 or tuple(m.shape) != tuple(x.shape[:-1]):
        raise ValueError(f'Layer "{layer.name}" (BatchNormalization): the mask must have the inputs\' shape without '
                         f"the channel axis, {tuple(x.shape[:-1])}; received {tuple(m.shape)}")
    return expand_dims(E.cast(m, x.dtype), -1)


def _ema(moving: Array, stat: Array, momentum: float) -> None:
    """``moving = moving * momentum + stat * (1 - momentum)`` in place (``stat`` has the broadcast shape)."""
    moving *= momentum
    moving += (1 - momentum) * stat.reshape(moving.shape)


def _renorm_clipping(clipping: Any) -> tuple[float, float, float]:
    """(rmin, rmax, dmax) from Keras' ``renorm_clipping`` dict; missing keys mean no clipping on that side."""
    clipping = dict(clipping or {})
    unknown = sorted(set(clipping) - {"rmax", "rmin", "dmax"})
    if unknown:
        raise ValueError(f"BatchNormalization: renorm_clipping accepts the keys 'rmax', 'rmin' and 'dmax'; got "
                         f"{unknown} in {clipping!r}")
    try:
        rmin, rmax, dmax = (float(clipping.get(k, dflt)) for k, dflt in (("rmin", 0.0), ("rmax", math.inf),
                                                                         ("dmax", math.inf)))
    except (TypeError, ValueError) as e:
        raise ValueError(f"BatchNormalization: renorm_clipping values must be numbers, got {clipping!r}") from e
    if rmin > rmax or dmax < 0:
        raise ValueError(f"BatchNormalization: renorm_clipping needs rmin <= rmax and dmax >= 0, got {clipping!r}")
    return rmin, rmax, dmax


class BatchNormalization(Layer):
    """Batch normalization (Keras defaults: momentum 0.99, epsilon 1e-3, axis -1).

    Weights, in Keras order: gamma, beta (trainable), moving_mean, moving_variance (non-trainable); with
    ``renorm=True`` (batch renormalization, Keras 2's arguments ``renorm_clipping`` and ``renorm_momentum``)
    also moving_stddev, renorm_mean and renorm_stddev. Inference is the same with or without renorm.
    """

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 moving_mean_initializer: Any = "zeros", moving_variance_initializer: Any = "ones",
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, synchronized: bool = False, **kwargs: Any) -> None:
        self.renorm = bool(kwargs.pop("renorm", False))
        clipping = kwargs.pop("renorm_clipping", None)
        self._clipping = _renorm_clipping(clipping)
        self.renorm_clipping = dict(clipping) if clipping else None
        self.renorm_momentum = float(kwargs.pop("renorm_momentum", 0.99))
        kwargs.pop("fused", None)  # written by Keras 2; a backend choice with no effect here
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):  # tf.keras 2 writes the built layer's axis as a list, e.g. [3]
            if len(axis) != 1:
                raise ValueError(f"BatchNormalization: `axis` must be one axis (an int, or a list of one int as "
                                 f"tf.keras 2 writes it); got {list(axis)}")
            axis = axis[0]
        self.supports_masking = True
        self.axis, self.momentum, self.epsilon, self.center, self.scale = int(axis), float(momentum), float(epsilon), \
            center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape: Any) -> None:
        n = input_shape[self.axis]
        self._ndim = len(input_shape)
        self.gamma = self.add_weight(name="gamma", shape=(n,), initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                                     trainable=True) if self.scale else None
        self.beta = self.add_weight(name="beta", shape=(n,), initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                                    trainable=True) if self.center else None
        self.moving_mean = self.add_weight(name="moving_mean", shape=(n,), initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(name="moving_variance", shape=(n,),
                                               initializer=self.moving_variance_initializer, trainable=False)
        if self.renorm:
            def stddev_init(shape: Any, dtype: Any = None) -> Any:  # the initial moving statistics
                return backend.xp().sqrt(backend.asarray(self.moving_variance._value, dtype))

            def mean_init(shape: Any, dtype: Any = None) -> Any:
                return backend.asarray(self.moving_mean._value, dtype).copy()

            self.moving_stddev = self.add_weight(name="moving_stddev", shape=(n,), initializer=stddev_init,
                                                 trainable=False)
            self.renorm_mean = self.add_weight(name="renorm_mean", shape=(n,), initializer=mean_init,
                                               trainable=False)
            self.renorm_stddev = self.add_weight(name="renorm_stddev", shape=(n,), initializer=stddev_init,
                                                 trainable=False)
        self.built = True

    def _broadcast_shape(self, ndim: int) -> tuple[int, ...]:
        axis = self.axis % ndim
        return tuple(-1 if i == axis else 1 for i in range(ndim))

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        from tensorlet.ops.creation import ones, zeros
        from tensorlet.ops.shape import reshape

        x = inputs
        ndim = x.ndim
        shape = self._broadcast_shape(ndim)
        n = x.shape[self.axis]
        gamma = reshape(self.gamma, shape) if self.gamma is not None else reshape(ones((n,), x.dtype), shape)
        beta = reshape(self.beta, shape) if self.beta is not None else reshape(zeros((n,), x.dtype), shape)
        if training and self.trainable:
            axes = tuple(i for i in range(ndim) if i != self.axis % ndim)
            if self.renorm:
                state = (self.moving_mean, self.moving_variance, self.moving_stddev, self.renorm_mean,
                         self.renorm_stddev)
                norm: Function = BatchRenormTrain(axes, self.epsilon, self.momentum, self.renorm_momentum,
                                                  self._clipping, state)
            else:
                norm = BatchNormTrain(axes, self.epsilon, self.momentum, self.moving_mean, self.moving_variance)
                if mask is not None:  # Keras: the batch statistics over the kept steps
                    return MovingStatisticsUpdate(norm)(norm(x, gamma, beta, _mask_weights(mask, x, self)))
            return MovingStatisticsUpdate(norm)(norm(x, gamma, beta))
        # inference: one affine map, x * a + (beta - mean * a) with a = gamma / sqrt(var + eps), folded on the
        # per-channel vectors (two passes over the activations instead of four; TF computes it the same way)
        a = E.multiply(E.rsqrt(E.add(reshape(self.moving_variance, shape), self.epsilon)), gamma)
        return E.add(E.multiply(x, a), E.subtract(beta, E.multiply(reshape(self.moving_mean, shape), a)))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({"axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon, "center": self.center,
                       "scale": self.scale, "beta_initializer": ser(self.beta_initializer),
                       "gamma_initializer": ser(self.gamma_initializer),
                       "moving_mean_initializer": ser(self.moving_mean_initializer),
                       "moving_variance_initializer": ser(self.moving_variance_initializer),
                       "beta_regularizer": ser(self.beta_regularizer), "gamma_regularizer": ser(self.gamma_regularizer),
                       "beta_constraint": ser(self.beta_constraint), "gamma_constraint": ser(self.gamma_constraint)})
        if self.renorm:
            config.update({"renorm": True, "renorm_clipping": self.renorm_clipping,
                           "renorm_momentum": self.renorm_momentum})
        return config


class LayerNormalization(Layer):
    """Normalize each sample over ``axis``: (x - mean) / sqrt(var + epsilon) * gamma + beta (epsilon 1e-3)."""

    def __init__(self, axis: int | list[int] = -1, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, rms_scaling: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = axis if isinstance(axis, int) else tuple(axis)
        self.epsilon, self.center, self.scale = float(epsilon), center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape: Any) -> None:
        axes = (self.axis,) if isinstance(self.axis, int) else self.axis
        shape = tuple(input_shape[a] for a in axes)
        self.gamma = self.add_weight(name="gamma", shape=shape, initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight(name="beta", shape=shape, initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        self.built = True

    def call(self, inputs: Any) -> Any:
        from tensorlet.ops.layer_norm import layer_norm
        from tensorlet.ops.reduction import reduce_mean
        from tensorlet.ops.shape import reshape

        x = inputs
        ndim = x.ndim
        axes = tuple(a % ndim for a in ((self.axis,) if isinstance(self.axis, int) else self.axis))
        shape = tuple(x.shape[i] if i in axes else 1 for i in range(ndim))
        params = [p for p in (self.gamma, self.beta) if p is not None]
        if x.dtype.name in ("float32", "float64") and all(p.dtype == x.dtype for p in params):  # one op
            return layer_norm(x, axes, self.epsilon, *[None if p is None else reshape(p, shape)
                                                       for p in (self.gamma, self.beta)])
        mean = reduce_mean(x, axis=axes, keepdims=True)
        xc = E.subtract(x, mean)
        var = reduce_mean(E.square(xc), axis=axes, keepdims=True)
        y = E.multiply(xc, E.rsqrt(E.add(var, self.epsilon)))
        if self.gamma is not None:
            y = E.multiply(y, reshape(self.gamma, shape))
        if self.beta is not None:
            y = E.add(y, reshape(self.beta, shape))
        return y

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon, "center": self.center, "scale": self.scale})
        return config
