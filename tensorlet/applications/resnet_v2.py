"""ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., 2016, "Identity Mappings"): pre-activation residual
blocks (normalization and ReLU before each convolution), in the ResNet frame of resnet.py. Preprocessing: "tf"."""
from __future__ import annotations

from typing import Any, Callable

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, resnet


def preact_bottleneck(x: Any, filters: int, stride: int = 1, conv_shortcut: bool = False, name: str = "") -> Any:
    """BN-ReLU, then 1x1, padded 3x3 (stride), 1x1 (4 x filters); the shortcut is a 1x1 projection of the
    pre-activation, a stride-``stride`` 1x1 max pooling, or the input itself."""
    preact = blocks.batch_norm(x, f"{name}_preact_bn", epsilon=resnet.EPSILON)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = blocks.conv_bn(preact, filters, 1, conv_name=f"{name}_1_conv", bn_name=f"{name}_1_bn", activation="relu",
                       act_name=f"{name}_1_relu", epsilon=resnet.EPSILON)
    x = layers.ZeroPadding2D(((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = blocks.conv_bn(x, filters, 3, strides=stride, conv_name=f"{name}_2_conv", bn_name=f"{name}_2_bn",
                       activation="relu", act_name=f"{name}_2_relu", epsilon=resnet.EPSILON)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stage(x: Any, filters: int, n_blocks: int, stride: int = 2, name: str = "") -> Any:
    """The first block projects the shortcut; the last one downsamples (v2 strides at the end of a stage)."""
    x = preact_bottleneck(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, n_blocks):
        x = preact_bottleneck(x, filters, name=f"{name}_block{i}")
    return preact_bottleneck(x, filters, stride=stride, name=f"{name}_block{n_blocks}")


def _stages(depths: tuple[int, int, int, int]) -> Callable[[Any], Any]:
    def stack(x: Any) -> Any:
        for filters, n, name in zip((64, 128, 256), depths[:3], ("conv2", "conv3", "conv4")):
            x = stage(x, filters, n, name=name)
        return stage(x, 512, depths[3], stride=1, name="conv5")
    return stack


def ResNet50V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
               input_shape: Any = None, pooling: Any = None, classes: int = 1000,
               classifier_activation: Any = "softmax", name: str = "resnet50v2") -> Any:
    """ResNet50V2 (25,613,800 parameters with the top); arguments as ``resnet.ResNet50``."""
    return resnet.build(_stages((3, 4, 6, 3)), True, "resnet50v2", include_top, weights, input_tensor, input_shape,
                        pooling, classes, classifier_activation, name)


def ResNet101V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "resnet101v2") -> Any:
    """ResNet101V2 (44,675,560 parameters with the top); arguments as ``resnet.ResNet50``."""
    return resnet.build(_stages((3, 4, 23, 3)), True, "resnet101v2", include_top, weights, input_tensor,
                        input_shape, pooling, classes, classifier_activation, name)


def ResNet152V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "resnet152v2") -> Any:
    """ResNet152V2 (60,380,648 parameters with the top); arguments as ``resnet.ResNet50``."""
    return resnet.build(_stages((3, 8, 36, 3)), True, "resnet152v2", include_top, weights, input_tensor,
                        input_shape, pooling, classes, classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixel values from [0, 255] to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
