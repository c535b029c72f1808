"""``tf.nn``'s other functions in TensorFlow's spelling: dropout, embedding lookup, normalizations, the weighted
crossentropy, top-k membership and the loss scaling helpers of custom training loops.

>>> import tensorlet as tf
>>> tf.nn.l2_normalize(tf.constant([3.0, 4.0])).numpy().tolist()
[0.6000000238418579, 0.800000011920929]
>>> tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0]), global_batch_size=4).numpy()
np.float32(1.5)
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import elementwise as ew
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.reduction import reduce_sum
from tensorlet.ops.shape import gather


def dropout(x: Any, rate: Any, noise_shape: Any = None, seed: Any = None, name: Any = None) -> Tensor:
    """Zero each entry with probability ``rate`` and scale the kept ones by ``1 / (1 - rate)``; ``noise_shape``
    (broadcastable to ``x``) shares one draw along its axes of size 1. ``rate`` in [0, 1)."""
    from tensorlet import random
    from tensorlet.ops.shape import shape as _shape

    rate_value = float(rate.numpy()) if isinstance(rate, Tensor) else float(rate)
    if not 0.0 <= rate_value < 1.0:
        raise ValueError(f"tf.nn.dropout: rate must be a scalar in [0, 1), got {rate!r}")
    x = as_tensor(x)
    if rate_value == 0.0:
        return x
    shape = _shape(x) if noise_shape is None else noise_shape
    keep = ew.cast(ew.greater_equal(random.uniform(shape, dtype=x.dtype, seed=seed), rate_value), x.dtype)
    return ew.multiply(x, ew.multiply(keep, 1.0 / (1.0 - rate_value)))


def embedding_lookup(params: Any, ids: Any, max_norm: Any = None, name: Any = None) -> Tensor:
    """The rows of ``params`` picked by ``ids`` (any shape); rows longer than ``max_norm`` (L2) are scaled down."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise ValueError("tf.nn.embedding_lookup: sharded params (a list of several tensors) are not provided by "
                             "tensorlet; pass one tensor")
        params = params[0]
    rows = gather(params, ids)
    if max_norm is None:
        return rows
    norms = ew.sqrt(reduce_sum(ew.square(rows), axis=-1, keepdims=True))
    return ew.multiply(rows, ew.divide(float(max_norm), ew.maximum(norms, float(max_norm))))


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: Any = None, dim: Any = None) -> Tensor:
    """``x / sqrt(max(sum(x**2, axis), epsilon))`` (``dim`` is the old name of ``axis``)."""
    x = as_tensor(x)
    axis = dim if axis is None and dim is not None else axis
    square_sum = reduce_sum(ew.square(x), axis=axis, keepdims=True)
    return ew.multiply(x, ew.rsqrt(ew.maximum(square_sum, epsilon)))


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any, variance_epsilon: float,
                        name: Any = None) -> Tensor:
    """``(x - mean) / sqrt(variance + variance_epsilon) * scale + offset`` (offset and scale may be None)."""
    inv = ew.rsqrt(ew.add(variance, variance_epsilon))
    if scale is not None:
        inv = ew.multiply(inv, scale)
    y = ew.multiply(ew.subtract(x, mean), inv)
    return ew.add(y, offset) if offset is not None else y


def weighted_cross_entropy_with_logits(labels: Any, logits: Any, pos_weight: Any, name: Any = None) -> Tensor:
    """Sigmoid crossentropy with the positive term weighed by ``pos_weight``, in TensorFlow's stable form
    ``(1 - z) x + (1 + (q - 1) z) (log(1 + exp(-|x|)) + max(-x, 0))``."""
    x = as_tensor(logits)
    z = ew.cast(as_tensor(labels), x.dtype)
    q = ew.cast(as_tensor(pos_weight), x.dtype)
    log_weight = ew.add(1.0, ew.multiply(ew.subtract(q, 1.0), z))
    softplus_neg = ew.add(ew.log1p(ew.exp(ew.negative(ew.abs(x)))), ew.maximum(ew.negative(x), 0.0))
    return ew.add(ew.multiply(ew.subtract(1.0, z), x), ew.multiply(log_weight, softplus_neg))


def in_top_k(targets: Any, predictions: Any, k: int, name: Any = None) -> Tensor:
    """Whether each target class is among the ``k`` largest predictions of its row (ties count as in, as
    TensorFlow: a target is in when fewer than ``k`` entries are strictly larger)."""
    from tensorlet.ops.shape import expand_dims, take_along_axis

    p = as_tensor(predictions)
    t = ew.cast(as_tensor(targets), "int32")
    target_score = take_along_axis(p, expand_dims(t, -1), axis=-1)
    larger = reduce_sum(ew.cast(ew.greater(p, target_score), "int32"), axis=-1)
    return ew.less(larger, int(k))


def compute_average_loss(per_example_loss: Any, sample_weight: Any = None, global_batch_size: Any = None,
                         name: Any = None) -> Tensor:
    """The per-example losses (times ``sample_weight``) summed and divided by ``global_batch_size`` (the first
    dimension by default; one replica in tensorlet)."""
    loss = as_tensor(per_example_loss)
    if sample_weight is not None:
        loss = ew.multiply(loss, sample_weight)
    total = reduce_sum(loss)
    if global_batch_size is None:
        count = loss.shape[0] if len(loss.shape) else 1
        return ew.divide(total, ew.cast(count, total.dtype))
    if int(global_batch_size) <= 0:
        raise ValueError(f"tf.nn.compute_average_loss: global_batch_size must be positive, got {global_batch_size!r}")
    return ew.divide(total, ew.cast(int(global_batch_size), total.dtype))


def scale_regularization_loss(regularization_loss: Any, name: Any = None) -> Tensor:
    """The regularization loss divided by the number of replicas: one in tensorlet, so unchanged."""
    return reduce_sum(as_tensor(regularization_loss))
