"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., 2017): dense blocks where every layer's 32 new
channels are concatenated to all earlier ones, with halving transitions between blocks. Preprocessing: "torch".
Channels-last only, as in Keras."""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

WEIGHT_HASHES = {  # md5 (with top, without top) as published by Keras
    121: ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    169: ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    201: ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}
EPSILON = 1.001e-5


def _conv_block(x: Any, growth_rate: int, name: str) -> Any:
    """BN-ReLU-1x1 (4 x growth) then BN-ReLU-3x3 (growth), concatenated to the input."""
    y = blocks.batch_norm(x, f"{name}_0_bn", epsilon=EPSILON)
    y = layers.Activation("relu", name=f"{name}_0_relu")(y)
    y = blocks.conv_bn(y, 4 * growth_rate, 1, conv_name=f"{name}_1_conv", bn_name=f"{name}_1_bn", activation="relu",
                       act_name=f"{name}_1_relu", epsilon=EPSILON)
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=scaffold.channel_axis(), name=f"{name}_concat")([x, y])


def _transition(x: Any, reduction: float, name: str) -> Any:
    x = blocks.batch_norm(x, f"{name}_bn", epsilon=EPSILON)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[scaffold.channel_axis()] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def _densenet(depth: int, block_sizes: tuple[int, int, int, int], include_top: bool, weights: Any,
              input_tensor: Any, input_shape: Any, pooling: Any, classes: int, classifier_activation: Any,
              name: str) -> Any:
    if image_data_format() == "channels_first":
        raise ValueError("DenseNet does not support the `channels_first` image data format; use channels_last")
    pretrained.check_arguments(weights, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, 224, 32, image_data_format(), include_top, weights)
    img_input = scaffold.image_input(input_tensor, shape)
    x = layers.ZeroPadding2D(((3, 3), (3, 3)))(img_input)
    x = blocks.conv_bn(x, 64, 7, strides=2, conv_name="conv1_conv", bn_name="conv1_bn", activation="relu",
                       act_name="conv1_relu", epsilon=EPSILON)
    x = layers.ZeroPadding2D(((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, n in enumerate(block_sizes, start=2):
        for i in range(1, n + 1):
            x = _conv_block(x, 32, f"conv{stage}_block{i}")
        if stage < 5:
            x = _transition(x, 0.5, f"pool{stage}")
    x = blocks.batch_norm(x, "bn", epsilon=EPSILON)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = scaffold.global_pool(x, "avg", named=True)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights)
    else:
        x = scaffold.global_pool(x, pooling, named=True)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    suffix = "" if include_top else "_notop"
    file = pretrained.official(f"densenet{depth}_weights_tf_dim_ordering_tf_kernels{suffix}.h5", "densenet",
                               WEIGHT_HASHES[depth][0 if include_top else 1])
    return pretrained.load(model, weights, file)


def DenseNet121(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet121") -> Any:
    """DenseNet121 (8,062,504 parameters with the top); arguments as ``VGG16``."""
    return _densenet(121, (6, 12, 24, 16), include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, name)


def DenseNet169(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet169") -> Any:
    """DenseNet169 (14,307,880 parameters with the top); arguments as ``VGG16``."""
    return _densenet(169, (6, 12, 32, 32), include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, name)


def DenseNet201(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet201") -> Any:
    """DenseNet201 (20,242,984 parameters with the top); arguments as ``VGG16``."""
    return _densenet(201, (6, 12, 48, 32), include_top, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale to [0, 1] and normalize each channel with ImageNet's mean and standard deviation ("torch" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = imagenet_utils.decode_predictions
