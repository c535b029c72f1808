"""Neural-network ``keras.ops``: activations, convolutions and pooling (1-D, 2-D and 3-D), one-hot encodings,
crossentropies, normalizations and dot-product attention.

Layouts are Keras': ``channels_last`` by default (``data_format`` or ``keras.config.image_data_format()``), kernels
``(spatial..., in_channels / groups, out_channels)``. 1-D operations run as 2-D ones of height 1, 3-D ones as sums
(convolution) or reductions (pooling) of 2-D ones over depth, so all have gradients.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import epsilon as _epsilon
from tensorlet.config import image_data_format
from tensorlet.keras_ops.convert import as_floats, cast, convert_to_tensor, given_axes, host_constant, promote
from tensorlet.keras_ops.numpy_math import (
    add,
    clip,
    divide,
    exp,
    log,
    log1p,
    maximum,
    minimum,
    multiply,
    negative,
    sqrt,
    subtract,
    tanh,
    where,
)
from tensorlet.keras_ops.numpy_math import sigmoid as _sigmoid
from tensorlet.keras_ops.numpy_reduce import max as _max
from tensorlet.keras_ops.numpy_reduce import mean, var
from tensorlet.keras_ops.numpy_reduce import sum as _sum
from tensorlet.keras_ops.numpy_shape import expand_dims, reshape, split, squeeze, transpose
from tensorlet.keras_ops.products import einsum
from tensorlet.ops.conv import Conv2D, Pool2D, out_size, pads
from tensorlet.ops.conv_transpose import Conv2DTranspose, transpose_out_size
from tensorlet.ops.depthwise_conv import DepthwiseConv2D
from tensorlet.ops.fused_attention import scaled_dot_product_attention
from tensorlet.ops.indexing import OneHot, TakeAlongAxis
from tensorlet.ops.nn import (
    SELU_ALPHA,
    SELU_SCALE,
    Elu,
    Gelu,
    LeakyRelu,
    LogSoftmax,
    Relu,
    Softmax,
    Softplus,
    Softsign,
)
from tensorlet.ops.shape import GetItem, Pad


# -- activations ---------------------------------------------------------------------------------------------------
def relu(x: Any) -> Tensor:
    return Relu()(as_floats(x))


def relu6(x: Any) -> Tensor:
    return minimum(relu(x), 6.0)


def sigmoid(x: Any) -> Tensor:
    return _sigmoid(x)


def silu(x: Any) -> Tensor:
    """x sigmoid(x)."""
    t = as_floats(x)
    return multiply(t, _sigmoid(t))


swish = silu


def hard_sigmoid(x: Any) -> Tensor:
    """relu6(x + 3) / 6."""
    return divide(relu6(add(as_floats(x), 3.0)), 6.0)


def hard_silu(x: Any) -> Tensor:
    t = as_floats(x)
    return multiply(t, hard_sigmoid(t))


hard_swish = hard_silu


def gelu(x: Any, approximate: bool = True) -> Tensor:
    """x Phi(x); the tanh approximation by default, as in Keras 3."""
    return Gelu(bool(approximate))(as_floats(x))


def softmax(x: Any, axis: int = -1) -> Tensor:
    t = as_floats(x)
    return Softmax(given_axes(axis, t.ndim)[0])(t)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    t = as_floats(x)
    return LogSoftmax(given_axes(axis, t.ndim)[0])(t)


def softplus(x: Any) -> Tensor:
    return Softplus()(as_floats(x))


def softsign(x: Any) -> Tensor:
    return Softsign()(as_floats(x))


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    return Elu(float(alpha))(as_floats(x))


def selu(x: Any) -> Tensor:
    return Elu(SELU_ALPHA, SELU_SCALE)(as_floats(x))


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    return LeakyRelu(float(negative_slope))(as_floats(x))


def log_sigmoid(x: Any) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x)."""
    return negative(softplus(negative(as_floats(x))))


def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """max(x, 0) + min(0, alpha (exp(x / alpha) - 1))."""
    t = as_floats(x)
    return add(relu(t), minimum(0.0, multiply(alpha, subtract(exp(divide(t, alpha)), 1.0))))


def glu(x: Any, axis: int = -1) -> Tensor:
    """a sigmoid(b), with a and b the two halves of ``x`` along ``axis``."""
    a, b = split(as_floats(x), 2, axis=axis)
    return multiply(a, _sigmoid(b))


def tanh_shrink(x: Any) -> Tensor:
    t = as_floats(x)
    return subtract(t, tanh(t))


def squareplus(x: Any, b: float = 4) -> Tensor:
    """(x + sqrt(x^2 + b)) / 2."""
    t = as_floats(x)
    return divide(add(t, sqrt(add(multiply(t, t), float(b)))), 2.0)


def sparse_plus(x: Any) -> Tensor:
    """0 below -1, x beyond 1, (x + 1)^2 / 4 between."""
    from tensorlet.keras_ops.numpy_math import greater_equal, less_equal

    t = as_floats(x)
    middle = divide(multiply(add(t, 1.0), add(t, 1.0)), 4.0)
    return where(less_equal(t, -1.0), 0.0, where(greater_equal(t, 1.0), t, middle))


# -- convolution and pooling ---------------------------------------------------------------------------------------
def _tuple(v: Any, n: int) -> tuple[int, ...]:
    return (int(v),) * n if isinstance(v, (int, np.integer)) else tuple(int(a) for a in v)


def _channels_last(x: Tensor, data_format: Any) -> tuple[Tensor, bool]:
    fmt = data_format or image_data_format()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got {fmt!r}")
    if fmt == "channels_first":
        return transpose(x, (0,) + tuple(range(2, x.ndim)) + (1,)), True
    return x, False


def _restore(y: Tensor, first: bool) -> Tensor:
    return transpose(y, (0, y.ndim - 1) + tuple(range(1, y.ndim - 1))) if first else y


def _check_rank(op: str, x: Tensor) -> int:
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"keras.ops.{op} expects a 3-D, 4-D or 5-D input (batch, spatial..., channels), got shape "
                         f"{tuple(x.shape)}")
    return x.ndim - 2


def _padding(padding: str) -> str:
    p = str(padding).lower()
    if p not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return p


def _pair(t: tuple[int, ...]) -> tuple[int, int]:
    """The two spatial values that the 2-D ops take."""
    return t[0], t[1]


def conv(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid", data_format: Any = None,
         dilation_rate: Any = 1) -> Tensor:
    """N-D convolution (N = 1, 2, 3) of ``inputs`` with ``kernel`` (spatial..., in_channels / groups, out_channels).

    Raises:
        ValueError: for a rank other than 3-5, or channels that the kernel does not fit (named).
    """
    x, k = promote(inputs, kernel, dtype=as_floats(inputs).dtype.name)
    x, first = _channels_last(x, data_format)
    n = _check_rank("conv", x)
    if k.ndim != n + 2 or x.shape[-1] % k.shape[-2]:
        raise ValueError(f"keras.ops.conv: a kernel of shape {tuple(k.shape)} does not fit inputs of shape "
                         f"{tuple(x.shape)} (expected (spatial..., in_channels / groups, out_channels))")
    groups = x.shape[-1] // k.shape[-2]
    s, d, p = _tuple(strides, n), _tuple(dilation_rate, n), _padding(padding)
    if n == 1:
        y = Conv2D((1, s[0]), p, (1, d[0]), groups)(expand_dims(x, 1), expand_dims(k, 0))
        return _restore(squeeze(y, 1), first)
    if n == 2:
        return _restore(Conv2D(_pair(s), p, _pair(d), groups)(x, k), first)
    return _restore(_conv3d(x, k, s, p, d, groups), first)


def _conv3d(x: Tensor, k: Tensor, s: tuple[int, ...], p: str, d: tuple[int, ...], groups: int) -> Tensor:
    """Depth handled as a sum of 2-D convolutions: y[:, i] = sum_a conv2d(x[:, i s + a d], k[a])."""
    depth, kd = x.shape[1], k.shape[0]
    before, after = pads(depth, kd, s[0], d[0], p)
    if before or after:
        x = Pad([(0, 0), (before, after), (0, 0), (0, 0), (0, 0)], "constant", 0)(x)
    od = out_size(depth, kd, s[0], d[0], p)
    outs = []
    for i in range(od):
        total = None
        for a in range(kd):
            plane = GetItem((slice(None), i * s[0] + a * d[0]), True, True)(x)
            term = Conv2D(_pair(s[1:]), p, _pair(d[1:]), groups)(plane, GetItem((a,), True, True)(k))
            total = term if total is None else add(total, term)
        outs.append(expand_dims(total, 1))
    from tensorlet.keras_ops.numpy_shape import concatenate

    return concatenate(outs, axis=1)


def depthwise_conv(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid", data_format: Any = None,
                   dilation_rate: Any = 1) -> Tensor:
    """Depthwise 1-D or 2-D convolution with a (spatial..., channels, depth_multiplier) ``kernel``."""
    x, k = promote(inputs, kernel, dtype=as_floats(inputs).dtype.name)
    x, first = _channels_last(x, data_format)
    n = _check_rank("depthwise_conv", x)
    s, d, p = _tuple(strides, n), _tuple(dilation_rate, n), _padding(padding)
    if n == 1:
        y = DepthwiseConv2D((1, s[0]), p, (1, d[0]))(expand_dims(x, 1), expand_dims(k, 0))
        return _restore(squeeze(y, 1), first)
    if n == 2:
        return _restore(DepthwiseConv2D(_pair(s), p, _pair(d))(x, k), first)
    raise ValueError("keras.ops.depthwise_conv: 3-D depthwise convolution is not provided by tensorlet (1-D and 2-D "
                     "are)")


def separable_conv(inputs: Any, depthwise_kernel: Any, pointwise_kernel: Any, strides: Any = 1,
                   padding: str = "valid", data_format: Any = None, dilation_rate: Any = 1) -> Tensor:
    """A depthwise convolution followed by a 1x1 convolution."""
    y = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(y, pointwise_kernel, 1, "valid", data_format, 1)


def conv_transpose(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid", output_padding: Any = None,
                   data_format: Any = None, dilation_rate: Any = 1) -> Tensor:
    """Transposed 1-D or 2-D convolution with a (spatial..., out_channels, in_channels) ``kernel``."""
    x, k = promote(inputs, kernel, dtype=as_floats(inputs).dtype.name)
    x, first = _channels_last(x, data_format)
    n = _check_rank("conv_transpose", x)
    if n == 3:
        raise ValueError("keras.ops.conv_transpose: 3-D transposed convolution is not provided by tensorlet (1-D and "
                         "2-D are)")
    s, d, p = _tuple(strides, n), _tuple(dilation_rate, n), _padding(padding)
    op: tuple[int | None, ...] = (None,) * n if output_padding is None else _tuple(output_padding, n)
    if n == 1:
        x, k = expand_dims(x, 1), expand_dims(k, 0)
        s, d, op = (1,) + s, (1,) + d, (None,) + op
    out_hw = tuple(transpose_out_size(x.shape[1 + i], k.shape[i], s[i], d[i], p, op[i]) for i in range(2))
    y = Conv2DTranspose(_pair(s), p, _pair(d), _pair(out_hw))(x, k)
    return _restore(squeeze(y, 1) if n == 1 else y, first)


def _pool(op: str, mode: str, inputs: Any, pool_size: Any, strides: Any, padding: str, data_format: Any) -> Tensor:
    x = as_floats(inputs)
    x, first = _channels_last(x, data_format)
    n = _check_rank(op, x)
    size = _tuple(pool_size, n)
    s = _tuple(strides, n) if strides is not None else size
    p = _padding(padding)
    if n == 1:
        y = squeeze(Pool2D((1, size[0]), (1, s[0]), p, mode)(expand_dims(x, 1)), 1)
    elif n == 2:
        y = Pool2D(_pair(size), _pair(s), p, mode)(x)
    else:
        y = _pool3d(x, size, s, p, mode)
    return _restore(y, first)


def _pool3d(x: Tensor, size: tuple[int, ...], s: tuple[int, ...], p: str, mode: str) -> Tensor:
    """2-D pooling of each depth plane, then a max or mean over each depth window (for 'same' average pooling,
    over the real planes only, as TensorFlow counts)."""
    from tensorlet.keras_ops.numpy_shape import concatenate, stack

    planes = [Pool2D(_pair(size[1:]), _pair(s[1:]), p, mode)(GetItem((slice(None), i), True, True)(x)) for i in range(x.shape[1])]
    depth = len(planes)
    before, _ = pads(depth, size[0], s[0], 1, p)
    out = []
    for i in range(out_size(depth, size[0], s[0], 1, p)):
        lo = i * s[0] - before
        window = [planes[j] for j in range(max(lo, 0), min(lo + size[0], depth))]
        combined = stack(window, axis=1)
        out.append(expand_dims(_max(combined, axis=1) if mode == "max" else mean(combined, axis=1), 1))
    return concatenate(out, axis=1)


def max_pool(inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: Any = None) -> Tensor:
    return _pool("max_pool", "max", inputs, pool_size, strides, padding, data_format)


def average_pool(inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid",
                 data_format: Any = None) -> Tensor:
    return _pool("average_pool", "avg", inputs, pool_size, strides, padding, data_format)


# -- encodings -----------------------------------------------------------------------------------------------------
def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None, sparse: bool = False) -> Tensor:
    """One-hot rows of ``num_classes`` for integer ``x`` (out-of-range values give zero rows), in ``dtype``
    (``floatx()`` by default), the class axis at ``axis``."""
    from tensorlet.dtypes import as_dtype
    from tensorlet.keras_ops.convert import standardize_dtype

    idx = convert_to_tensor(x)
    if not idx.dtype.is_integer:
        idx = cast(idx, "int64")
    dt = np.dtype(as_dtype(standardize_dtype(dtype)).as_numpy_dtype)
    return OneHot(int(num_classes), int(axis), dt)(idx)


def multi_hot(inputs: Any, num_classes: int | None = None, axis: int = -1, dtype: Any = None, sparse: bool = False,
              **kwargs: Any) -> Tensor:
    """1 at each class present in a row of integer ``inputs`` (the last axis of a 2-D input is one sample's set)."""
    num_classes = kwargs.pop("num_tokens", num_classes)
    if num_classes is None:
        raise ValueError("keras.ops.multi_hot needs num_classes")
    t = convert_to_tensor(inputs)
    if t.ndim == 0:
        t = expand_dims(t, 0)
    encoded = one_hot(t, num_classes, axis=-1, dtype=dtype)
    out = _max(encoded, axis=-2)
    from tensorlet.keras_ops.numpy_shape import moveaxis

    return out if axis == -1 else moveaxis(out, -1, axis)


# -- losses --------------------------------------------------------------------------------------------------------
def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """-sum(target log p) over ``axis``, p = softmax(output) or output renormalized and clipped to
    [epsilon, 1 - epsilon]."""
    t, o = promote(target, output, dtype=as_floats(output).dtype.name)
    if t.shape != o.shape:
        raise ValueError(f"keras.ops.categorical_crossentropy: target shape {tuple(t.shape)} and output shape "
                         f"{tuple(o.shape)} must match")
    ax = given_axes(axis, o.ndim)[0]
    if from_logits:
        logp = LogSoftmax(ax)(o)
    else:
        eps = _epsilon()
        logp = log(clip(divide(o, _sum(o, axis=ax, keepdims=True)), eps, 1.0 - eps))
    return negative(_sum(multiply(t, logp), axis=ax))


def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> Tensor:
    """-log p[target] with p as in ``categorical_crossentropy``; ``target`` holds class indices."""
    o = as_floats(output)
    ax = given_axes(axis, o.ndim)[0]
    idx = convert_to_tensor(target)
    if idx.ndim == o.ndim and idx.shape[ax] == 1:
        idx = squeeze(idx, ax)
    idx = cast(idx, "int64")
    if from_logits:
        logp = LogSoftmax(ax)(o)
    else:
        eps = _epsilon()
        logp = log(clip(divide(o, _sum(o, axis=ax, keepdims=True)), eps, 1.0 - eps))
    picked = TakeAlongAxis(ax)(logp, expand_dims(idx, ax))
    return negative(squeeze(picked, ax))


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Tensor:
    """Elementwise -(t log p + (1 - t) log(1 - p)); from logits z, max(z, 0) - z t + log(1 + exp(-|z|))."""
    t, o = promote(target, output, dtype=as_floats(output).dtype.name)
    if from_logits:
        from tensorlet.keras_ops.numpy_math import absolute

        return add(subtract(relu(o), multiply(o, t)), log1p(exp(negative(absolute(o)))))
    eps = _epsilon()
    p = clip(o, eps, 1.0 - eps)
    return negative(add(multiply(t, log(p)), multiply(subtract(1.0, t), log(subtract(1.0, p)))))


# -- normalization -------------------------------------------------------------------------------------------------
def moments(x: Any, axes: Any, keepdims: bool = False, synchronized: bool = False) -> tuple[Tensor, Tensor]:
    """(mean, variance) over ``axes``."""
    t = as_floats(x)
    return mean(t, axis=axes, keepdims=keepdims), var(t, axis=axes, keepdims=keepdims)


def batch_normalization(x: Any, mean: Any, variance: Any, axis: int, offset: Any = None, scale: Any = None,
                        epsilon: float = 1e-3) -> Tensor:
    """(x - mean) / sqrt(variance + epsilon) * scale + offset, the statistics laid along ``axis``."""
    t = as_floats(x)
    ax = int(axis) % t.ndim

    def along(v: Any) -> Tensor:
        v = cast(convert_to_tensor(v), t.dtype.name)
        return reshape(v, tuple(-1 if i == ax else 1 for i in range(t.ndim))) if v.ndim == 1 else v

    y = divide(subtract(t, along(mean)), sqrt(add(along(variance), float(epsilon))))
    if scale is not None:
        y = multiply(y, along(scale))
    if offset is not None:
        y = add(y, along(offset))
    return y


def normalize(x: Any, axis: int = -1, order: int = 2, epsilon: float | None = None) -> Tensor:
    """x divided by its ``order`` norm along ``axis`` (at least ``epsilon``).

    Raises:
        ValueError: when ``order`` is not an int >= 1.
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    t = as_floats(x)
    if t.ndim == 0:
        t = expand_dims(t, 0)
    eps = _epsilon() if epsilon is None else float(epsilon)
    from tensorlet.keras_ops.linalg import norm

    return divide(t, maximum(norm(t, ord=order, axis=axis, keepdims=True), eps))


def layer_normalization(x: Any, gamma: Any = None, beta: Any = None, axis: int = -1, epsilon: float | None = None,
                        **kwargs: Any) -> Tensor:
    t = as_floats(x)
    eps = 1e-3 if epsilon is None else float(epsilon)
    m, v = moments(t, axes=axis, keepdims=True)
    y = divide(subtract(t, m), sqrt(add(v, eps)))
    if gamma is not None:
        y = multiply(y, cast(convert_to_tensor(gamma), t.dtype.name))
    if beta is not None:
        y = add(y, cast(convert_to_tensor(beta), t.dtype.name))
    return y


def rms_normalization(x: Any, scale: Any = None, axis: int = -1, epsilon: float | None = None) -> Tensor:
    t = as_floats(x)
    eps = _epsilon() if epsilon is None else float(epsilon)
    y = divide(t, sqrt(add(mean(multiply(t, t), axis=axis, keepdims=True), eps)))
    return y if scale is None else multiply(y, cast(convert_to_tensor(scale), t.dtype.name))


# -- attention -----------------------------------------------------------------------------------------------------
_LARGE_NEGATIVE = -0.7 * 3.38953e38


def dot_product_attention(query: Any, key: Any, value: Any, bias: Any = None, mask: Any = None,
                          scale: float | None = None, is_causal: bool = False, flash_attention: Any = None,
                          attn_logits_soft_cap: Any = None) -> Tensor:
    """softmax(q k^T * scale + bias, masked) v over (batch, time, heads, head_dim) tensors; ``mask`` is True where
    attention is allowed; fewer key/value heads than query heads are repeated (grouped-query attention)."""
    if flash_attention:
        raise ValueError("keras.ops.dot_product_attention: flash attention is not provided by tensorlet")
    q, k, v = promote(query, key, value, dtype=as_floats(query).dtype.name)
    if q.ndim != 4:
        raise ValueError(f"dot_product_attention only supports 4D inputs, got query shape {tuple(q.shape)}")
    if k.shape[2] != q.shape[2]:
        if q.shape[2] % k.shape[2]:
            raise ValueError(f"dot_product_attention: {q.shape[2]} query heads cannot share {k.shape[2]} key heads")
        from tensorlet.keras_ops.numpy_shape import repeat

        k, v = repeat(k, q.shape[2] // k.shape[2], axis=2), repeat(v, q.shape[2] // v.shape[2], axis=2)
    s = 1.0 / math.sqrt(k.shape[-1]) if scale is None else float(scale)
    if attn_logits_soft_cap is None and bias is None:  # one op, a few batch rows at a time (ops.fused_attention)
        allowed = None if mask is None else cast(convert_to_tensor(mask), "bool")
        if is_causal:
            causal = host_constant(np.tril(np.ones((q.shape[1], k.shape[1]), dtype=bool)))
            from tensorlet.keras_ops.numpy_math import logical_and

            allowed = causal if allowed is None else logical_and(allowed, causal)
        heads = [transpose(t, (0, 2, 1, 3)) for t in (q, k, v)]
        out = scaled_dot_product_attention(heads[0], heads[1], heads[2], mask=allowed, scale=s,
                                           fill=_LARGE_NEGATIVE)
        return transpose(out, (0, 2, 1, 3))
    logits = multiply(einsum("BTNH,BSNH->BNTS", q, k), s)
    if attn_logits_soft_cap is not None:
        cap = float(attn_logits_soft_cap)
        logits = multiply(tanh(divide(logits, cap)), cap)
    if bias is not None:
        logits = add(logits, cast(convert_to_tensor(bias), logits.dtype.name))
    allowed = None
    if mask is not None:
        allowed = cast(convert_to_tensor(mask), "bool")
    if is_causal:
        t_len, s_len = logits.shape[2], logits.shape[3]
        causal = host_constant(np.tril(np.ones((t_len, s_len), dtype=bool)))
        from tensorlet.keras_ops.numpy_math import logical_and

        allowed = causal if allowed is None else logical_and(allowed, causal)
    if allowed is not None:
        logits = where(allowed, logits, _LARGE_NEGATIVE)
    probs = softmax(logits, axis=-1)
    return einsum("BNTS,BSNH->BTNH", probs, v)
