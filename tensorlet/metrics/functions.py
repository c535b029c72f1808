"""The metric functions ``keras.metrics`` exposes (``binary_accuracy``, ``mse``, ``categorical_crossentropy``...),
returning Tensors as tf.keras does.

The accuracies compute per-sample matches with ops; the loss-like ones are ``keras.losses``' functions themselves
(as in tf.keras 2), so they are differentiable and work inside custom losses. The metric classes
(``keras.metrics.MeanSquaredError``...) keep their own NumPy accumulators.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import floatx
from tensorlet.losses import (  # noqa: F401  (re-exported as metric functions)
    KLD,
    MAE,
    MAPE,
    MSE,
    MSLE,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_hinge,
    hinge,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Tensor:
    """mean(y_true == (y_pred > threshold), axis=-1), in floatx."""
    yp = as_tensor(y_pred)
    predicted = E.cast(E.greater(yp, threshold), yp.dtype)
    return R.reduce_mean(E.cast(E.equal(E.cast(y_true, yp.dtype), predicted), floatx()), axis=-1)


def _sparse_matches(labels: Any, y_pred: Any) -> Tensor:
    """1 where the integer label equals argmax(y_pred); labels of shape (n, 1) count as (n,)."""
    yt, yp = as_tensor(labels), as_tensor(y_pred)
    if yt.ndim == yp.ndim:
        yt = S.squeeze(yt, -1)
    predicted = R.argmax(yp, axis=-1)
    if predicted.dtype != yt.dtype:
        predicted = E.cast(predicted, yt.dtype)
    return E.cast(E.equal(yt, predicted), floatx())


def categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """argmax(y_true) == argmax(y_pred), per sample."""
    return _sparse_matches(R.argmax(y_true, axis=-1), y_pred)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """y_true == argmax(y_pred) for integer labels of shape (n,) or (n, 1)."""
    return _sparse_matches(y_true, y_pred)


def _in_top_k(labels: Tensor, y_pred: Tensor, k: int) -> Tensor:
    """1 where the label's score is among the k largest of its row (ties count in its favour)."""
    picked = S.take_along_axis(y_pred, S.expand_dims(E.cast(labels, "int64"), -1), axis=-1)
    above = R.reduce_sum(E.cast(E.greater(y_pred, picked), "int32"), axis=-1)
    return E.cast(E.less(above, k), floatx())


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    yt, yp = as_tensor(y_true), as_tensor(y_pred)
    if yt.ndim == yp.ndim:
        yt = S.squeeze(yt, -1)
    if yp.ndim > 2:
        yp = S.reshape(yp, (-1, yp._value.shape[-1]))
        return S.reshape(_in_top_k(S.reshape(yt, (-1,)), yp, k), yt._value.shape)
    return _in_top_k(yt, yp, k)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    return sparse_top_k_categorical_accuracy(R.argmax(y_true, axis=-1), y_pred, k)


FUNCTION_NAMES = [
    "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy", "mse", "mae", "mape", "msle", "MSE", "MAE", "MAPE", "MSLE",
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "kl_divergence", "kld", "KLD", "kullback_leibler_divergence", "poisson", "logcosh", "log_cosh", "hinge",
    "squared_hinge", "categorical_hinge"]
