"""Accuracy metrics (per-sample functions and their running-mean classes)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.metrics.metric import MeanMetricWrapper, as_array


def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1 where y_pred equals y_true exactly."""
    yt, yp = as_array(y_true), as_array(y_pred)
    if yt.shape != yp.shape and yt.size == yp.size:
        yt = yt.reshape(yp.shape)
    return (yt == yp).astype(np.float32)


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray | np.floating[Any]:
    """mean(y_true == (y_pred > threshold), axis=-1)."""
    yt, yp = as_array(y_true), as_array(y_pred)
    if yt.ndim == yp.ndim - 1:
        yt = yt[..., None]
    return np.mean(yt == (yp > threshold), axis=-1, dtype=np.float32)


def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """argmax(y_true) == argmax(y_pred)."""
    return (np.argmax(as_array(y_true), axis=-1) == np.argmax(as_array(y_pred), axis=-1)).astype(np.float32)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """y_true == argmax(y_pred) for integer labels of shape (n,) or (n, 1)."""
    yp = as_array(y_pred)
    yt = as_array(y_true).reshape(yp.shape[:-1])
    return (yt == np.argmax(yp, axis=-1)).astype(np.float32)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1 where the true class (argmax of one-hot y_true) is among the k highest scores."""
    return sparse_top_k_categorical_accuracy(np.argmax(as_array(y_true), axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1 where the integer label is among the k highest scores (ties count in the label's favour, as TF)."""
    yp = as_array(y_pred)
    yt = as_array(y_true).reshape(-1).astype(np.int64)
    target = yp[np.arange(len(yt)), yt]
    return ((yp > target[:, None]).sum(axis=-1) < k).astype(np.float32)


class Accuracy(MeanMetricWrapper):
    def __init__(self, name: str = "accuracy", dtype: Any = None) -> None:
        super().__init__(accuracy, name, dtype)


class BinaryAccuracy(MeanMetricWrapper):
    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5) -> None:
        super().__init__(binary_accuracy, name, dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(categorical_accuracy, name, dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(sparse_categorical_accuracy, name, dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(top_k_categorical_accuracy, name, dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(sparse_top_k_categorical_accuracy, name, dtype, k=k)
