"""NASNetMobile and NASNetLarge (Zoph et al., 2018): cells found by architecture search (normal cells keep the
size, reduction cells halve it), each combining separable convolutions and poolings of the current and the
previous cell's output. Preprocessing: "tf". Channels-last only, as in Keras."""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications import blocks, imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

WEIGHT_FILES = {  # (with top, without top): file and md5 as published by Keras
    224: (("NASNet-mobile.h5", "nasnet_mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
          ("NASNet-mobile-no-top.h5", "nasnet_mobile_no_top.h5", "1ed92395b5b598bdda52abe5c0dbfd63")),
    331: (("NASNet-large.h5", "nasnet_large.h5", "11577c9a518f0070763c2b964a382f17"),
          ("NASNet-large-no-top.h5", "nasnet_large_no_top.h5", "d81d89dc07e6e56530c4e77faddd61b5")),
}
BN: dict[str, Any] = {"epsilon": 1e-3, "momentum": 0.9997}


def _bn(x: Any, name: str | None) -> Any:
    return blocks.batch_norm(x, name, **BN)


def _conv1x1(x: Any, filters: int, name: str | None) -> Any:
    return layers.Conv2D(filters, 1, padding="same", use_bias=False, kernel_initializer="he_normal", name=name)(x)


def _separable_block(x: Any, filters: int, kernel_size: int = 3, strides: int = 1, block_id: str = "") -> Any:
    """ReLU -> separable conv (strided, explicitly padded) -> BN -> ReLU -> separable conv -> BN."""
    x = layers.Activation("relu")(x)
    padding = "same"
    if strides == 2:
        x = layers.ZeroPadding2D(imagenet_utils.correct_pad(x, kernel_size), name=f"separable_conv_1_pad_{block_id}")(x)
        padding = "valid"
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name=f"separable_conv_1_{block_id}",
                               padding=padding, use_bias=False)(x)
    x = _bn(x, f"separable_conv_1_bn_{block_id}")
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same",
                               use_bias=False)(x)
    return _bn(x, f"separable_conv_2_bn_{block_id}")


def _adjust(p: Any, ip: Any, filters: int, block_id: str) -> Any:
    """Bring the previous cell's output ``p`` to ``ip``'s size (two offset 1x1/2 paths) or channel count."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D(1, strides=2, padding="valid", name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = _conv1x1(p1, filters // 2, f"adjust_conv_1_{block_id}")
        p2 = layers.ZeroPadding2D(((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D(1, strides=2, padding="valid", name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = _conv1x1(p2, filters // 2, f"adjust_conv_2_{block_id}")
        p = layers.Concatenate(axis=-1)([p1, p2])
        return _bn(p, f"adjust_bn_{block_id}")
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = _conv1x1(p, filters, f"adjust_conv_projection_{block_id}")
        return _bn(p, f"adjust_bn_{block_id}")
    return p


def _normal_cell(ip: Any, p: Any, filters: int, block_id: str) -> tuple[Any, Any]:
    p = _adjust(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _bn(_conv1x1(h, filters, f"normal_conv_1_{block_id}"), f"normal_bn_1_{block_id}")
    x1 = layers.Add(name=f"normal_add_1_{block_id}")([
        _separable_block(h, filters, 5, block_id=f"normal_left1_{block_id}"),
        _separable_block(p, filters, block_id=f"normal_right1_{block_id}")])
    x2 = layers.Add(name=f"normal_add_2_{block_id}")([
        _separable_block(p, filters, 5, block_id=f"normal_left2_{block_id}"),
        _separable_block(p, filters, 3, block_id=f"normal_right2_{block_id}")])
    x3 = layers.AveragePooling2D(3, strides=1, padding="same", name=f"normal_left3_{block_id}")(h)
    x3 = layers.Add(name=f"normal_add_3_{block_id}")([x3, p])
    x4_1 = layers.AveragePooling2D(3, strides=1, padding="same", name=f"normal_left4_{block_id}")(p)
    x4_2 = layers.AveragePooling2D(3, strides=1, padding="same", name=f"normal_right4_{block_id}")(p)
    x4 = layers.Add(name=f"normal_add_4_{block_id}")([x4_1, x4_2])
    x5 = _separable_block(h, filters, block_id=f"normal_left5_{block_id}")
    x5 = layers.Add(name=f"normal_add_5_{block_id}")([x5, h])
    x = layers.Concatenate(axis=-1, name=f"normal_concat_{block_id}")([p, x1, x2, x3, x4, x5])
    return x, ip


def _reduction_cell(ip: Any, p: Any, filters: int, block_id: str) -> tuple[Any, Any]:
    p = _adjust(p, ip, filters, block_id)
    h = layers.Activation("relu")(ip)
    h = _bn(_conv1x1(h, filters, f"reduction_conv_1_{block_id}"), f"reduction_bn_1_{block_id}")
    h3 = layers.ZeroPadding2D(imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}")(h)
    x1 = layers.Add(name=f"reduction_add_1_{block_id}")([
        _separable_block(h, filters, 5, strides=2, block_id=f"reduction_left1_{block_id}"),
        _separable_block(p, filters, 7, strides=2, block_id=f"reduction_right1_{block_id}")])
    x2_1 = layers.MaxPooling2D(3, strides=2, padding="valid", name=f"reduction_left2_{block_id}")(h3)
    x2_2 = _separable_block(p, filters, 7, strides=2, block_id=f"reduction_right2_{block_id}")
    x2 = layers.Add(name=f"reduction_add_2_{block_id}")([x2_1, x2_2])
    x3_1 = layers.AveragePooling2D(3, strides=2, padding="valid", name=f"reduction_left3_{block_id}")(h3)
    x3_2 = _separable_block(p, filters, 5, strides=2, block_id=f"reduction_right3_{block_id}")
    x3 = layers.Add(name=f"reduction_add3_{block_id}")([x3_1, x3_2])
    x4 = layers.AveragePooling2D(3, strides=1, padding="same", name=f"reduction_left4_{block_id}")(x1)
    x4 = layers.Add()([x2, x4])
    x5_1 = _separable_block(x1, filters, 3, block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D(3, strides=2, padding="valid", name=f"reduction_right5_{block_id}")(h3)
    x5 = layers.Add(name=f"reduction_add4_{block_id}")([x5_1, x5_2])
    x = layers.Concatenate(axis=-1, name=f"reduction_concat_{block_id}")([x2, x3, x4, x5])
    return x, ip


def NASNet(input_shape: Any = None, penultimate_filters: int = 4032, num_blocks: int = 6,
           stem_block_filters: int = 96, skip_reduction: bool = True, filter_multiplier: int = 2,
           include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, pooling: Any = None,
           classes: int = 1000, default_size: int | None = None, classifier_activation: Any = "softmax",
           name: str = "NASNet") -> Any:
    """A NASNet-A model: ``num_blocks`` normal cells between reductions, ``penultimate_filters`` channels before
    the classifier (a multiple of 24 x filter_multiplier^2). ImageNet weights exist for the Mobile (224) and Large
    (331) configurations."""
    if image_data_format() == "channels_first":
        raise ValueError("NASNet does not support the `channels_first` image data format; use channels_last")
    pretrained.check_arguments(weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(f"When loading ImageNet weights, NASNet's input_shape must be static (no None); got "
                         f"input_shape={input_shape}")
    default_size = default_size or 331
    shape = imagenet_utils.obtain_input_shape(input_shape, default_size, 32, image_data_format(), include_top,
                                              weights)
    if penultimate_filters % (24 * filter_multiplier**2):
        raise ValueError(f"For NASNet-A models, `penultimate_filters` must be a multiple of 24 * "
                         f"(`filter_multiplier` ** 2); got {penultimate_filters}")
    img_input = scaffold.image_input(input_tensor, shape)
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, 3, strides=2, padding="valid", use_bias=False, name="stem_conv1",
                      kernel_initializer="he_normal")(img_input)
    x = _bn(x, "stem_bn1")
    x, p = _reduction_cell(x, None, filters // filter_multiplier**2, "stem_1")
    x, p = _reduction_cell(x, p, filters // filter_multiplier, "stem_2")
    for stage in range(3):
        if stage:
            x, p0 = _reduction_cell(x, p, filters * filter_multiplier**stage, f"reduce_{stage * num_blocks}")
            p = p0 if not skip_reduction else p
        for i in range(num_blocks):
            block_id = f"{stage * num_blocks + i + 1}" if stage else f"{i}"
            x, p = _normal_cell(x, p, filters * filter_multiplier**stage, block_id)
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights)
    else:
        x = scaffold.global_pool(x, pooling)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    file = None
    if weights == "imagenet":
        if default_size not in WEIGHT_FILES:
            raise ValueError("ImageNet weights can only be loaded with NASNetLarge or NASNetMobile")
        remote, fname, md5 = WEIGHT_FILES[default_size][0 if include_top else 1]
        file = pretrained.WeightFile(fname, f"{pretrained.KERAS_APPLICATIONS}nasnet/{remote}", md5)
    return pretrained.load(model, weights, file)


def NASNetMobile(input_shape: Any = None, include_top: bool = True, weights: Any = "imagenet",
                 input_tensor: Any = None, pooling: Any = None, classes: int = 1000,
                 classifier_activation: Any = "softmax", name: str = "nasnet_mobile") -> Any:
    """NASNetMobile (5,326,716 parameters with the top; 224x224 inputs); arguments as ``VGG16``."""
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(input_shape, 1056, 4, 32, False, 2, include_top, weights, input_tensor, pooling, classes, 224,
                  classifier_activation, name)


def NASNetLarge(input_shape: Any = None, include_top: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, pooling: Any = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "nasnet_large") -> Any:
    """NASNetLarge (88,949,818 parameters with the top; 331x331 inputs); arguments as ``VGG16``."""
    return NASNet(input_shape, 4032, 6, 96, True, 2, include_top, weights, input_tensor, pooling, classes, 331,
                  classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scale pixel values from [0, 255] to [-1, 1] ("tf" mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = imagenet_utils.decode_predictions
