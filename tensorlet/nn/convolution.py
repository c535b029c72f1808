"""``tf.nn``'s convolutions and pooling in TensorFlow's spelling, on the N-D ``keras.ops`` kernels.

TensorFlow writes strides, window sizes and dilations per axis of the input (``strides=[1, 2, 2, 1]`` for NHWC,
or one number, or one per spatial axis), padding in capitals (``"SAME"``, ``"VALID"``, or explicit
``[[0, 0], [top, bottom], [left, right], [0, 0]]`` pairs), and layouts by name (``"NHWC"``, ``"NCHW"``, ``"NWC"``,
``"NDHWC"``...). This module turns those into the channels-last/first, per-spatial-axis arguments of
:mod:`tensorlet.keras_ops.nn` and checks them, naming the argument and what was given.

>>> import tensorlet as tf
>>> x = tf.ones((1, 4, 4, 1))
>>> tf.nn.conv2d(x, tf.ones((2, 2, 1, 1)), strides=[1, 2, 2, 1], padding="VALID").shape
TensorShape([1, 2, 2, 1])
>>> tf.nn.max_pool2d(x, ksize=2, strides=2, padding="SAME").shape
TensorShape([1, 2, 2, 1])
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops import nn as _ops
from tensorlet.ops.conv_transpose import Conv2DTranspose
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.shape import transpose


def _channels_first(data_format: Any, rank: int, op: str) -> bool:
    if data_format is None:
        return False
    fmt = str(data_format).upper()
    if fmt.startswith("NC") and len(fmt) == rank:
        return True
    if fmt.startswith("N") and fmt.endswith("C") and len(fmt) == rank:
        return False
    raise ValueError(f"tf.nn.{op}: data_format {data_format!r} does not describe a rank-{rank} input "
                     f"(e.g. {'NWC' if rank == 3 else 'NHWC' if rank == 4 else 'NDHWC'})")


def _per_axis(value: Any, n: int, first: bool, name: str, op: str, default: int = 1) -> tuple[int, ...]:
    """``value`` as n spatial ints: one number, n of them, or n + 2 with 1 on the batch and channel axes."""
    if value is None:
        return (default,) * n
    if isinstance(value, Tensor):
        value = value.numpy().tolist()
    if isinstance(value, (int,)) or hasattr(value, "__int__") and not hasattr(value, "__len__"):
        return (int(value),) * n
    values = [int(v) for v in value]
    if len(values) == 1:
        return (values[0],) * n
    if len(values) == n:
        return tuple(values)
    if len(values) == n + 2:
        outer = (values[0], values[1]) if first else (values[0], values[-1])
        if outer != (1, 1):
            raise ValueError(f"tf.nn.{op}: {name} on the batch and channel axes must be 1, got {values}")
        return tuple(values[2:] if first else values[1:-1])
    raise ValueError(f"tf.nn.{op}: {name} must be an int or a list of 1, {n} or {n + 2} ints, got {value!r}")


def _padding(padding: Any, x: Tensor, n: int, first: bool, op: str) -> tuple[Tensor, str]:
    """'same'/'valid'; explicit pairs pad the input with zeros first and convolve 'valid'."""
    if isinstance(padding, str):
        p = padding.upper()
        if p not in ("SAME", "VALID"):
            raise ValueError(f"tf.nn.{op}: padding must be 'SAME', 'VALID' or a list of pairs, got {padding!r}")
        return x, p.lower()
    pairs = [tuple(int(v) for v in pair) for pair in padding]
    if len(pairs) != n + 2 or any(len(p) != 2 for p in pairs):
        raise ValueError(f"tf.nn.{op}: explicit padding needs {n + 2} [before, after] pairs, got {padding!r}")
    outer = [pairs[0], pairs[1]] if first else [pairs[0], pairs[-1]]
    if any(p != (0, 0) for p in outer):
        raise ValueError(f"tf.nn.{op}: explicit padding of the batch and channel axes must be [0, 0], got {padding!r}")
    from tensorlet.ops.shape import pad

    return pad(x, [list(p) for p in pairs]), "valid"


def _convolve(op: str, input: Any, filters: Any, strides: Any, padding: Any, data_format: Any,
              dilations: Any) -> Tensor:
    x = as_tensor(input)
    rank = len(x.shape)
    if rank not in (3, 4, 5):
        raise ValueError(f"tf.nn.{op}: input must be 3-D, 4-D or 5-D (batch, spatial..., channels), got shape "
                         f"{tuple(x.shape)}")
    first = _channels_first(data_format, rank, op)
    n = rank - 2
    s = _per_axis(strides, n, first, "strides", op)
    d = _per_axis(dilations, n, first, "dilations", op)
    x, p = _padding(padding, x, n, first, op)
    return _ops.conv(x, filters, s, p, "channels_first" if first else "channels_last", d)


def convolution(input: Any, filters: Any, strides: Any = None, padding: str = "VALID", data_format: Any = None,
                dilations: Any = None, name: Any = None) -> Tensor:
    """N-D convolution (N from the input's rank) with a (spatial..., in_channels, out_channels) kernel."""
    return _convolve("convolution", input, filters, strides, padding, data_format, dilations)


def conv1d(input: Any, filters: Any, stride: Any = 1, padding: str = "VALID", data_format: str = "NWC",
           dilations: Any = None, name: Any = None) -> Tensor:
    return _convolve("conv1d", input, filters, stride, padding, data_format, dilations)


def conv2d(input: Any, filters: Any, strides: Any = 1, padding: Any = "VALID", data_format: str = "NHWC",
           dilations: Any = None, name: Any = None) -> Tensor:
    """2-D convolution of an NHWC (or NCHW) input with an HWIO kernel, as ``tf.nn.conv2d``."""
    return _convolve("conv2d", input, filters, strides, padding, data_format, dilations)


def conv3d(input: Any, filters: Any, strides: Any = 1, padding: Any = "VALID", data_format: str = "NDHWC",
           dilations: Any = None, name: Any = None) -> Tensor:
    return _convolve("conv3d", input, filters, strides, padding, data_format, dilations)


def depthwise_conv2d(input: Any, filter: Any, strides: Any = 1, padding: Any = "VALID", data_format: Any = None,
                     dilations: Any = None, name: Any = None) -> Tensor:
    """Depthwise 2-D convolution with a (kh, kw, in_channels, channel_multiplier) kernel."""
    x = as_tensor(input)
    first = _channels_first(data_format, 4, "depthwise_conv2d")
    s = _per_axis(strides, 2, first, "strides", "depthwise_conv2d")
    d = _per_axis(dilations, 2, first, "dilations", "depthwise_conv2d")
    x, p = _padding(padding, x, 2, first, "depthwise_conv2d")
    return _ops.depthwise_conv(x, filter, s, p, "channels_first" if first else "channels_last", d)


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any, strides: Any = 1,
                     padding: Any = "VALID", data_format: Any = None, dilations: Any = None, name: Any = None) -> Tensor:
    y = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return conv2d(y, pointwise_filter, 1, "VALID", data_format or "NHWC")


def conv2d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any = 1, padding: str = "SAME",
                     data_format: str = "NHWC", dilations: Any = None, name: Any = None) -> Tensor:
    """The gradient of conv2d with respect to its input: an (kh, kw, out_channels, in_channels) kernel, and the
    ``output_shape`` (N, H, W, C) that picks among the sizes a strided convolution maps to the same input size."""
    x = as_tensor(input)
    first = _channels_first(data_format, 4, "conv2d_transpose")
    s = _per_axis(strides, 2, first, "strides", "conv2d_transpose")
    d = _per_axis(dilations, 2, first, "dilations", "conv2d_transpose")
    if not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        raise ValueError(f"tf.nn.conv2d_transpose: padding must be 'SAME' or 'VALID', got {padding!r}")
    p = padding.lower()
    shape = [int(v) for v in (output_shape.numpy().tolist() if isinstance(output_shape, Tensor) else output_shape)]
    if len(shape) != 4:
        raise ValueError(f"tf.nn.conv2d_transpose: output_shape must have 4 entries, got {output_shape!r}")
    spatial = shape[2:] if first else shape[1:3]
    k = as_tensor(filters)
    if first:
        x = transpose(x, (0, 2, 3, 1))
    in_spatial = tuple(int(v) for v in x.shape[1:3])
    for i in range(2):  # the sizes a stride-s convolution maps back to in_spatial: lo .. lo + s - 1
        eff = (int(k.shape[i]) - 1) * d[i] + 1
        lo = (in_spatial[i] - 1) * s[i] + (1 if p == "same" else eff)
        if not lo <= spatial[i] < lo + s[i]:
            raise ValueError(f"tf.nn.conv2d_transpose: output_shape {shape} cannot come from an input of spatial "
                             f"size {list(in_spatial)} with strides {list(s)} and padding {padding!r} (axis {i + 1} "
                             f"must be in [{lo}, {lo + s[i] - 1}])")
    y = Conv2DTranspose((s[0], s[1]), p, (d[0], d[1]), (spatial[0], spatial[1]))(x, k)
    return transpose(y, (0, 3, 1, 2)) if first else y


def _pool(op: str, mode: str, input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any) -> Tensor:
    x = as_tensor(input)
    rank = len(x.shape)
    if rank not in (3, 4, 5):
        raise ValueError(f"tf.nn.{op}: input must be 3-D, 4-D or 5-D (batch, spatial..., channels), got shape "
                         f"{tuple(x.shape)}")
    first = _channels_first(data_format, rank, op)
    n = rank - 2
    size = _per_axis(ksize, n, first, "ksize", op)
    s = _per_axis(strides, n, first, "strides", op)
    if not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        raise ValueError(f"tf.nn.{op}: padding must be 'SAME' or 'VALID', got {padding!r}")
    fmt = "channels_first" if first else "channels_last"
    if mode == "max":
        return _ops.max_pool(x, size, s, padding.lower(), fmt)
    return _ops.average_pool(x, size, s, padding.lower(), fmt)


def max_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None, name: Any = None) -> Tensor:
    """Max pooling over 1, 2 or 3 spatial axes (from the input's rank)."""
    return _pool("max_pool", "max", input, ksize, strides, padding, data_format)


def avg_pool(input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any = None, name: Any = None) -> Tensor:
    """Average pooling over 1, 2 or 3 spatial axes; 'SAME' windows average the real entries only."""
    return _pool("avg_pool", "avg", input, ksize, strides, padding, data_format)


def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC", name: Any = None) -> Tensor:
    return _pool("max_pool1d", "max", input, ksize, strides, padding, data_format)


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
               name: Any = None) -> Tensor:
    return _pool("max_pool2d", "max", input, ksize, strides, padding, data_format)


def max_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: Any = None) -> Tensor:
    return _pool("max_pool3d", "max", input, ksize, strides, padding, data_format)


def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC", name: Any = None) -> Tensor:
    return _pool("avg_pool1d", "avg", input, ksize, strides, padding, data_format)


def avg_pool2d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
               name: Any = None) -> Tensor:
    return _pool("avg_pool2d", "avg", input, ksize, strides, padding, data_format)


def avg_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: Any = None) -> Tensor:
    return _pool("avg_pool3d", "avg", input, ksize, strides, padding, data_format)
