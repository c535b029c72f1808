"""EfficientNetB0 to EfficientNetB7 (Tan & Le, 2019): MBConv blocks with squeeze-and-excitation and swish,
scaled in width, depth and resolution together. The model rescales and normalizes its [0, 255] inputs itself
(``preprocess_input`` returns its input).

The input normalization is a ``Normalization`` layer whose mean and variance come from the weights file (zeros
and ones without weights); with ImageNet weights a further Rescaling divides by the standard deviation once more,
as Keras does to match the original models (which divided by the variance).
"""
from __future__ import annotations

import math
from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

BASE_URL = "https://storage.googleapis.com/keras-applications/"
WEIGHT_HASHES = {  # md5 (with top, without top) as published by Keras
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
# (width, depth, resolution, dropout) of B0-B7
SCALING = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2), "b2": (1.1, 1.2, 260, 0.3),
           "b3": (1.2, 1.4, 300, 0.3), "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
           "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}
# B0's stages: (kernel, repeats, filters in, filters out, expansion, stride); all with se_ratio 0.25
STAGES = ((3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
          (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1))
IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)


def _efficientnet(variant: str, include_top: bool, weights: Any, input_tensor: Any, input_shape: Any, pooling: Any,
                  classes: int, classifier_activation: Any, name: str, drop_connect_rate: float = 0.2,
                  activation: Any = "swish") -> Any:
    width, depth, size, dropout_rate = SCALING[variant]
    pretrained.check_arguments(weights, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, size, 32, image_data_format(), include_top, weights)
    img_input = scaffold.image_input(input_tensor, shape)

    def filters(n: int) -> int:
        return blocks.make_divisible(n * width, 8)

    def repeats(n: int) -> int:
        return int(math.ceil(depth * n))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=scaffold.channel_axis())(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = blocks.conv_bn(x, filters(32), 3, strides=2, conv_name="stem_conv", bn_name="stem_bn",
                       activation=activation, act_name="stem_activation",
                       kernel_initializer=blocks.CONV_KERNEL_INITIALIZER)
    total = float(sum(repeats(stage[1]) for stage in STAGES))
    b = 0
    for i, (kernel, n, f_in, f_out, expansion, stride) in enumerate(STAGES):
        f_in, f_out = filters(f_in), filters(f_out)
        for j in range(repeats(n)):
            x = blocks.mbconv(x, f_in if j == 0 else f_out, f_out, kernel, stride if j == 0 else 1, expansion, 0.25,
                              activation, drop_connect_rate * b / total, name=f"block{i + 1}{chr(j + 97)}_")
            b += 1
    x = blocks.conv_bn(x, filters(1280), 1, padding="same", conv_name="top_conv", bn_name="top_bn",
                       activation=activation, act_name="top_activation",
                       kernel_initializer=blocks.CONV_KERNEL_INITIALIZER)
    if include_top:
        x = scaffold.global_pool(x, "avg", named=True)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights,
                                      kernel_initializer=blocks.DENSE_KERNEL_INITIALIZER)
    else:
        x = scaffold.global_pool(x, pooling, named=True)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    fname = f"efficientnet{variant}{'' if include_top else '_notop'}.h5"
    file = pretrained.official(fname, "", WEIGHT_HASHES[variant][0 if include_top else 1], base=BASE_URL)
    return pretrained.load(model, weights, file)


_DOC = """{name} ({params} parameters with the top; {size}x{size} inputs by default).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as in
            ``VGG16`` (inputs at least 32x32, pixel values in [0, 255]).
    """


def EfficientNetB0(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb0") -> Any:
    return _efficientnet("b0", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


def EfficientNetB1(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb1") -> Any:
    return _efficientnet("b1", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


def EfficientNetB2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb2") -> Any:
    return _efficientnet("b2", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


def EfficientNetB3(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb3") -> Any:
    return _efficientnet("b3", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


def EfficientNetB4(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb4") -> Any:
    return _efficientnet("b4", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


def EfficientNetB5(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb5") -> Any:
    return _efficientnet("b5", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


def EfficientNetB6(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb6") -> Any:
    return _efficientnet("b6", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


def EfficientNetB7(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: Any = None, pooling: Any = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb7") -> Any:
    return _efficientnet("b7", include_top, weights, input_tensor, input_shape, pooling, classes,
                         classifier_activation, name)


for _fn, _params in ((EfficientNetB0, "5,330,571"), (EfficientNetB1, "7,856,239"), (EfficientNetB2, "9,177,569"),
                     (EfficientNetB3, "12,320,535"), (EfficientNetB4, "19,466,823"), (EfficientNetB5, "30,562,527"),
                     (EfficientNetB6, "43,265,143"), (EfficientNetB7, "66,658,687")):
    _fn.__doc__ = _DOC.format(name=_fn.__name__, params=_params, size=SCALING[_fn.__name__[-2:].lower()][2])


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """The identity: EfficientNet rescales and normalizes its [0, 255] inputs itself."""
    return x


decode_predictions = imagenet_utils.decode_predictions
