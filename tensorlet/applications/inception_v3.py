"""InceptionV3 (Szegedy et al., 2015): factorized inception modules (1x1, 5x5 as two 3x3, 7x7 as 1x7 and
7x1, pooling branches) with batch-normalized convolutions. Preprocessing: "tf".

Keras leaves the convolutions unnamed (conv2d, conv2d_1, ...): the official weights file is matched by position,
which the Keras layer order (models/graph_order.py) makes the same here.
"""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

WEIGHT_FILES = (pretrained.official("inception_v3_weights_tf_dim_ordering_tf_kernels.h5", "inception_v3",
                                    "9a0d58056eeedaa3f26cb7ebd46da564"),
                pretrained.official("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", "inception_v3",
                                    "bcbd6486424b2319ff4ef7d526e38f63"))


def conv2d_bn(x: Any, filters: int, rows: int, cols: int, padding: str = "same", strides: Any = 1,
              name: str | None = None) -> Any:
    """Conv2D (no bias) -> BatchNormalization (no scale) -> ReLU; ``name`` names the three as Keras does."""
    return blocks.conv_bn(x, filters, (rows, cols), strides=strides, padding=padding,
                          conv_name=f"{name}_conv" if name else None, bn_name=f"{name}_bn" if name else None,
                          activation="relu", act_name=name, scale=False)


def _avg_branch(x: Any, filters: int) -> Any:
    return conv2d_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), filters, 1, 1)


def _module_a(x: Any, pool_filters: int, name: str) -> Any:
    b1 = conv2d_bn(x, 64, 1, 1)
    b5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    b3 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    return layers.Concatenate(axis=scaffold.channel_axis(), name=name)([b1, b5, b3, _avg_branch(x, pool_filters)])


def _module_c(x: Any, width: int, name: str) -> Any:
    """The 17x17 module: 7x7 convolutions factorized into 1x7 and 7x1 at ``width`` channels."""
    b1 = conv2d_bn(x, 192, 1, 1)
    b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, width, 1, 1), width, 1, 7), 192, 7, 1)
    b77 = conv2d_bn(x, width, 1, 1)
    for filters, (r, c) in ((width, (7, 1)), (width, (1, 7)), (width, (7, 1)), (192, (1, 7))):
        b77 = conv2d_bn(b77, filters, r, c)
    return layers.Concatenate(axis=scaffold.channel_axis(), name=name)([b1, b7, b77, _avg_branch(x, 192)])


def _module_e(x: Any, index: int) -> Any:
    """The 8x8 module with expanded filter banks (1x3 and 3x1 side by side)."""
    axis = scaffold.channel_axis()
    b1 = conv2d_bn(x, 320, 1, 1)
    b3 = conv2d_bn(x, 384, 1, 1)
    b3 = layers.Concatenate(axis=axis, name=f"mixed9_{index}")([conv2d_bn(b3, 384, 1, 3), conv2d_bn(b3, 384, 3, 1)])
    b33 = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    b33 = layers.Concatenate(axis=axis)([conv2d_bn(b33, 384, 1, 3), conv2d_bn(b33, 384, 3, 1)])
    return layers.Concatenate(axis=axis, name=f"mixed{9 + index}")([b1, b3, b33, _avg_branch(x, 192)])


def InceptionV3(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "inception_v3") -> Any:
    """InceptionV3 (23,851,784 parameters with the top); inputs at least 75x75, 299x299 by default; other
    arguments as ``VGG16``."""
    pretrained.check_arguments(weights, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, 299, 75, image_data_format(), include_top, weights)
    img_input = scaffold.image_input(input_tensor, shape)
    axis = scaffold.channel_axis()
    x = conv2d_bn(img_input, 32, 3, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    for i, pool_filters in enumerate((32, 64, 64)):  # mixed0-2: 35x35
        x = _module_a(x, pool_filters, f"mixed{i}")
    b3 = conv2d_bn(x, 384, 3, 3, strides=2, padding="valid")  # mixed3: reduction to 17x17
    b33 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=2, padding="valid")
    x = layers.Concatenate(axis=axis, name="mixed3")([b3, b33, layers.MaxPooling2D(3, strides=2)(x)])
    for i, width in enumerate((128, 160, 160, 192)):  # mixed4-7: 17x17
        x = _module_c(x, width, f"mixed{4 + i}")
    b3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=2, padding="valid")  # mixed8: reduction to 8x8
    b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    b7 = conv2d_bn(b7, 192, 3, 3, strides=2, padding="valid")
    x = layers.Concatenate(axis=axis, name="mixed8")([b3, b7, layers.MaxPooling2D(3, strides=2)(x)])
    for i in range(2):  # mixed9-10: 8x8
        x = _module_e(x, i)
    if include_top:
        x = scaffold.global_pool(x, "avg", named=True)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights)
    else:
        x = scaffold.global_pool(x, pooling)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    return pretrained.load(model, weights, WEIGHT_FILES[0 if include_top else 1])


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixel values from [0, 255] to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
