"""MobileNet (v1, Howard et al., 2017): depthwise separable convolutions with ReLU6, width multiplier ``alpha``
and resolution multiplier ``depth_multiplier``. Preprocessing: "tf"."""
from __future__ import annotations

import warnings
from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

# Keras publishes no checksums for the MobileNet v1 files
WEIGHT_ALPHAS = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}
WEIGHT_SIZES = (128, 160, 192, 224)
# (pointwise filters, stride) of the 13 depthwise separable blocks
BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1),
          (512, 1), (1024, 2), (1024, 1))


def square_default(input_shape: Any, sizes: tuple[int, ...]) -> int:
    """The default size for ``obtain_input_shape``: the given square size when weights exist for it, else 224."""
    if input_shape is None:
        return 224
    i = 1 if image_data_format() == "channels_first" else 0
    rows, cols = input_shape[i], input_shape[i + 1]
    return rows if rows == cols and rows in sizes else 224


def weights_rows(rows: Any, cols: Any, sizes: tuple[int, ...]) -> int:
    """The resolution of the ImageNet file to load: the input's when it is square and published, else 224."""
    if rows != cols or rows not in sizes:
        warnings.warn(f"`input_shape` is undefined or non-square, or `rows` is not in {list(sizes)}. Weights for input "
                      "shape (224, 224) will be loaded as the default.", stacklevel=3)
        return 224
    return rows


def _depthwise_block(x: Any, filters: int, alpha: float, depth_multiplier: int, strides: int, block_id: int) -> Any:
    """3x3 depthwise (explicit asymmetric padding when strided) -> BN -> ReLU6 -> 1x1 -> BN -> ReLU6."""
    if strides != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(3, padding="same" if strides == 1 else "valid", depth_multiplier=depth_multiplier,
                               strides=strides, use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = blocks.batch_norm(x, f"conv_dw_{block_id}_bn")
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(filters * alpha), 1, padding="same", use_bias=False, name=f"conv_pw_{block_id}")(x)
    x = blocks.batch_norm(x, f"conv_pw_{block_id}_bn")
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def MobileNet(input_shape: Any = None, alpha: float = 1.0, depth_multiplier: int = 1, dropout: float = 1e-3,
              include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, pooling: Any = None,
              classes: int = 1000, classifier_activation: Any = "softmax", name: str | None = None) -> Any:
    """MobileNet v1 (4,253,864 parameters at alpha=1 with the top).

    Args:
        input_shape: (height, width, channels), at least 32x32.
        alpha: width multiplier of every layer's filters (ImageNet weights: 0.25, 0.5, 0.75 or 1.0).
        depth_multiplier: depthwise channel multiplier (1 for ImageNet weights).
        dropout: dropout rate before the classifier.
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as in ``VGG16``.
        name: the model's name (``mobilenet_<alpha>_<rows>`` by default).
    """
    pretrained.check_arguments(weights, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, square_default(input_shape, WEIGHT_SIZES), 32,
                                              image_data_format(), include_top, weights)
    i = 1 if image_data_format() == "channels_first" else 0
    rows, cols = shape[i], shape[i + 1]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError(f"If imagenet weights are being loaded, depth multiplier must be 1. Received "
                             f"depth_multiplier={depth_multiplier}")
        if alpha not in WEIGHT_ALPHAS:
            raise ValueError(f"If imagenet weights are being loaded, alpha can be one of 0.25, 0.50, 0.75 or 1.0 only. "
                             f"Received alpha={alpha}")
        rows = weights_rows(rows, cols, WEIGHT_SIZES)
    img_input = scaffold.image_input(input_tensor, shape)
    x = blocks.conv_bn(img_input, int(32 * alpha), 3, strides=2, padding="same", conv_name="conv1",
                       bn_name="conv1_bn")
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, strides) in enumerate(BLOCKS, start=1):
        x = _depthwise_block(x, filters, alpha, depth_multiplier, strides, block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, 1, padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(classifier_activation, name="predictions")(x)
    else:
        x = scaffold.global_pool(x, pooling)
    model = scaffold.build_model(input_tensor, img_input, x, name or f"mobilenet_{alpha:0.2f}_{rows}")
    file = None
    if weights == "imagenet":
        fname = f"mobilenet_{WEIGHT_ALPHAS[alpha]}_{rows}_tf{'' if include_top else '_no_top'}.h5"
        file = pretrained.official(fname, "mobilenet", None)
    return pretrained.load(model, weights, file)



def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixel values from [0, 255] to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
