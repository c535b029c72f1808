"""Crossentropies (binary, focal, categorical, sparse), KL divergence and Poisson.

Probability inputs are clipped to [epsilon, 1 - epsilon] (epsilon = 1e-7) as in Keras. When ``y_pred`` came out
of a softmax or sigmoid (the op marks its output with ``_logits``), the loss is computed from those logits by
the fused, numerically stable op instead.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import epsilon
from tensorlet.losses.loss import Loss, align
from tensorlet.ops import elementwise as E
from tensorlet.ops import nn as N
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def _logits_of(y_pred: Tensor, from_logits: bool) -> Tensor | None:
    if from_logits:
        return y_pred
    return getattr(y_pred, "_logits", None)


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0,
                        axis: int = -1) -> Tensor:
    """mean(-(y log p + (1 - y) log(1 - p)), axis); y smoothed to y (1 - ls) + ls / 2."""
    yp = as_tensor(y_pred)
    yt = align(as_tensor(y_true), yp)
    if label_smoothing:
        yt = E.add(E.multiply(yt, 1.0 - label_smoothing), 0.5 * label_smoothing)
    logits = _logits_of(yp, from_logits)
    if logits is not None:
        return R.reduce_mean(N.sigmoid_cross_entropy_with_logits(yt, logits), axis=axis)
    eps = epsilon()
    p = E.clip_by_value(yp, eps, 1.0 - eps)
    ll = E.add(E.multiply(yt, E.log(p)), E.multiply(E.subtract(1.0, yt), E.log(E.subtract(1.0, p))))
    return E.negative(R.reduce_mean(ll, axis=axis))


def binary_focal_crossentropy(y_true: Any, y_pred: Any, apply_class_balancing: bool = False, alpha: float = 0.25,
                              gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1) -> Tensor:
    """mean(w (1 - p_t)^gamma bce, axis) with p_t = y p + (1 - y)(1 - p) and w = y alpha + (1 - y)(1 - alpha)
    when class balancing is on."""
    yp = as_tensor(y_pred)
    yt = align(as_tensor(y_true), yp)
    if label_smoothing:
        yt = E.add(E.multiply(yt, 1.0 - label_smoothing), 0.5 * label_smoothing)
    logits = _logits_of(yp, from_logits)
    if logits is not None:
        bce = N.sigmoid_cross_entropy_with_logits(yt, logits)
        p = E.sigmoid(logits)
    else:
        eps = epsilon()
        p = E.clip_by_value(yp, eps, 1.0 - eps)
        bce = E.negative(E.add(E.multiply(yt, E.log(p)), E.multiply(E.subtract(1.0, yt), E.log(E.subtract(1.0, p)))))
    p_t = E.add(E.multiply(yt, p), E.multiply(E.subtract(1.0, yt), E.subtract(1.0, p)))
    loss = E.multiply(E.pow(E.subtract(1.0, p_t), float(gamma)), bce)
    if apply_class_balancing:
        w = E.add(E.multiply(yt, alpha), E.multiply(E.subtract(1.0, yt), 1.0 - alpha))
        loss = E.multiply(w, loss)
    return R.reduce_mean(loss, axis=axis)


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0,
                             axis: int = -1) -> Tensor:
    """-sum(y log p, axis) with p normalized and clipped; y smoothed to y (1 - ls) + ls / num_classes."""
    yp = as_tensor(y_pred)
    yt = as_tensor(y_true)
    if yt.ndim != yp.ndim or (yt._value.shape[-1] != yp._value.shape[-1]):
        raise ValueError(f"categorical_crossentropy expects one-hot targets shaped like the outputs "
                         f"{tuple(yp._value.shape)}, got targets of shape {tuple(yt._value.shape)}. For integer "
                         "class labels use 'sparse_categorical_crossentropy'.")
    yt = E.cast(yt, yp._value.dtype)
    if label_smoothing:
        n = yp._value.shape[axis]
        yt = E.add(E.multiply(yt, 1.0 - label_smoothing), label_smoothing / n)
    logits = _logits_of(yp, from_logits)
    if logits is not None:
        return N.softmax_cross_entropy_with_logits(yt, logits, axis=axis)
    eps = epsilon()
    p = E.divide(yp, R.reduce_sum(yp, axis=axis, keepdims=True))
    p = E.clip_by_value(p, eps, 1.0 - eps)
    return E.negative(R.reduce_sum(E.multiply(yt, E.log(p)), axis=axis))


class SparseProbCrossentropy(Function):
    """loss = -log(clip(p)[label]); dp = -1 / p at the label (0 where p was clipped). Labels are an input."""

    def forward(self, labels: Any, p: Any) -> Any:
        xp = self.xp
        lab = labels.astype(xp.int64, copy=False)[..., None]
        eps = epsilon()
        picked = xp.take_along_axis(p, lab, axis=-1)
        clipped = xp.clip(picked, eps, 1 - eps)
        self.saved = (lab, picked, clipped, p.shape)
        return -xp.log(clipped)[..., 0]

    def backward(self, dy: Any) -> Any:
        lab, picked, clipped, shape = self.saved
        xp = self.xp
        g = xp.zeros(shape, dtype=dy.dtype)
        inside = (picked == clipped)
        xp.put_along_axis(g, lab, (-dy[..., None] / clipped * inside).astype(dy.dtype), axis=-1)
        return None, g


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False, ignore_class: Any = None,
                                    axis: int = -1) -> Tensor:
    """-log p[label] for integer labels of shape (n,) or (n, 1)."""
    yp = as_tensor(y_pred)
    yt = as_tensor(y_true)
    if yt.ndim == yp.ndim and yt._value.shape[-1] == 1:
        yt = S.squeeze(yt, -1)
    if yt.ndim == yp.ndim and yt._value.shape[-1] == yp._value.shape[-1] and yp._value.shape[-1] > 1:
        raise ValueError(f"The targets have shape {tuple(yt._value.shape)}, like one-hot labels, but "
                         "sparse_categorical_crossentropy expects integer class labels. Use "
                         "'categorical_crossentropy' for one-hot targets.")
    if yt.ndim != yp.ndim - 1:
        raise ValueError(f"sparse_categorical_crossentropy: labels of shape {tuple(yt._value.shape)} do not match "
                         f"predictions of shape {tuple(yp._value.shape)}")
    logits = _logits_of(yp, from_logits)
    if logits is not None:
        return N.sparse_softmax_cross_entropy_with_logits(yt, logits)
    lab = yt._value
    n = yp._value.shape[-1]
    if lab.size and (lab.max() >= n or lab.min() < 0):
        raise ValueError(f"Received a label value of {lab.max() if lab.max() >= n else lab.min()} which is outside "
                         f"the valid range of [0, {n}) for {n} classes.")
    return SparseProbCrossentropy()(yt, yp)


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """sum(y log(y / p), axis=-1) with both clipped to [epsilon, 1]."""
    yp = as_tensor(y_pred)
    yt = align(as_tensor(y_true), yp)
    eps = epsilon()
    yt = E.clip_by_value(yt, eps, 1.0)
    yp = E.clip_by_value(yp, eps, 1.0)
    return R.reduce_sum(E.multiply(yt, E.log(E.divide(yt, yp))), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """mean(p - y log(p + epsilon), axis=-1)."""
    yp = as_tensor(y_pred)
    yt = align(as_tensor(y_true), yp)
    return R.reduce_mean(E.subtract(yp, E.multiply(yt, E.log(E.add(yp, epsilon())))), axis=-1)


kld = KLD = kullback_leibler_divergence = kl_divergence


class BinaryCrossentropy(Loss):
    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str = "sum_over_batch_size", name: str = "binary_crossentropy") -> None:
        super().__init__(name=name, reduction=reduction)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return binary_crossentropy(y_true, y_pred, self.from_logits, self.label_smoothing, self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                "axis": self.axis}


class BinaryFocalCrossentropy(Loss):
    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25, gamma: float = 2.0,
                 from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str = "sum_over_batch_size", name: str = "binary_focal_crossentropy") -> None:
        super().__init__(name=name, reduction=reduction)
        self.apply_class_balancing, self.alpha, self.gamma = apply_class_balancing, alpha, gamma
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return binary_focal_crossentropy(y_true, y_pred, self.apply_class_balancing, self.alpha, self.gamma,
                                         self.from_logits, self.label_smoothing, self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "apply_class_balancing": self.apply_class_balancing, "alpha": self.alpha,
                "gamma": self.gamma, "from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                "axis": self.axis}


class CategoricalCrossentropy(Loss):
    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: str = "sum_over_batch_size", name: str = "categorical_crossentropy") -> None:
        super().__init__(name=name, reduction=reduction)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return categorical_crossentropy(y_true, y_pred, self.from_logits, self.label_smoothing, self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                "axis": self.axis}


class SparseCategoricalCrossentropy(Loss):
    def __init__(self, from_logits: bool = False, ignore_class: Any = None, reduction: str = "sum_over_batch_size",
                 name: str = "sparse_categorical_crossentropy") -> None:
        super().__init__(name=name, reduction=reduction)
        self.from_logits, self.ignore_class = from_logits, ignore_class

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return sparse_categorical_crossentropy(y_true, y_pred, self.from_logits)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "from_logits": self.from_logits, "ignore_class": self.ignore_class}


class KLDivergence(Loss):
    def __init__(self, reduction: str = "sum_over_batch_size", name: str = "kl_divergence") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return kl_divergence(y_true, y_pred)


class Poisson(Loss):
    def __init__(self, reduction: str = "sum_over_batch_size", name: str = "poisson") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return poisson(y_true, y_pred)
