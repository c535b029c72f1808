"""Keras 2 backend activations and crossentropies (``K.softmax``, ``K.relu(x, alpha, max_value)``,
``K.binary_crossentropy`` elementwise, ``K.categorical_crossentropy``...)."""
from __future__ import annotations

from typing import Any

from tensorlet import activations
from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import epsilon
from tensorlet.losses import probabilistic
from tensorlet.ops import elementwise as E
from tensorlet.ops import nn as N
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor

sigmoid, tanh = activations.sigmoid, E.tanh
softplus, softsign = N.softplus, N.softsign


def softmax(x: Any, axis: int = -1) -> Tensor:
    return N.softmax(x, axis=axis)


def relu(x: Any, alpha: float = 0.0, max_value: Any = None, threshold: float = 0.0) -> Tensor:
    """max(x, 0) with a leak ``alpha`` below ``threshold`` and an optional cap ``max_value``."""
    return activations.relu(x, negative_slope=alpha, max_value=max_value, threshold=threshold)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    return N.elu(x, alpha=alpha)


def hard_sigmoid(x: Any) -> Tensor:
    """Keras 2's piecewise-linear sigmoid: clip(0.2 x + 0.5, 0, 1)."""
    return E.clip_by_value(E.add(E.multiply(as_tensor(x), 0.2), 0.5), 0.0, 1.0)


def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """-sum(target log(output), axis), output normalized and clipped to [eps, 1 - eps] (or from logits)."""
    return probabilistic.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1,
                                    ignore_class: Any = None) -> Tensor:
    return probabilistic.sparse_categorical_crossentropy(target, output, from_logits=from_logits, axis=axis,
                                                         ignore_class=ignore_class)


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Elementwise -(t log(p + eps) + (1 - t) log(1 - p + eps)), p clipped to [eps, 1 - eps] (no mean, unlike
    ``keras.losses.binary_crossentropy``); from the logits when ``output`` came out of a sigmoid."""
    p = as_tensor(output)
    t = E.cast(target, p.dtype)
    logits = p if from_logits else getattr(p, "_logits", None)
    if logits is not None:
        return N.sigmoid_cross_entropy_with_logits(labels=t, logits=logits)
    eps = epsilon()
    p = E.clip_by_value(p, eps, 1.0 - eps)
    ll = E.add(E.multiply(t, E.log(E.add(p, eps))), E.multiply(E.subtract(1.0, t), E.log(E.subtract(1.0 + eps, p))))
    return E.negative(ll)


def dropout(x: Any, level: float, noise_shape: Any = None, seed: Any = None) -> Tensor:
    """Zero a fraction ``level`` of x and scale the rest by 1 / (1 - level)."""
    from tensorlet.layers.regularization.dropout import DropoutMask

    if not 0 <= float(level) < 1:
        raise ValueError(f"K.dropout: level must be in [0, 1), got {level}")
    return DropoutMask(float(level), seed, noise_shape)(as_tensor(x))


def bias_add(x: Any, bias: Any, data_format: Any = None) -> Tensor:
    """x + bias on the channel axis (the last one, or axis 1 for channels_first)."""
    from tensorlet.config import image_data_format

    t, b = as_tensor(x), as_tensor(bias)
    if (data_format or image_data_format()) == "channels_first" and t.ndim > 2 and b.ndim == 1:
        b = S.reshape(b, (1, -1) + (1,) * (t.ndim - 2))
    return E.add(t, b)


def in_top_k(predictions: Any, targets: Any, k: int) -> Tensor:
    """Whether each target class is among the k largest predictions of its row."""
    p = as_tensor(predictions)
    idx = E.cast(targets, "int64")
    picked = S.take_along_axis(p, S.expand_dims(idx, -1), axis=-1)
    return E.less(R.reduce_sum(E.cast(E.greater(p, picked), "int32"), axis=-1), k)


__all__ = ["softmax", "sigmoid", "tanh", "relu", "elu", "softplus", "softsign", "hard_sigmoid",
           "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "dropout",
           "bias_add", "in_top_k"]
