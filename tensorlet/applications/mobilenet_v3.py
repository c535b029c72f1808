"""MobileNetV3Small and MobileNetV3Large (Howard et al., 2019): inverted residual blocks with optional
squeeze-and-excitation and hard-swish activations; the model rescales its [0, 255] inputs itself (no
``preprocess_input`` needed: it returns its input).

As in Keras 3, the hard sigmoid of the squeeze-and-excitation gate is ``ReLU(6)(x + 3) * (1/6)`` with the sum and
the product as hidden graph operations (layers/core/operation.py), so ``model.layers`` matches Keras 3's.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format
from tensorlet.layers.core import operation

WEIGHT_HASHES = {  # md5 (with top, without top) as published by Keras
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
}
BN: dict[str, Any] = {"epsilon": 1e-3, "momentum": 0.999}
# (expansion, filters, kernel ("k": the model's kernel), stride, squeeze-excite?, activation ("relu" or "act":
# the model's)) of each block
SMALL = ((1, 16, 3, 2, True, "relu"), (72 / 16, 24, 3, 2, False, "relu"), (88 / 24, 24, 3, 1, False, "relu"),
         (4, 40, "k", 2, True, "act"), (6, 40, "k", 1, True, "act"), (6, 40, "k", 1, True, "act"),
         (3, 48, "k", 1, True, "act"), (3, 48, "k", 1, True, "act"), (6, 96, "k", 2, True, "act"),
         (6, 96, "k", 1, True, "act"), (6, 96, "k", 1, True, "act"))
LARGE = ((1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"), (3, 24, 3, 1, False, "relu"),
         (3, 40, "k", 2, True, "relu"), (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
         (6, 80, 3, 2, False, "act"), (2.5, 80, 3, 1, False, "act"), (2.3, 80, 3, 1, False, "act"),
         (2.3, 80, 3, 1, False, "act"), (6, 112, 3, 1, True, "act"), (6, 112, 3, 1, True, "act"),
         (6, 160, "k", 2, True, "act"), (6, 160, "k", 1, True, "act"), (6, 160, "k", 1, True, "act"))


def relu(x: Any) -> Any:
    return layers.ReLU()(x)


def hard_swish(x: Any) -> Any:
    return layers.Activation("hard_swish")(x)


def hard_sigmoid(x: Any) -> Any:
    """relu6(x + 3) / 6, written as Keras 3 writes it."""
    return operation.multiply(layers.ReLU(6.0)(operation.add(x, 3.0)), 1.0 / 6.0)


def _squeeze_excite(inputs: Any, filters: int, se_ratio: float, prefix: str) -> Any:
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(blocks.make_divisible(filters * se_ratio), 1, padding="same",
                      name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, 1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, hard_sigmoid(x)])


def _inverted_residual(x: Any, expansion: float, filters: int, kernel_size: int, stride: int, se_ratio: Any,
                       activation: Callable[[Any], Any], block_id: int) -> Any:
    shortcut = x
    in_channels = x.shape[scaffold.channel_axis()]
    expanded = blocks.make_divisible(in_channels * expansion)
    prefix = "expanded_conv_"
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = blocks.conv_bn(x, expanded, 1, padding="same", conv_name=f"{prefix}expand", bn_name=f"{prefix}expand_bn",
                           **BN)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(imagenet_utils.correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
                               use_bias=False, name=f"{prefix}depthwise")(x)
    x = blocks.batch_norm(x, f"{prefix}depthwise_bn", **BN)
    x = activation(x)
    if se_ratio:
        x = _squeeze_excite(x, expanded, se_ratio, prefix)
    x = blocks.conv_bn(x, filters, 1, padding="same", conv_name=f"{prefix}project", bn_name=f"{prefix}project_bn",
                       **BN)
    if stride == 1 and in_channels == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _mobilenet_v3(table: Any, last_point_channels: int, model_type: str, input_shape: Any, alpha: float,
                  minimalistic: bool, include_top: bool, weights: Any, input_tensor: Any, classes: int, pooling: Any,
                  dropout_rate: float, classifier_activation: Any, include_preprocessing: bool, name: str) -> Any:
    pretrained.check_arguments(weights, include_top, classes)
    channels_last = image_data_format() == "channels_last"
    if input_shape is None and input_tensor is not None and hasattr(input_tensor, "shape"):
        input_shape = tuple(input_tensor.shape)[1:]
    if input_shape is None:
        input_shape = (None, None, 3) if channels_last else (3, None, None)
    rows, cols = (input_shape[0], input_shape[1]) if channels_last else (input_shape[1], input_shape[2])
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; received input_shape={tuple(input_shape)}")
    if weights == "imagenet":
        if (alpha not in (0.75, 1.0)) if not minimalistic else alpha != 1.0:
            raise ValueError("If imagenet weights are being loaded, alpha can be one of 0.75 or 1.0 for non "
                             f"minimalistic or 1.0 for minimalistic only; received alpha={alpha}")
        if rows != cols or rows != 224:
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not 224. Weights for input shape "
                          "(224, 224) will be loaded as the default.", stacklevel=3)
    img_input = scaffold.image_input(input_tensor, tuple(input_shape))
    kernel, act, se_ratio = (3, relu, None) if minimalistic else (5, hard_swish, 0.25)
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = blocks.conv_bn(x, 16, 3, strides=2, padding="same", conv_name="conv", bn_name="conv_bn", **BN)
    x = act(x)
    for block_id, (expansion, filters, k, stride, se, kind) in enumerate(table):
        x = _inverted_residual(x, expansion, blocks.make_divisible(filters * alpha), kernel if k == "k" else k, stride,
                               se_ratio if se else None, act if kind == "act" else relu, block_id)
    last_conv = blocks.make_divisible(x.shape[scaffold.channel_axis()] * 6)
    if alpha > 1.0:
        last_point_channels = blocks.make_divisible(last_point_channels * alpha)
    x = blocks.conv_bn(x, last_conv, 1, padding="same", conv_name="conv_1", bn_name="conv_1_bn", **BN)
    x = act(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_channels, 1, padding="same", use_bias=True, name="conv_2")(x)
        x = act(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, 1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    else:
        x = scaffold.global_pool(x, pooling, named=True)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    file = None
    if weights == "imagenet":
        key = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
        fname = f"weights_mobilenet_v3_{key}{'' if include_top else '_no_top_v2'}.h5"
        file = pretrained.official(fname, "mobilenet_v3", WEIGHT_HASHES[key][0 if include_top else 1])
    return pretrained.load(model, weights, file)


def MobileNetV3Small(input_shape: Any = None, alpha: float = 1.0, minimalistic: bool = False,
                     include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     classes: int = 1000, pooling: Any = None, dropout_rate: float = 0.2,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "MobileNetV3Small") -> Any:
    """MobileNetV3Small (2,554,968 parameters at alpha=1 with the top).

    Args:
        input_shape: (height, width, channels), at least 32x32; any size by default (ImageNet weights: 224).
        alpha: width multiplier (ImageNet weights: 0.75 or 1.0; 1.0 when minimalistic).
        minimalistic: 3x3 kernels, ReLU and no squeeze-and-excitation.
        dropout_rate: dropout before the classifier.
        include_preprocessing: rescale [0, 255] inputs to [-1, 1] inside the model.
        include_top, weights, input_tensor, classes, pooling, classifier_activation, name: as in ``VGG16``.
    """
    return _mobilenet_v3(SMALL, 1024, "small", input_shape, alpha, minimalistic, include_top, weights, input_tensor,
                         classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape: Any = None, alpha: float = 1.0, minimalistic: bool = False,
                     include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     classes: int = 1000, pooling: Any = None, dropout_rate: float = 0.2,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "MobileNetV3Large") -> Any:
    """MobileNetV3Large (5,507,432 parameters at alpha=1 with the top); arguments as ``MobileNetV3Small``."""
    return _mobilenet_v3(LARGE, 1280, "large", input_shape, alpha, minimalistic, include_top, weights, input_tensor,
                         classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """The identity: MobileNetV3 rescales its inputs itself (``include_preprocessing=True``)."""
    return x


decode_predictions = imagenet_utils.decode_predictions
