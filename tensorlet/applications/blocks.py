"""Building blocks that several application families share (each family keeps Keras' layer names).

* ``batch_norm`` / ``conv_bn``: convolution, batch normalization and an optional activation layer.
* ``make_divisible``: the channel rounding of MobileNet v2/v3 and EfficientNet (nearest multiple of 8, never
  more than 10% below the target).
* ``squeeze_excite`` and ``mbconv``: EfficientNet's mobile inverted bottleneck with squeeze-and-excitation,
  shared by EfficientNet (B0-B7) and EfficientNetV2's MBConv stages.
"""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications.imagenet_utils import correct_pad
from tensorlet.applications.scaffold import channel_axis

# He-style initialization of EfficientNet's convolutions and the uniform one of its classifier
CONV_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                           "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
DENSE_KERNEL_INITIALIZER = {"class_name": "VarianceScaling",
                            "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}


def make_divisible(value: float, divisor: int = 8, min_value: int | None = None) -> int:
    """``value`` rounded to the nearest multiple of ``divisor`` (at least ``min_value``), raised one step when
    rounding would lose more than 10%."""
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def batch_norm(x: Any, name: str | None, epsilon: float = 1e-3, momentum: float = 0.99, scale: bool = True) -> Any:
    return layers.BatchNormalization(axis=channel_axis(), epsilon=epsilon, momentum=momentum, scale=scale,
                                     name=name)(x)


def conv_bn(x: Any, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
            use_bias: bool = False, conv_name: str | None = None, bn_name: str | None = None,
            activation: Any = None, act_name: str | None = None, epsilon: float = 1e-3, momentum: float = 0.99,
            scale: bool = True, **conv_kwargs: Any) -> Any:
    """Conv2D -> BatchNormalization -> Activation(``activation``) (no activation layer when it is None)."""
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=conv_name,
                      **conv_kwargs)(x)
    x = batch_norm(x, bn_name, epsilon, momentum, scale)
    return x if activation is None else layers.Activation(activation, name=act_name)(x)


def squeeze_excite(x: Any, filters: int, filters_in: int, se_ratio: float, activation: Any, name: str) -> Any:
    """x * sigmoid(W2 act(W1 mean(x))): a per-channel gate from the global average (EfficientNet's form,
    reduced to ``filters_in * se_ratio`` channels)."""
    reduced = max(1, int(filters_in * se_ratio))
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    shape = (1, 1, filters) if channel_axis() == 3 else (filters, 1, 1)
    se = layers.Reshape(shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(reduced, 1, padding="same", activation=activation, kernel_initializer=CONV_KERNEL_INITIALIZER,
                       name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", kernel_initializer=CONV_KERNEL_INITIALIZER,
                       name=f"{name}se_expand")(se)
    return layers.Multiply(name=f"{name}se_excite")([x, se])


def mbconv(inputs: Any, filters_in: int, filters_out: int, kernel_size: int, strides: int, expand_ratio: float,
           se_ratio: float, activation: Any, drop_rate: float, name: str, id_skip: bool = True,
           explicit_padding: bool = True, depthwise_name: str = "dwconv", bn_momentum: float = 0.99) -> Any:
    """The mobile inverted bottleneck: 1x1 expansion, depthwise convolution, squeeze-and-excitation, 1x1
    projection, and a residual sum (behind per-sample dropout) when the shape is kept.

    EfficientNet pads stride-2 depthwise convolutions explicitly (``explicit_padding``, a ZeroPadding2D then
    'valid'); EfficientNetV2 uses 'same' and names the depthwise layer ``dwconv2``.
    """
    filters = int(filters_in * expand_ratio)
    conv_init = CONV_KERNEL_INITIALIZER
    x = inputs
    if expand_ratio != 1:
        x = conv_bn(x, filters, 1, padding="same", conv_name=f"{name}expand_conv", bn_name=f"{name}expand_bn",
                    activation=activation, act_name=f"{name}expand_activation", momentum=bn_momentum,
                    kernel_initializer=conv_init)
    padding = "same"
    if strides == 2 and explicit_padding:
        x = layers.ZeroPadding2D(correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
        padding = "valid"
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding=padding, use_bias=False,
                               depthwise_initializer=conv_init, name=f"{name}{depthwise_name}")(x)
    x = batch_norm(x, f"{name}bn", momentum=bn_momentum)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters, filters_in, se_ratio, activation, name)
    x = conv_bn(x, filters_out, 1, padding="same", conv_name=f"{name}project_conv", bn_name=f"{name}project_bn",
                momentum=bn_momentum, kernel_initializer=conv_init)
    return residual(x, inputs, id_skip and strides == 1 and filters_in == filters_out, drop_rate, name)


def residual(x: Any, inputs: Any, keep_shape: bool, drop_rate: float, name: str) -> Any:
    """``x + inputs`` when the block keeps the shape, with whole samples of ``x`` dropped at ``drop_rate``
    during training (Dropout with a (batch, 1, 1, 1) noise shape)."""
    if not keep_shape:
        return x
    if drop_rate > 0:
        x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return layers.Add(name=f"{name}add")([x, inputs])
