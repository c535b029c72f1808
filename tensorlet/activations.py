"""Keras activation functions, composed from the differentiable ops in ``tensorlet.ops``.

Every function takes a Tensor (or anything ``convert_to_tensor`` accepts) and returns a Tensor, so gradients
flow through ``GradientTape``. ``get`` resolves a Keras name once; ``serialize``/``deserialize`` map between
functions and names. ``relu``, ``sigmoid``, ``tanh`` and ``linear`` carry a ``fused_name`` attribute that lets
``Dense`` use the fused ``ops.nn.dense`` kernel.

Example:
    >>> from tensorlet import activations
    >>> activations.get("relu")(np.array([-1.0, 2.0])).numpy()
    array([0., 2.])
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import elementwise as E
from tensorlet.ops import nn as N
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.reduction import cumsum, reduce_sum, sort
from tensorlet.ops.shape import split
from tensorlet.saving.registry import register_builtins
from tensorlet.saving.serialization import deserialize_keras_object, function_name, serialize_keras_object


def relu(x: Any, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0, *,
         alpha: float | None = None) -> Tensor:
    """Rectified linear unit: y = max_value if x >= max_value, x if x > threshold, else slope (x - threshold).

    Args:
        x: input tensor.
        negative_slope: slope below ``threshold`` (Keras 2's ``alpha`` is accepted as a keyword).
        max_value: upper saturation value, or None for no cap.
        threshold: the value below which the slope applies.

    Returns:
        A tensor of the same shape and dtype.
    """
    x = as_tensor(x)
    if alpha is not None:
        negative_slope = alpha
    if negative_slope == 0 and threshold == 0:
        y = N.relu(x)
    elif threshold == 0 and max_value is None:
        return N.leaky_relu(x, alpha=negative_slope)
    else:
        below = E.multiply(E.subtract(x, threshold), negative_slope) if negative_slope else 0
        y = E.where(E.greater(x, threshold), x, below)
    return y if max_value is None else E.minimum(y, max_value)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """Leaky ReLU: y = x if x > 0 else negative_slope x."""
    return N.leaky_relu(as_tensor(x), alpha=negative_slope)


def relu6(x: Any) -> Tensor:
    """y = min(max(x, 0), 6)."""
    return N.relu6(x)


def sigmoid(x: Any) -> Tensor:
    """Logistic function: y = 1 / (1 + exp(-x)).

    The output remembers ``x`` as its logits, so a following binary crossentropy can take the fused path.
    """
    x = as_tensor(x)
    y = E.sigmoid(x)
    y._logits = x
    return y


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent: y = (exp(x) - exp(-x)) / (exp(x) + exp(-x))."""
    return E.tanh(x)


def softmax(x: Any, axis: int = -1) -> Tensor:
    """y = exp(x) / sum(exp(x), axis); the output remembers ``x`` as its logits."""
    return N.softmax(x, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    """y = x - log(sum(exp(x), axis))."""
    return N.log_softmax(x, axis=axis)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: y = x if x > 0 else alpha (exp(x) - 1)."""
    return N.elu(x, alpha=alpha)


def selu(x: Any) -> Tensor:
    """Scaled ELU: y = scale x if x > 0 else scale alpha (exp(x) - 1), with scale ~1.0507, alpha ~1.6733."""
    return N.selu(x)


def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: y = max(x, 0) + alpha (exp(min(x, 0) / alpha) - 1)."""
    x = as_tensor(x)
    neg = E.expm1(E.divide(E.minimum(x, 0), alpha))
    return E.add(N.relu(x), E.multiply(neg, alpha))


def softplus(x: Any) -> Tensor:
    """y = log(1 + exp(x))."""
    return N.softplus(x)


def softsign(x: Any) -> Tensor:
    """y = x / (1 + |x|)."""
    return N.softsign(x)


def silu(x: Any) -> Tensor:
    """Sigmoid linear unit (swish): y = x sigmoid(x)."""
    return N.swish(x)


def gelu(x: Any, approximate: bool = False) -> Tensor:
    """Gaussian error linear unit: y = x Phi(x), or its tanh approximation when ``approximate``."""
    return N.gelu(x, approximate=approximate)


def exponential(x: Any) -> Tensor:
    """y = exp(x)."""
    return E.exp(x)


def linear(x: Any) -> Tensor:
    """Identity: y = x (the input tensor itself)."""
    return as_tensor(x)


def hard_sigmoid(x: Any) -> Tensor:
    """Piecewise-linear sigmoid (Keras 3): y = relu6(x + 3) / 6."""
    return E.divide(N.relu6(E.add(as_tensor(x), 3)), 6)


def hard_silu(x: Any) -> Tensor:
    """Hard swish: y = x relu6(x + 3) / 6."""
    x = as_tensor(x)
    return E.multiply(x, hard_sigmoid(x))


def hard_tanh(x: Any) -> Tensor:
    """y = clip(x, -1, 1)."""
    return E.clip_by_value(x, -1, 1)


def sparse_sigmoid(x: Any) -> Tensor:
    """y = clip((x + 1) / 2, 0, 1)."""
    return E.clip_by_value(E.divide(E.add(as_tensor(x), 1), 2), 0, 1)


def mish(x: Any) -> Tensor:
    """y = x tanh(softplus(x))."""
    x = as_tensor(x)
    return E.multiply(x, E.tanh(N.softplus(x)))


def log_sigmoid(x: Any) -> Tensor:
    """y = log(sigmoid(x)) = -softplus(-x)."""
    return E.negative(N.softplus(E.negative(as_tensor(x))))


def sparse_plus(x: Any) -> Tensor:
    """y = 0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1."""
    x = as_tensor(x)
    middle = E.divide(E.square(E.add(x, 1)), 4)
    return E.where(E.less_equal(x, -1), 0, E.where(E.greater_equal(x, 1), x, middle))


def squareplus(x: Any, b: float = 4) -> Tensor:
    """y = (x + sqrt(x^2 + b)) / 2."""
    x = as_tensor(x)
    return E.divide(E.add(x, E.sqrt(E.add(E.square(x), b))), 2)


def soft_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """y = x - threshold if x > threshold, x + threshold if x < -threshold, else 0."""
    x = as_tensor(x)
    low = E.where(E.less(x, -threshold), E.add(x, threshold), 0)
    return E.where(E.greater(x, threshold), E.subtract(x, threshold), low)


def hard_shrink(x: Any, threshold: float = 0.5) -> Tensor:
    """y = x if |x| > threshold else 0."""
    x = as_tensor(x)
    return E.where(E.greater(E.abs(x), threshold), x, 0)


def tanh_shrink(x: Any) -> Tensor:
    """y = x - tanh(x)."""
    x = as_tensor(x)
    return E.subtract(x, E.tanh(x))


def threshold(x: Any, threshold: float, default_value: float) -> Tensor:
    """y = x if x > threshold else default_value."""
    x = as_tensor(x)
    return E.where(E.greater(x, threshold), x, default_value)


def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: split x in halves (a, b) along ``axis``; y = a sigmoid(b)."""
    a, b = split(as_tensor(x), 2, axis=axis)
    return E.multiply(a, E.sigmoid(b))


def sparsemax(x: Any, axis: int = -1) -> Tensor:
    """Euclidean projection onto the simplex: y = max(x - tau, 0), tau chosen so that sum(y, axis) = 1."""
    x = as_tensor(x)
    z = sort(x, axis=axis, direction="DESCENDING")
    n = x.shape[axis]
    shape = [1] * x.ndim
    shape[axis] = n
    k = as_tensor(np.arange(1, n + 1, dtype=x._value.dtype).reshape(shape))
    # the support mask is piecewise constant, so it carries no gradient
    support = E.cast(E.greater(E.add(E.multiply(k, z), 1), cumsum(z, axis=axis)), x.dtype)
    size = reduce_sum(support, axis=axis, keepdims=True)
    tau = E.divide(E.subtract(reduce_sum(E.multiply(z, support), axis=axis, keepdims=True), 1), size)
    return N.relu(E.subtract(x, tau))


swish = silu
hard_swish = hard_silu

# Fused kernels for Dense: 'relu' only applies when relu is called with its default arguments.
relu.fused_name = "relu"  # type: ignore[attr-defined]
sigmoid.fused_name = "sigmoid"  # type: ignore[attr-defined]
tanh.fused_name = "tanh"  # type: ignore[attr-defined]
linear.fused_name = None  # type: ignore[attr-defined]

_FUNCTIONS = (relu, leaky_relu, relu6, sigmoid, tanh, softmax, log_softmax, elu, selu, celu, softplus, softsign, silu,
              gelu, exponential, linear, hard_sigmoid, hard_silu, hard_tanh, sparse_sigmoid, mish, log_sigmoid,
              sparse_plus, squareplus, soft_shrink, hard_shrink, tanh_shrink, threshold, glu, sparsemax)
register_builtins("activations", _FUNCTIONS, aliases={"swish": silu, "hard_swish": hard_silu})


def serialize(activation: Any) -> Any:
    """The config entry for ``activation``: its Keras name (``package>name`` once registered), or a layer config
    for layer activations."""
    if activation is None:
        return "linear"
    if hasattr(activation, "get_config"):
        return serialize_keras_object(activation)
    name = function_name(activation)
    if name is None:
        raise ValueError(f"Cannot serialize the activation {activation!r}: it has no name")
    return name


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Callable[..., Any]:
    """The activation named by ``config``: a name, a Keras 3 ``{"class_name": "function", ...}`` dict, or the
    config of a layer used as an activation."""
    if not isinstance(config, (str, dict)):
        raise ValueError(f"Could not interpret activation function identifier: {config!r}")
    family = "activations" if isinstance(config, str) else ("activations", "layers")
    return deserialize_keras_object(config, custom_objects, family=family, kind="activation function")


def get(identifier: Any) -> Callable[..., Any]:
    """Resolve an activation: None gives ``linear``, a name or config its function, a callable itself.

    Raises:
        ValueError: for an unknown name (the message lists the valid ones) or an uninterpretable value.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


__all__ = sorted([f.__name__ for f in _FUNCTIONS] + ["swish", "hard_swish"]) + ["get", "serialize", "deserialize"]
