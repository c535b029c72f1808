"""Xception (Chollet, 2017): depthwise separable convolutions in residual blocks (entry flow, 8 middle blocks,
exit flow). Preprocessing: "tf"."""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

WEIGHT_FILES = (pretrained.official("xception_weights_tf_dim_ordering_tf_kernels.h5", "xception",
                                    "0a58e3b7378bc2990ea3b43d5981f1f6"),
                pretrained.official("xception_weights_tf_dim_ordering_tf_kernels_notop.h5", "xception",
                                    "b0042744bf5b25fce3cb969f33bebb97"))


def _sepconv_bn(x: Any, filters: int, name: str) -> Any:
    x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=name)(x)
    return blocks.batch_norm(x, f"{name}_bn")


def _downsampling_block(x: Any, filters: tuple[int, int], block: int, first_relu: bool = True) -> Any:
    """Two separable convolutions and a 3x3/2 max pooling, plus a 1x1/2 projected shortcut."""
    residual = layers.Conv2D(filters[1], 1, strides=2, padding="same", use_bias=False)(x)
    residual = blocks.batch_norm(residual, None)
    if first_relu:
        x = layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1")
    x = layers.Activation("relu", name=f"block{block}_sepconv2_act")(x)
    x = _sepconv_bn(x, filters[1], f"block{block}_sepconv2")
    x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"block{block}_pool")(x)
    return layers.Add()([x, residual])


def Xception(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
             pooling: Any = None, classes: int = 1000, classifier_activation: Any = "softmax",
             name: str = "xception") -> Any:
    """Xception (22,910,480 parameters with the top); inputs at least 71x71, 299x299 by default; other arguments
    as ``VGG16``."""
    pretrained.check_arguments(weights, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, 299, 71, image_data_format(), include_top, weights)
    img_input = scaffold.image_input(input_tensor, shape)
    x = blocks.conv_bn(img_input, 32, 3, strides=2, conv_name="block1_conv1", bn_name="block1_conv1_bn",
                       activation="relu", act_name="block1_conv1_act")
    x = blocks.conv_bn(x, 64, 3, conv_name="block1_conv2", bn_name="block1_conv2_bn", activation="relu",
                       act_name="block1_conv2_act")
    x = _downsampling_block(x, (128, 128), 2, first_relu=False)  # the entry flow
    x = _downsampling_block(x, (256, 256), 3)
    x = _downsampling_block(x, (728, 728), 4)
    for block in range(5, 13):  # the middle flow
        residual = x
        for i in (1, 2, 3):
            x = layers.Activation("relu", name=f"block{block}_sepconv{i}_act")(x)
            x = _sepconv_bn(x, 728, f"block{block}_sepconv{i}")
        x = layers.Add()([x, residual])
    x = _downsampling_block(x, (728, 1024), 13)  # the exit flow
    for i, filters in ((1, 1536), (2, 2048)):
        x = _sepconv_bn(x, filters, f"block14_sepconv{i}")
        x = layers.Activation("relu", name=f"block14_sepconv{i}_act")(x)
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
