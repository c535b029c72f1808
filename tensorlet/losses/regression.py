"""Regression losses: MSE, MAE, MAPE, MSLE, Huber, log-cosh (per-sample means over the last axis)."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import epsilon
from tensorlet.losses.loss import Loss, align
from tensorlet.ops import elementwise as E
from tensorlet.ops import nn as N
from tensorlet.ops import reduction as R
from tensorlet.ops.convert import as_tensor


def _pair(y_true: Any, y_pred: Any) -> tuple[Tensor, Tensor]:
    yp = as_tensor(y_pred)
    return align(as_tensor(y_true), yp), yp


class SquaredErrorMean(Function):
    """y = mean((p - t)^2, axis=-1) in one op; dp = 2 (p - t) dy / D, dt = -dp."""

    def forward(self, t: Any, p: Any) -> Any:
        expand = t.ndim == p.ndim - 1  # targets (N,) against outputs (N, 1): Keras adds the last axis
        d = p - (t[..., None] if expand else t).astype(p.dtype, copy=False)  # targets take the outputs' dtype
        inv = p.dtype.type(1.0 / max(d.shape[-1], 1))
        self.saved = (d, inv, expand, t.dtype)
        return self.xp.add.reduce(d * d, axis=-1) * inv

    def backward(self, dy: Any) -> Any:
        d, inv, expand, t_dtype = self.saved
        dp = d * (dy[..., None] * (2 * inv))
        nt, np_ = self.needs_input_grad
        dt = (-(dp[..., 0] if expand else dp)).astype(t_dtype, copy=False) if nt and t_dtype.kind == "f" else None
        return dt, (dp if np_ else None)


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """mean((y_pred - y_true)^2, axis=-1)."""
    yp = as_tensor(y_pred)
    yt = as_tensor(y_true)
    ts, ps = yt._value.shape, yp._value.shape
    if yp.ndim and yp._value.dtype.kind == "f" and (ts == ps or ts + (1,) == ps):
        return SquaredErrorMean()(yt, yp)
    yt = align(yt, yp)
    return R.reduce_mean(E.square(E.subtract(yp, yt)), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """mean(|y_pred - y_true|, axis=-1)."""
    yt, yp = _pair(y_true, y_pred)
    return R.reduce_mean(E.abs(E.subtract(yp, yt)), axis=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """100 * mean(|y_true - y_pred| / max(|y_true|, epsilon), axis=-1)."""
    yt, yp = _pair(y_true, y_pred)
    diff = E.divide(E.abs(E.subtract(yt, yp)), E.maximum(E.abs(yt), epsilon()))
    return E.multiply(R.reduce_mean(diff, axis=-1), 100.0)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1))^2, axis=-1)."""
    yt, yp = _pair(y_true, y_pred)
    a = E.log(E.add(E.maximum(yp, epsilon()), 1.0))
    b = E.log(E.add(E.maximum(yt, epsilon()), 1.0))
    return R.reduce_mean(E.square(E.subtract(a, b)), axis=-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """mean(0.5 e^2 if |e| <= delta else delta |e| - 0.5 delta^2, axis=-1) with e = y_pred - y_true."""
    yt, yp = _pair(y_true, y_pred)
    a = E.abs(E.subtract(yp, yt))
    quad = E.minimum(a, float(delta))  # 0.5 q^2 + delta (|e| - q): no square of a large error, no overflow
    return R.reduce_mean(E.add(E.multiply(E.square(quad), 0.5), E.multiply(E.subtract(a, quad), float(delta))),
                         axis=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """mean(log(cosh(e)), axis=-1) computed stably as e + softplus(-2e) - log 2."""
    yt, yp = _pair(y_true, y_pred)
    e = E.subtract(yp, yt)
    return R.reduce_mean(E.subtract(E.add(e, N.softplus(E.multiply(e, -2.0))), math.log(2.0)), axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
logcosh = log_cosh


class _Wrapped(Loss):
    default_name: str  # each subclass names itself
    fn: Any = None
    defaults: dict[str, Any] = {}

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name or self.default_name, reduction=reduction)
        self.kwargs = {**self.defaults, **kwargs}

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return type(self).fn(y_true, y_pred, **self.kwargs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), **self.kwargs}


class MeanSquaredError(_Wrapped):
    default_name = "mean_squared_error"
    fn = staticmethod(mean_squared_error)


class MeanAbsoluteError(_Wrapped):
    default_name = "mean_absolute_error"
    fn = staticmethod(mean_absolute_error)


class MeanAbsolutePercentageError(_Wrapped):
    default_name = "mean_absolute_percentage_error"
    fn = staticmethod(mean_absolute_percentage_error)


class MeanSquaredLogarithmicError(_Wrapped):
    default_name = "mean_squared_logarithmic_error"
    fn = staticmethod(mean_squared_logarithmic_error)


class Huber(_Wrapped):
    default_name = "huber_loss"
    fn = staticmethod(huber)

    def __init__(self, delta: float = 1.0, reduction: str = "sum_over_batch_size", name: str | None = None) -> None:
        super().__init__(reduction=reduction, name=name, delta=float(delta))


class LogCosh(_Wrapped):
    default_name = "log_cosh"
    fn = staticmethod(log_cosh)
