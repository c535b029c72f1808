"""Confusion-matrix metrics: Precision, Recall, F1Score and AUC (from thresholded counts, as Keras)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.tensor import Variable
from tensorlet.metrics.metric import Metric, accumulate, as_array, per_sample_weights, state


def _prepare(y_true: Any, y_pred: Any, sample_weight: Any, class_id: Any = None,
             top_k: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    yt = as_array(y_true).astype(np.float64)
    yp = as_array(y_pred).astype(np.float64)
    if yt.shape != yp.shape and yt.size == yp.size:
        yt = yt.reshape(yp.shape)
    if top_k is not None and yp.ndim > 1:
        kth = -np.sort(-yp, axis=-1)[..., top_k - 1:top_k]
        yp = np.where(yp >= kth, yp, -np.inf)
    if class_id is not None:
        yt, yp = yt[..., class_id], yp[..., class_id]
    w = per_sample_weights(sample_weight, len(yt)) if yt.ndim else None
    w = np.ones(yt.shape) if w is None else np.broadcast_to(w.reshape((-1,) + (1,) * (yt.ndim - 1)), yt.shape)
    return yt.reshape(-1), yp.reshape(-1), w.reshape(-1)


class _Thresholded(Metric):
    """Counts at each threshold, in the variables ``_counts`` names (Keras' names and order)."""

    _counts: tuple[str, ...] = ()

    def __init__(self, thresholds: Any = None, top_k: Any = None, class_id: Any = None, name: str | None = None,
                 dtype: Any = None) -> None:
        super().__init__(name, dtype)
        self.init_thresholds = thresholds
        self.thresholds = np.atleast_1d(np.asarray(0.5 if thresholds is None else thresholds, dtype=np.float64))
        self.top_k, self.class_id = top_k, class_id
        for count in self._counts:
            setattr(self, count, self.add_weight(count, shape=(len(self.thresholds),), dtype="float64"))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        yt, yp, w = _prepare(y_true, y_pred, sample_weight, self.class_id, self.top_k)
        pred = yp[None, :] > self.thresholds[:, None]
        pos = yt > 0.5
        cells = {"true_positives": lambda: pred & pos, "false_positives": lambda: pred & ~pos,
                 "false_negatives": lambda: ~pred & pos}
        for count in self._counts:
            accumulate(getattr(self, count), cells[count]() @ w)

    def _values(self) -> np.ndarray:
        raise NotImplementedError

    def _result_float(self) -> float:
        return float(self._values()[0])

    def result(self) -> Any:
        from tensorlet.metrics.metric import _to_tensor

        v = self._values()
        if self.init_thresholds is not None and np.ndim(self.init_thresholds) > 0:
            from tensorlet.autodiff.tensor import _wrap

            return _wrap(backend.asarray(v, dtype="float32"))
        return _to_tensor(float(v[0]))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_Thresholded):
    """tp / (tp + fp) at each threshold (0.5 by default)."""

    _counts = ("true_positives", "false_positives")
    true_positives: Variable  # made by _Thresholded from _counts
    false_positives: Variable

    def __init__(self, thresholds: Any = None, top_k: Any = None, class_id: Any = None, name: str = "precision",
                 dtype: Any = None) -> None:
        super().__init__(thresholds, top_k, class_id, name, dtype)

    def _values(self) -> np.ndarray:
        tp = state(self.true_positives)
        d = tp + state(self.false_positives)
        return np.divide(tp, d, out=np.zeros_like(d), where=d > 0)


class Recall(_Thresholded):
    """tp / (tp + fn) at each threshold (0.5 by default)."""

    _counts = ("true_positives", "false_negatives")
    true_positives: Variable  # made by _Thresholded from _counts
    false_negatives: Variable

    def __init__(self, thresholds: Any = None, top_k: Any = None, class_id: Any = None, name: str = "recall",
                 dtype: Any = None) -> None:
        super().__init__(thresholds, top_k, class_id, name, dtype)

    def _values(self) -> np.ndarray:
        tp = state(self.true_positives)
        d = tp + state(self.false_negatives)
        return np.divide(tp, d, out=np.zeros_like(d), where=d > 0)


class F1Score(Metric):
    """F1 per class (average=None), or 'micro', 'macro' or 'weighted' averages; predictions thresholded at
    ``threshold`` (default: the argmax of each row is the predicted class)."""

    def __init__(self, average: Any = None, threshold: Any = None, name: str = "f1_score", dtype: Any = None,
                 beta: float = 1.0) -> None:
        super().__init__(name, dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(f"average must be None, 'micro', 'macro' or 'weighted', got {average!r}")
        self.average, self.threshold, self.beta = average, threshold, beta
        self.tp: Any = None  # the variables below, made at the first update (one entry per class)

    def _build(self, n: int) -> None:
        self.tp, self.fp, self.fn, self.support = (self.add_weight(name, shape=(n,), dtype="float64") for name in (
            "true_positives", "false_positives", "false_negatives", "intermediate_weights"))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        yt = as_array(y_true).astype(np.float64)
        yp = as_array(y_pred).astype(np.float64)
        if yt.ndim == 1:
            yt, yp = yt[:, None], yp.reshape(len(yp), -1)
        if self.threshold is None:
            pred = (yp == yp.max(axis=-1, keepdims=True)).astype(np.float64) if yp.shape[-1] > 1 else \
                (yp > 0.5).astype(np.float64)
        else:
            pred = (yp > self.threshold).astype(np.float64)
        w = per_sample_weights(sample_weight, len(yt))
        w = np.ones(len(yt)) if w is None else w
        tp, fp, fn = (pred * yt).T @ w, (pred * (1 - yt)).T @ w, ((1 - pred) * yt).T @ w
        support = yt.T @ w
        if self.tp is None:
            self._build(len(tp))
        for var, value in ((self.tp, tp), (self.fp, fp), (self.fn, fn), (self.support, support)):
            accumulate(var, value)

    def _scores(self) -> np.ndarray:
        if self.tp is None:
            return np.zeros(1)
        tp_all, fp_all, fn_all, support = state(self.tp), state(self.fp), state(self.fn), state(self.support)
        b2 = self.beta**2
        if self.average == "micro":
            tp, fp, fn = tp_all.sum(), fp_all.sum(), fn_all.sum()
            d = (1 + b2) * tp + b2 * fn + fp
            return np.array([(1 + b2) * tp / d if d else 0.0])
        d = (1 + b2) * tp_all + b2 * fn_all + fp_all
        f = np.divide((1 + b2) * tp_all, d, out=np.zeros_like(d), where=d > 0)
        if self.average == "macro":
            return np.array([f.mean()])
        if self.average == "weighted":
            s = support.sum()
            return np.array([float((f * support).sum() / s) if s else 0.0])
        return f

    def _result_float(self) -> float:
        return float(self._scores().mean())

    def result(self) -> Any:
        from tensorlet.autodiff.tensor import _wrap

        s = self._scores()
        return _wrap(backend.asarray(s[0] if self.average is not None else s, dtype="float32"))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "average": self.average, "threshold": self.threshold}


class AUC(Metric):
    """Area under the ROC or PR curve from ``num_thresholds`` thresholded confusion counts (Riemann sum by
    'interpolation' (trapezoid), 'minoring' or 'majoring'), as Keras computes it."""

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC", summation_method: str = "interpolation",
                 name: str = "auc", dtype: Any = None, thresholds: Any = None, multi_label: bool = False,
                 num_labels: Any = None, label_weights: Any = None, from_logits: bool = False) -> None:
        super().__init__(name, dtype)
        if curve not in ("ROC", "PR"):
            raise ValueError(f"curve must be 'ROC' or 'PR', got {curve!r}")
        self.curve, self.summation_method, self.from_logits = curve, summation_method, from_logits
        self.num_thresholds, self.multi_label = num_thresholds, multi_label
        if thresholds is None:
            eps = 1e-7
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = np.array([0.0 - eps] + inner + [1.0 + eps])
        else:
            self.thresholds = np.array([0.0 - 1e-7] + sorted(thresholds) + [1.0 + 1e-7])
        n = len(self.thresholds)
        self.tp, self.fp, self.tn, self.fn = (self.add_weight(name, shape=(n,), dtype="float64") for name in (
            "true_positives", "false_positives", "true_negatives", "false_negatives"))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        yt, yp, w = _prepare(y_true, y_pred, sample_weight)
        if self.from_logits:
            yp = 0.5 * (np.tanh(0.5 * yp) + 1)  # the logistic function without exp overflow
        order = np.argsort(yp)
        yp, yt, w = yp[order], yt[order], w[order]
        pos_w = np.where(yt > 0.5, w, 0.0)
        neg_w = np.where(yt > 0.5, 0.0, w)
        cpos = np.concatenate([[0.0], np.cumsum(pos_w)])
        cneg = np.concatenate([[0.0], np.cumsum(neg_w)])
        idx = np.searchsorted(yp, self.thresholds, side="right")  # predictions <= threshold are negative
        accumulate(self.fn, cpos[idx])
        accumulate(self.tn, cneg[idx])
        accumulate(self.tp, cpos[-1] - cpos[idx])
        accumulate(self.fp, cneg[-1] - cneg[idx])

    def _result_float(self) -> float:
        tp, fp, tn, fn = state(self.tp), state(self.fp), state(self.tn), state(self.fn)
        if self.curve == "ROC":
            x = np.divide(fp, fp + tn, out=np.zeros_like(fp), where=(fp + tn) > 0)
            y = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0)
        else:
            x = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0)
            y = np.divide(tp, tp + fp, out=np.ones_like(tp), where=(tp + fp) > 0)
        dx = x[:-1] - x[1:]
        if self.summation_method == "minoring":
            h = np.minimum(y[:-1], y[1:])
        elif self.summation_method == "majoring":
            h = np.maximum(y[:-1], y[1:])
        else:
            h = (y[:-1] + y[1:]) / 2
        return float(np.sum(dx * h))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                "summation_method": self.summation_method, "multi_label": self.multi_label,
                "from_logits": self.from_logits}
