"""MobileNetV2 (Sandler et al., 2018): inverted residual blocks (1x1 expansion, 3x3 depthwise, linear 1x1
projection) with ReLU6, width multiplier ``alpha``. Preprocessing: "tf"."""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.applications.mobilenet import square_default, weights_rows
from tensorlet.config import image_data_format

# Keras publishes no checksums for the MobileNetV2 files
WEIGHT_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
WEIGHT_SIZES = (96, 128, 160, 192, 224)
# (output filters, stride, expansion) of the 17 blocks
BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6), (64, 1, 6),
          (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6))
BN: dict[str, Any] = {"epsilon": 1e-3, "momentum": 0.999}


def _inverted_residual(inputs: Any, expansion: int, stride: int, alpha: float, filters: int, block_id: int) -> Any:
    in_channels = inputs.shape[scaffold.channel_axis()]
    out_channels = blocks.make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = blocks.conv_bn(x, expansion * in_channels, 1, padding="same", conv_name=f"{prefix}expand",
                           bn_name=f"{prefix}expand_BN", **BN)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(imagenet_utils.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(3, strides=stride, use_bias=False, padding="same" if stride == 1 else "valid",
                               name=f"{prefix}depthwise")(x)
    x = blocks.batch_norm(x, f"{prefix}depthwise_BN", **BN)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = blocks.conv_bn(x, out_channels, 1, padding="same", conv_name=f"{prefix}project", bn_name=f"{prefix}project_BN",
                       **BN)
    if in_channels == out_channels and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def MobileNetV2(input_shape: Any = None, alpha: float = 1.0, include_top: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str | None = None) -> Any:
    """MobileNetV2 (3,538,984 parameters at alpha=1 with the top).

    Args:
        input_shape: (height, width, channels), at least 32x32 (ImageNet weights exist for 96, 128, 160, 192 and
            224 squares; other sizes load the 224 ones).
        alpha: width multiplier (ImageNet weights: 0.35, 0.5, 0.75, 1.0, 1.3 or 1.4).
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as in ``VGG16``.
        name: the model's name (``mobilenetv2_<alpha>_<rows>`` by default).
    """
    pretrained.check_arguments(weights, include_top, classes)
    if input_shape is None and input_tensor is not None and hasattr(input_tensor, "shape"):
        guess = tuple(input_tensor.shape)[1:]
    else:
        guess = input_shape
    shape = imagenet_utils.obtain_input_shape(input_shape, square_default(guess, WEIGHT_SIZES), 32,
                                              image_data_format(), include_top, weights)
    i = 1 if image_data_format() == "channels_first" else 0
    rows, cols = shape[i], shape[i + 1]
    if weights == "imagenet":
        if alpha not in WEIGHT_ALPHAS:
            raise ValueError(f"If imagenet weights are being loaded, alpha must be one of 0.35, 0.50, 0.75, 1.0, 1.3 or "
                             f"1.4 only; received alpha={alpha}")
        rows = weights_rows(rows, cols, WEIGHT_SIZES)
    img_input = scaffold.image_input(input_tensor, shape)
    x = blocks.conv_bn(img_input, blocks.make_divisible(32 * alpha, 8), 3, strides=2, padding="same",
                       conv_name="Conv1", bn_name="bn_Conv1", **BN)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(BLOCKS):
        x = _inverted_residual(x, expansion, stride, alpha, filters, block_id)
    last = blocks.make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = blocks.conv_bn(x, last, 1, conv_name="Conv_1", bn_name="Conv_1_bn", **BN)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights)
    else:
        x = scaffold.global_pool(x, pooling)
    model = scaffold.build_model(input_tensor, img_input, x, name or f"mobilenetv2_{alpha:0.2f}_{rows}")
    file = None
    if weights == "imagenet":
        top = "" if include_top else "_no_top"
        file = pretrained.official(f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{top}.h5",
                                   "mobilenet_v2", None)
    return pretrained.load(model, weights, file)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixel values from [0, 255] to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
