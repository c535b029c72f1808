"""EfficientNetV2 B0-B3, S, M and L (Tan & Le, 2021): Fused-MBConv stages (a full convolution in place of
expansion + depthwise) followed by MBConv stages with squeeze-and-excitation (blocks.mbconv). The model
rescales its [0, 255] inputs itself (``preprocess_input`` returns its input): B0-B3 to ImageNet's mean and
standard deviation (a Normalization layer with fixed statistics, no weights), S/M/L to [-1, 1].
"""
from __future__ import annotations

import math
from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

WEIGHT_HASHES = {  # md5 (with top, without top) as published by Keras
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}
# (kernel, repeats, filters in, filters out, expansion, se_ratio, stride, fused) per stage
_B = ((3, 1, 32, 16, 1, 0, 1, True), (3, 2, 16, 32, 4, 0, 2, True), (3, 2, 32, 48, 4, 0, 2, True),
      (3, 3, 48, 96, 4, 0.25, 2, False), (3, 5, 96, 112, 6, 0.25, 1, False), (3, 8, 112, 192, 6, 0.25, 2, False))
STAGES = {
    "b": _B,
    "s": ((3, 2, 24, 24, 1, 0, 1, True), (3, 4, 24, 48, 4, 0, 2, True), (3, 4, 48, 64, 4, 0, 2, True),
          (3, 6, 64, 128, 4, 0.25, 2, False), (3, 9, 128, 160, 6, 0.25, 1, False),
          (3, 15, 160, 256, 6, 0.25, 2, False)),
    "m": ((3, 3, 24, 24, 1, 0, 1, True), (3, 5, 24, 48, 4, 0, 2, True), (3, 5, 48, 80, 4, 0, 2, True),
          (3, 7, 80, 160, 4, 0.25, 2, False), (3, 14, 160, 176, 6, 0.25, 1, False),
          (3, 18, 176, 304, 6, 0.25, 2, False), (3, 5, 304, 512, 6, 0.25, 1, False)),
    "l": ((3, 4, 32, 32, 1, 0, 1, True), (3, 7, 32, 64, 4, 0, 2, True), (3, 7, 64, 96, 4, 0, 2, True),
          (3, 10, 96, 192, 4, 0.25, 2, False), (3, 19, 192, 224, 6, 0.25, 1, False),
          (3, 25, 224, 384, 6, 0.25, 2, False), (3, 7, 384, 640, 6, 0.25, 1, False)),
}
# (width, depth, default resolution) per variant
SCALING = {"b0": (1.0, 1.0, 224), "b1": (1.0, 1.1, 240), "b2": (1.1, 1.2, 260), "b3": (1.2, 1.4, 300),
           "s": (1.0, 1.0, 384), "m": (1.0, 1.0, 480), "l": (1.0, 1.0, 480)}
BN_MOMENTUM = 0.9


def round_filters(filters: float, width: float, min_depth: int = 8, divisor: int = 8) -> int:
    """filters x width to the nearest multiple of ``divisor`` (no 10% rule, unlike EfficientNet v1)."""
    return int(max(min_depth or divisor, int(filters * width + divisor / 2) // divisor * divisor))


def fused_mbconv(inputs: Any, filters_in: int, filters_out: int, kernel_size: int, strides: int,
                 expand_ratio: float, se_ratio: float, activation: Any, drop_rate: float, name: str) -> Any:
    """A full kxk convolution (expansion and spatial mixing in one), optional squeeze-and-excitation, a 1x1
    projection; without expansion the projection is the kxk convolution and gets the activation."""
    filters = int(filters_in * expand_ratio)
    init = blocks.CONV_KERNEL_INITIALIZER
    x = inputs
    if expand_ratio != 1:
        x = blocks.conv_bn(x, filters, kernel_size, strides=strides, padding="same", conv_name=f"{name}expand_conv",
                           bn_name=f"{name}expand_bn", activation=activation, act_name=f"{name}expand_activation",
                           momentum=BN_MOMENTUM, kernel_initializer=init)
    if 0 < se_ratio <= 1:
        x = blocks.squeeze_excite(x, filters, filters_in, se_ratio, activation, name)
    expanded = expand_ratio != 1
    x = blocks.conv_bn(x, filters_out, 1 if expanded else kernel_size, strides=1 if expanded else strides,
                       padding="same", conv_name=f"{name}project_conv", bn_name=f"{name}project_bn",
                       momentum=BN_MOMENTUM, kernel_initializer=init)
    if not expanded:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    return blocks.residual(x, inputs, strides == 1 and filters_in == filters_out, drop_rate, name)


def _efficientnet_v2(variant: str, include_top: bool, weights: Any, input_tensor: Any, input_shape: Any,
                     pooling: Any, classes: int, classifier_activation: Any, include_preprocessing: bool, name: str,
                     dropout_rate: float = 0.2, drop_connect_rate: float = 0.2, activation: Any = "swish") -> Any:
    width, depth, size = SCALING[variant]
    stages = STAGES["b" if variant.startswith("b") else variant]
    pretrained.check_arguments(weights, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, size, 32, image_data_format(), include_top, weights)
    img_input = scaffold.image_input(input_tensor, shape)
    axis = scaffold.channel_axis()
    x = img_input
    if include_preprocessing:
        if variant.startswith("b") and shape[axis - 1] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2],
                                     axis=axis)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = blocks.conv_bn(x, round_filters(stages[0][2], width), 3, strides=2, padding="same", conv_name="stem_conv",
                       bn_name="stem_bn", activation=activation, act_name="stem_activation", momentum=BN_MOMENTUM,
                       kernel_initializer=blocks.CONV_KERNEL_INITIALIZER)
    total = float(sum(stage[1] for stage in stages))  # Keras spreads the drop rate over the unscaled repeats
    b = 0
    for i, (kernel, n, f_in, f_out, expansion, se_ratio, stride, fused) in enumerate(stages):
        f_in, f_out = round_filters(f_in, width), round_filters(f_out, width)
        for j in range(int(math.ceil(depth * n))):
            args = (f_in if j == 0 else f_out, f_out, kernel, stride if j == 0 else 1, expansion, se_ratio,
                    activation, drop_connect_rate * b / total)
            block_name = f"block{i + 1}{chr(j + 97)}_"
            if fused:
                x = fused_mbconv(x, *args, name=block_name)
            else:
                x = blocks.mbconv(x, *args, name=block_name, explicit_padding=False, depthwise_name="dwconv2",
                                  bn_momentum=BN_MOMENTUM)
            b += 1
    x = blocks.conv_bn(x, round_filters(1280, width), 1, padding="same", conv_name="top_conv", bn_name="top_bn",
                       activation=activation, act_name="top_activation", momentum=BN_MOMENTUM,
                       kernel_initializer=blocks.CONV_KERNEL_INITIALIZER)
    if include_top:
        x = scaffold.global_pool(x, "avg", named=True)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights,
                                      kernel_initializer=blocks.DENSE_KERNEL_INITIALIZER, bias_initializer="zeros")
    else:
        x = scaffold.global_pool(x, pooling, named=True)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    fname = f"efficientnetv2-{variant}{'' if include_top else '_notop'}.h5"
    file = pretrained.official(fname, "efficientnet_v2", WEIGHT_HASHES[variant][0 if include_top else 1])
    return pretrained.load(model, weights, file)


_DOC = """{name} ({params} parameters with the top; {size}x{size} inputs by default).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as in
            ``VGG16`` (inputs at least 32x32, pixel values in [0, 255]).
        include_preprocessing: rescale (and for B0-B3 normalize) the inputs inside the model.
    """


def EfficientNetV2B0(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b0") -> Any:
    return _efficientnet_v2("b0", include_top, weights, input_tensor, input_shape, pooling, classes,
                            classifier_activation, include_preprocessing, name)


def EfficientNetV2B1(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b1") -> Any:
    return _efficientnet_v2("b1", include_top, weights, input_tensor, input_shape, pooling, classes,
                            classifier_activation, include_preprocessing, name)


def EfficientNetV2B2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b2") -> Any:
    return _efficientnet_v2("b2", include_top, weights, input_tensor, input_shape, pooling, classes,
                            classifier_activation, include_preprocessing, name)


def EfficientNetV2B3(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b3") -> Any:
    return _efficientnet_v2("b3", include_top, weights, input_tensor, input_shape, pooling, classes,
                            classifier_activation, include_preprocessing, name)


def EfficientNetV2S(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                    input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                    classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                    name: str = "efficientnetv2-s") -> Any:
    return _efficientnet_v2("s", include_top, weights, input_tensor, input_shape, pooling, classes,
                            classifier_activation, include_preprocessing, name)


def EfficientNetV2M(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                    input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                    classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                    name: str = "efficientnetv2-m") -> Any:
    return _efficientnet_v2("m", include_top, weights, input_tensor, input_shape, pooling, classes,
                            classifier_activation, include_preprocessing, name)


def EfficientNetV2L(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                    input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                    classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                    name: str = "efficientnetv2-l") -> Any:
    return _efficientnet_v2("l", include_top, weights, input_tensor, input_shape, pooling, classes,
                            classifier_activation, include_preprocessing, name)


for _fn, _params, _size in ((EfficientNetV2B0, "7,200,312", 224), (EfficientNetV2B1, "8,212,124", 240),
                            (EfficientNetV2B2, "10,178,374", 260), (EfficientNetV2B3, "14,467,622", 300),
                            (EfficientNetV2S, "21,612,360", 384), (EfficientNetV2M, "54,431,388", 480),
                            (EfficientNetV2L, "119,027,848", 480)):
    _fn.__doc__ = _DOC.format(name=_fn.__name__, params=_params, size=_size)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """The identity: EfficientNetV2 rescales its [0, 255] inputs itself."""
    return x


decode_predictions = imagenet_utils.decode_predictions
