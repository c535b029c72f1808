"""Hinge losses and cosine similarity."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.losses.loss import Loss, align
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops.convert import as_tensor


def _signed(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """Labels in {0, 1} become {-1, 1} (elementwise, so it also holds for labels already in {-1, 1})."""
    yt = align(y_true, y_pred)
    return E.where(E.equal(yt, 0.0), E.subtract(E.multiply(yt, 0.0), 1.0), yt)


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """mean(max(1 - y p, 0), axis=-1) with y in {-1, 1}."""
    yp = as_tensor(y_pred)
    yt = _signed(as_tensor(y_true), yp)
    return R.reduce_mean(E.maximum(E.subtract(1.0, E.multiply(yt, yp)), 0.0), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """mean(max(1 - y p, 0)^2, axis=-1) with y in {-1, 1}."""
    yp = as_tensor(y_pred)
    yt = _signed(as_tensor(y_true), yp)
    return R.reduce_mean(E.square(E.maximum(E.subtract(1.0, E.multiply(yt, yp)), 0.0)), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """max(max((1 - y) p) - sum(y p) + 1, 0)."""
    yp = as_tensor(y_pred)
    yt = align(as_tensor(y_true), yp)
    pos = R.reduce_sum(E.multiply(yt, yp), axis=-1)
    neg = R.reduce_max(E.multiply(E.subtract(1.0, yt), yp), axis=-1)
    return E.maximum(E.add(E.subtract(neg, pos), 1.0), 0.0)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """-sum(normalize(y) * normalize(p), axis) (so that minimizing it aligns the vectors)."""
    yp = as_tensor(y_pred)
    yt = align(as_tensor(y_true), yp)

    def unit(t: Tensor) -> Tensor:
        return E.divide(t, E.sqrt(E.maximum(R.reduce_sum(E.square(t), axis=axis, keepdims=True), 1e-12)))

    return E.negative(R.reduce_sum(E.multiply(unit(yt), unit(yp)), axis=axis))


class Hinge(Loss):
    def __init__(self, reduction: str = "sum_over_batch_size", name: str = "hinge") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return hinge(y_true, y_pred)


class SquaredHinge(Loss):
    def __init__(self, reduction: str = "sum_over_batch_size", name: str = "squared_hinge") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return squared_hinge(y_true, y_pred)


class CategoricalHinge(Loss):
    def __init__(self, reduction: str = "sum_over_batch_size", name: str = "categorical_hinge") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return categorical_hinge(y_true, y_pred)


class CosineSimilarity(Loss):
    def __init__(self, axis: int = -1, reduction: str = "sum_over_batch_size", name: str = "cosine_similarity") -> None:
        super().__init__(name=name, reduction=reduction)
        self.axis = axis

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return cosine_similarity(y_true, y_pred, self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
