"""ResNet50, ResNet101 and ResNet152 (He et al., 2015): bottleneck residual blocks with batch normalization
after each convolution. Preprocessing: "caffe".

The stem and top are shared with ResNet v2 (resnet_v2.py), whose blocks put normalization before convolution.
"""
from __future__ import annotations

from typing import Any, Callable

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

WEIGHT_HASHES = {  # md5 (with top, without top) as published by Keras
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
EPSILON = 1.001e-5


def weight_file(weights_name: str, include_top: bool) -> pretrained.WeightFile:
    suffix = "" if include_top else "_notop"
    return pretrained.official(f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5", "resnet",
                            WEIGHT_HASHES[weights_name][0 if include_top else 1])


def build(stack: Callable[[Any], Any], preact: bool, weights_name: str, include_top: bool, weights_arg: Any,
          input_tensor: Any, input_shape: Any, pooling: Any, classes: int, classifier_activation: Any,
          name: str) -> Any:
    """The ResNet frame around ``stack`` (the residual stages): a padded 7x7/2 stem and 3x3/2 max pooling; v1
    normalizes the stem, v2 (``preact``) normalizes the stages' output instead."""
    pretrained.check_arguments(weights_arg, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, 224, 32, image_data_format(), include_top, weights_arg)
    img_input = scaffold.image_input(input_tensor, shape)
    x = layers.ZeroPadding2D(((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    if not preact:
        x = blocks.batch_norm(x, "conv1_bn", epsilon=EPSILON)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack(x)
    if preact:
        x = blocks.batch_norm(x, "post_bn", epsilon=EPSILON)
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = scaffold.global_pool(x, "avg", named=True)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights_arg)
    else:
        x = scaffold.global_pool(x, pooling, named=True)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    return pretrained.load(model, weights_arg, weight_file(weights_name, include_top))


def bottleneck(x: Any, filters: int, stride: int = 1, conv_shortcut: bool = True, name: str = "") -> Any:
    """1x1 (stride), 3x3, 1x1 (4 x filters), each normalized, plus the shortcut (a normalized 1x1 projection
    when the shape changes), then ReLU."""
    if conv_shortcut:
        shortcut = blocks.conv_bn(x, 4 * filters, 1, strides=stride, use_bias=True, conv_name=f"{name}_0_conv",
                                  bn_name=f"{name}_0_bn", epsilon=EPSILON)
    else:
        shortcut = x
    x = blocks.conv_bn(x, filters, 1, strides=stride, use_bias=True, conv_name=f"{name}_1_conv",
                       bn_name=f"{name}_1_bn", activation="relu", act_name=f"{name}_1_relu", epsilon=EPSILON)
    x = blocks.conv_bn(x, filters, 3, padding="same", use_bias=True, conv_name=f"{name}_2_conv",
                       bn_name=f"{name}_2_bn", activation="relu", act_name=f"{name}_2_relu", epsilon=EPSILON)
    x = blocks.conv_bn(x, 4 * filters, 1, use_bias=True, conv_name=f"{name}_3_conv", bn_name=f"{name}_3_bn",
                       epsilon=EPSILON)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stage(x: Any, filters: int, n_blocks: int, stride: int = 2, name: str = "") -> Any:
    x = bottleneck(x, filters, stride=stride, name=f"{name}_block1")
    for i in range(2, n_blocks + 1):
        x = bottleneck(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _stages(depths: tuple[int, int, int, int]) -> Callable[[Any], Any]:
    def stack(x: Any) -> Any:
        x = stage(x, 64, depths[0], stride=1, name="conv2")
        for filters, n, name in zip((128, 256, 512), depths[1:], ("conv3", "conv4", "conv5")):
            x = stage(x, filters, n, name=name)
        return x
    return stack


def ResNet50(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
             pooling: Any = None, classes: int = 1000, classifier_activation: Any = "softmax",
             name: str = "resnet50") -> Any:
    """ResNet50 (25,636,712 parameters with the top).

    Args:
        include_top: end with global average pooling and a ``classes``-way Dense classifier.
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a symbolic tensor to use as the input.
        input_shape: (height, width, channels), at least 32x32 (224x224 with the top and ImageNet weights).
        pooling: None, "avg" or "max": global pooling of the last feature map when ``include_top`` is False.
        classes: the number of classes of the top.
        classifier_activation: the top's activation (softmax or None with pretrained weights).
        name: the model's name.
    """
    return build(_stages((3, 4, 6, 3)), False, "resnet50", include_top, weights, input_tensor, input_shape, pooling,
                 classes, classifier_activation, name)


def ResNet101(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
              pooling: Any = None, classes: int = 1000, classifier_activation: Any = "softmax",
              name: str = "resnet101") -> Any:
    """ResNet101 (44,707,176 parameters with the top); arguments as ``ResNet50``."""
    return build(_stages((3, 4, 23, 3)), False, "resnet101", include_top, weights, input_tensor, input_shape,
                 pooling, classes, classifier_activation, name)


def ResNet152(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
              pooling: Any = None, classes: int = 1000, classifier_activation: Any = "softmax",
              name: str = "resnet152") -> Any:
    """ResNet152 (60,419,944 parameters with the top); arguments as ``ResNet50``."""
    return build(_stages((3, 8, 36, 3)), False, "resnet152", include_top, weights, input_tensor, input_shape,
                 pooling, classes, classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """RGB to BGR and ImageNet mean subtraction ("caffe" mode), from pixel values in [0, 255]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
