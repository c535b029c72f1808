"""Keras' resolution of the 'accuracy'/'acc' and 'crossentropy'/'ce' strings from the shapes of a batch."""
from __future__ import annotations

from typing import Any

from tensorlet.metrics.accuracy import BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy
from tensorlet.metrics.regression import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)


def resolve_accuracy(name: str, y_true_shape: tuple[int, ...], y_pred_shape: tuple[int, ...],
                     loss_name: Any = None) -> Any:
    """Binary if the output's last dimension is 1 (or the loss is binary crossentropy); sparse if the labels
    have lower rank, or a last dimension of 1 while the output's is > 1; categorical otherwise. The metric is
    named exactly by ``name`` (so 'acc' stays 'acc')."""
    binary = (len(y_pred_shape) > 0 and y_pred_shape[-1] == 1) or loss_name in ("binary_crossentropy",
                                                                                 "BinaryCrossentropy")
    sparse = len(y_true_shape) < len(y_pred_shape) or (
        len(y_true_shape) == len(y_pred_shape) and y_true_shape[-1] == 1 and y_pred_shape[-1] > 1)
    if name in ("accuracy", "acc"):
        if binary:
            return BinaryAccuracy(name=name)
        if sparse:
            return SparseCategoricalAccuracy(name=name)
        return CategoricalAccuracy(name=name)
    if binary:
        return BinaryCrossentropy(name=name)
    if sparse:
        return SparseCategoricalCrossentropy(name=name)
    return CategoricalCrossentropy(name=name)
