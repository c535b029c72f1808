"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al., 2022): a patchify stem and four stages of blocks
(7x7 depthwise convolution, LayerNormalization, an MLP with GELU, LayerScale and a residual sum). The model
normalizes its [0, 255] inputs itself (``preprocess_input`` returns its input). Channels-last only, as in Keras.

As in Keras 3, the stem and the downsampling layers are small Sequential models inside the graph, and the
residual sums are hidden graph operations (layers/core/operation.py), not layers.
"""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications import imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format
from tensorlet.layers.core import operation

WEIGHT_HASHES = {  # sha256 (with top, without top) as published by Keras
    "convnext_tiny": ("8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": ("ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
                       "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": ("52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
                      "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": ("070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
                       "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": ("c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
                        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}
CONFIGS = {  # (blocks per stage, channels per stage)
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)),
    "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
    "base": ((3, 3, 27, 3), (128, 256, 512, 1024)),
    "large": ((3, 3, 27, 3), (192, 384, 768, 1536)),
    "xlarge": ((3, 3, 27, 3), (256, 512, 1024, 2048)),
}
EPSILON = 1e-6


def convnext_block(inputs: Any, channels: int, drop_path_rate: float, layer_scale_init_value: float | None,
                   name: str) -> Any:
    """x + StochasticDepth(LayerScale(Dense(GELU(Dense(LayerNorm(DepthwiseConv7x7(x)))))))."""
    x = layers.Conv2D(channels, 7, padding="same", groups=channels, name=f"{name}_depthwise_conv")(inputs)
    x = layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * channels, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(channels, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = layers.LayerScale(layer_scale_init_value, channels, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        x = layers.StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")(x)
    else:
        x = layers.Activation("linear", name=f"{name}_identity")(x)
    return operation.add(inputs, x)


def _convnext(size: str, include_top: bool, include_preprocessing: bool, weights: Any, input_tensor: Any,
              input_shape: Any, pooling: Any, classes: int, classifier_activation: Any, name: str,
              drop_path_rate: float = 0.0, layer_scale_init_value: float = 1e-6) -> Any:
    if image_data_format() == "channels_first":
        raise ValueError("ConvNeXt does not support the `channels_first` image data format; use channels_last")
    depths, channels = CONFIGS[size]
    pretrained.check_arguments(weights, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, 224, 32, image_data_format(), include_top, weights)
    img_input = scaffold.image_input(input_tensor, shape)
    x = img_input
    if include_preprocessing and shape[-1] == 3:
        x = layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                 variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                                 name=f"{name}_prestem_normalization")(x)
    from tensorlet.models.sequential import Sequential

    downsampling = [Sequential([layers.Conv2D(channels[0], 4, strides=4, name=f"{name}_stem_conv"),
                                layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_stem_layernorm")],
                               name=f"{name}_stem")]
    for i in range(3):
        downsampling.append(Sequential([
            layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_downsampling_layernorm_{i}"),
            layers.Conv2D(channels[i + 1], 2, strides=2, name=f"{name}_downsampling_conv_{i}")],
            name=f"{name}_downsampling_block_{i}"))
    n = sum(depths)
    rates = [drop_path_rate * k / (n - 1) if n > 1 else 0.0 for k in range(n)]  # evenly from 0 to the rate
    cur = 0
    for i in range(4):
        x = downsampling[i](x)
        for j in range(depths[i]):
            x = convnext_block(x, channels[i], rates[cur + j], layer_scale_init_value, f"{name}_stage_{i}_block_{j}")
        cur += depths[i]
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        x = scaffold.global_pool(x, pooling)
        x = layers.LayerNormalization(epsilon=EPSILON)(x)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    key = f"convnext_{size}"
    file = pretrained.official(f"{key}{'' if include_top else '_notop'}.h5", "convnext",
                               WEIGHT_HASHES[key][0 if include_top else 1])
    return pretrained.load(model, weights, file)


_DOC = """{name} ({params} parameters with the top; 224x224 inputs by default).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as in
            ``VGG16`` (inputs at least 32x32, pixel values in [0, 255]). Without the top, the pooled (or not)
            features go through a final LayerNormalization, as in Keras.
        include_preprocessing: normalize the inputs with ImageNet's statistics inside the model.
    """


def ConvNeXtTiny(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                 input_tensor: Any = None, input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                 classifier_activation: Any = "softmax", name: str = "convnext_tiny") -> Any:
    return _convnext("tiny", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, name)


def ConvNeXtSmall(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                  input_tensor: Any = None, input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                  classifier_activation: Any = "softmax", name: str = "convnext_small") -> Any:
    return _convnext("small", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name)


def ConvNeXtBase(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                 input_tensor: Any = None, input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                 classifier_activation: Any = "softmax", name: str = "convnext_base") -> Any:
    return _convnext("base", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
                     classifier_activation, name)


def ConvNeXtLarge(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                  input_tensor: Any = None, input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                  classifier_activation: Any = "softmax", name: str = "convnext_large") -> Any:
    return _convnext("large", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name)


def ConvNeXtXLarge(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                   input_tensor: Any = None, input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "convnext_xlarge") -> Any:
    return _convnext("xlarge", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name)


for _fn, _params in ((ConvNeXtTiny, "28,589,128"), (ConvNeXtSmall, "50,223,688"), (ConvNeXtBase, "88,591,464"),
                     (ConvNeXtLarge, "197,767,336"), (ConvNeXtXLarge, "350,196,968")):
    _fn.__doc__ = _DOC.format(name=_fn.__name__, params=_params)

LayerScale = layers.LayerScale  # where Keras 3 keeps them: keras.applications.convnext.LayerScale
StochasticDepth = layers.StochasticDepth


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """The identity: ConvNeXt normalizes its [0, 255] inputs itself."""
    return x


decode_predictions = imagenet_utils.decode_predictions
