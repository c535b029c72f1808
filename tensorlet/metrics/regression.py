"""Regression metrics and probabilistic (crossentropy-style) metrics, computed with NumPy."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.metrics.metric import (
    Mean,
    MeanMetricWrapper,
    Metric,
    accumulate,
    as_array,
    per_sample_weights,
    state,
)

EPS = 1e-7


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    yt, yp = as_array(y_true).astype(np.float64), as_array(y_pred).astype(np.float64)
    if yp.ndim == 1:  # one value per sample
        yp = yp[:, None]
    if yt.ndim == yp.ndim - 1:
        yt = yt[..., None]
    return yt, yp


def mse(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _pair(y_true, y_pred)
    return np.mean((yp - yt) ** 2, axis=-1)


def mae(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _pair(y_true, y_pred)
    return np.mean(np.abs(yp - yt), axis=-1)


def mape(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _pair(y_true, y_pred)
    return 100 * np.mean(np.abs(yt - yp) / np.maximum(np.abs(yt), EPS), axis=-1)


def msle(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _pair(y_true, y_pred)
    return np.mean((np.log1p(np.maximum(yp, EPS)) - np.log1p(np.maximum(yt, EPS))) ** 2, axis=-1)


def logcosh(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _pair(y_true, y_pred)
    e = yp - yt
    return np.mean(e + np.logaddexp(0, -2 * e) - np.log(2), axis=-1)


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0) -> Any:
    yt, yp = _pair(y_true, y_pred)
    if label_smoothing:
        yt = yt * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        return np.mean(np.maximum(yp, 0) - yp * yt + np.log1p(np.exp(-np.abs(yp))), axis=-1)
    p = np.clip(yp, EPS, 1 - EPS)
    return -np.mean(yt * np.log(p) + (1 - yt) * np.log(1 - p), axis=-1)


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0) -> Any:
    yt, yp = as_array(y_true).astype(np.float64), as_array(y_pred).astype(np.float64)
    if label_smoothing:
        yt = yt * (1 - label_smoothing) + label_smoothing / yt.shape[-1]
    if from_logits:
        z = yp - yp.max(axis=-1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        return -np.sum(yt * logp, axis=-1)
    p = np.clip(yp / yp.sum(axis=-1, keepdims=True), EPS, 1 - EPS)
    return -np.sum(yt * np.log(p), axis=-1)


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False) -> Any:
    yp = as_array(y_pred).astype(np.float64)
    yt = as_array(y_true).reshape(-1).astype(np.int64)
    return categorical_crossentropy(np.eye(yp.shape[-1])[yt], yp, from_logits)


def kl_divergence(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _pair(y_true, y_pred)
    yt, yp = np.clip(yt, EPS, 1), np.clip(yp, EPS, 1)
    return np.sum(yt * np.log(yt / yp), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _pair(y_true, y_pred)
    return np.mean(yp - yt * np.log(yp + EPS), axis=-1)


def _wrapper(fn: Any, default: str) -> type:
    class M(MeanMetricWrapper):
        def __init__(self, name: str = default, dtype: Any = None, **kwargs: Any) -> None:
            super().__init__(fn, name, dtype, **kwargs)

    return M


MeanSquaredError = type("MeanSquaredError", (_wrapper(mse, "mean_squared_error"),), {})
MeanAbsoluteError = type("MeanAbsoluteError", (_wrapper(mae, "mean_absolute_error"),), {})
MeanAbsolutePercentageError = type("MeanAbsolutePercentageError",
                                   (_wrapper(mape, "mean_absolute_percentage_error"),), {})
MeanSquaredLogarithmicError = type("MeanSquaredLogarithmicError",
                                   (_wrapper(msle, "mean_squared_logarithmic_error"),), {})
LogCoshError = type("LogCoshError", (_wrapper(logcosh, "logcosh"),), {})
BinaryCrossentropy = type("BinaryCrossentropy", (_wrapper(binary_crossentropy, "binary_crossentropy"),), {})
CategoricalCrossentropy = type("CategoricalCrossentropy",
                               (_wrapper(categorical_crossentropy, "categorical_crossentropy"),), {})
SparseCategoricalCrossentropy = type("SparseCategoricalCrossentropy",
                                     (_wrapper(sparse_categorical_crossentropy, "sparse_categorical_crossentropy"),),
                                     {})
KLDivergence = type("KLDivergence", (_wrapper(kl_divergence, "kl_divergence"),), {})
Poisson = type("Poisson", (_wrapper(poisson, "poisson"),), {})


class RootMeanSquaredError(Mean):
    """sqrt(weighted mean of squared errors)."""

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name, dtype)

    # Keras' RootMeanSquaredError is a Mean whose update_state takes (y_true, y_pred): the public hierarchy is Keras'
    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:  # type: ignore[override]
        err = mse(y_true, y_pred)
        w = per_sample_weights(sample_weight, len(err))
        super().update_state(err, w)

    def _result_float(self) -> float:
        return float(np.sqrt(super()._result_float()))


class R2Score(Metric):
    """Coefficient of determination 1 - SS_res / SS_tot (uniform average over outputs by default)."""

    def __init__(self, class_aggregation: str = "uniform_average", num_regressors: int = 0, name: str = "r2_score",
                 dtype: Any = None) -> None:
        super().__init__(name, dtype)
        self.class_aggregation, self.num_regressors = class_aggregation, num_regressors
        self.num_samples = self.add_weight("num_samples", dtype="float64")  # the (weighted) sample count
        self.sum_y: Any = None  # per-output variables, made at the first update

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        yt, yp = _pair(y_true, y_pred)
        yt, yp = yt.reshape(len(yt), -1), yp.reshape(len(yp), -1)
        w = per_sample_weights(sample_weight, len(yt))
        w = np.ones(len(yt)) if w is None else w
        if self.sum_y is None:
            k = yt.shape[1]
            self.sum_y2, self.sum_y, self.ss_res = (self.add_weight(name, shape=(k,), dtype="float64")
                                                    for name in ("squared_sum", "sum", "residual"))
        accumulate(self.num_samples, w.sum())
        accumulate(self.sum_y, w @ yt)
        accumulate(self.sum_y2, w @ (yt * yt))
        accumulate(self.ss_res, w @ ((yt - yp) ** 2))

    def _totals(self) -> tuple[float, np.ndarray, np.ndarray]:
        n = float(state(self.num_samples))
        ss_tot = state(self.sum_y2) - state(self.sum_y) ** 2 / n
        return n, ss_tot, state(self.ss_res)

    def _scores(self) -> np.ndarray:
        if self.sum_y is None or not float(state(self.num_samples)):
            return np.zeros(1)
        n, ss_tot, ss_res = self._totals()
        r2 = 1 - np.divide(ss_res, ss_tot, out=np.zeros_like(np.asarray(ss_tot, dtype=np.float64)),
                           where=np.asarray(ss_tot) != 0)
        if self.num_regressors:
            r2 = 1 - (1 - r2) * (n - 1) / (n - self.num_regressors - 1)
        return np.atleast_1d(r2)

    def _result_float(self) -> float:
        s = self._scores()
        if self.class_aggregation == "variance_weighted_average" and self.sum_y is not None \
                and float(state(self.num_samples)):
            _, v, _ = self._totals()
            return float((s * v).sum() / v.sum())
        return float(s.mean())

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
