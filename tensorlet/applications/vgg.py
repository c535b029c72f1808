"""VGG16 and VGG19 (Simonyan & Zisserman, 2014): stacks of 3x3 convolutions and max pooling, then two
4096-unit dense layers. Preprocessing: "caffe"."""
from __future__ import annotations

from typing import Any

from tensorlet import layers
from tensorlet.applications import imagenet_utils, scaffold
from tensorlet.applications import weights as pretrained
from tensorlet.config import image_data_format

WEIGHT_FILES = {  # (with top, without top); md5 as published by Keras
    "vgg16": ("vgg16_weights_tf_dim_ordering_tf_kernels.h5", "64373286793e3c8b2b4e3219cbf3544b",
              "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc"),
    "vgg19": ("vgg19_weights_tf_dim_ordering_tf_kernels.h5", "cbe5617147190e668d6c5d5026f83318",
              "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "253f8cb515780f3b799900260a226db6"),
}


def _vgg(convs_per_block: tuple[int, ...], family: str, include_top: bool, weights_arg: Any, input_tensor: Any,
         input_shape: Any, pooling: Any, classes: int, classifier_activation: Any, name: str) -> Any:
    pretrained.check_arguments(weights_arg, include_top, classes)
    shape = imagenet_utils.obtain_input_shape(input_shape, 224, 32, image_data_format(), include_top, weights_arg)
    img_input = scaffold.image_input(input_tensor, shape)
    x = img_input
    for block, (n, filters) in enumerate(zip(convs_per_block, (64, 128, 256, 512, 512)), start=1):
        for i in range(1, n + 1):
            x = layers.Conv2D(filters, 3, activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D(2, strides=2, name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = scaffold.dense_classifier(x, classes, classifier_activation, weights_arg)
    else:
        x = scaffold.global_pool(x, pooling)
    model = scaffold.build_model(input_tensor, img_input, x, name)
    top_file, top_hash, notop_file, notop_hash = WEIGHT_FILES[family]
    file = pretrained.official(top_file, family, top_hash) if include_top else \
        pretrained.official(notop_file, family, notop_hash)
    return pretrained.load(model, weights_arg, file)


def VGG16(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
          pooling: Any = None, classes: int = 1000, classifier_activation: Any = "softmax",
          name: str = "vgg16") -> Any:
    """VGG16: 13 convolutions in 5 blocks and 3 dense layers (138,357,544 parameters with the top).

    Args:
        include_top: end with the 3 dense layers (then the input must be 224x224).
        weights: None, "imagenet" or the path of a weights file.
        input_tensor: a symbolic tensor to use as the input.
        input_shape: (height, width, channels), at least 32x32, when ``include_top`` is False.
        pooling: None, "avg" or "max": global pooling of the last feature map when ``include_top`` is False.
        classes: the number of classes of the top.
        classifier_activation: the top's activation (softmax or None with pretrained weights).
        name: the model's name.
    """
    return _vgg((2, 2, 3, 3, 3), "vgg16", include_top, weights, input_tensor, input_shape, pooling, classes,
                classifier_activation, name)


def VGG19(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, input_shape: Any = None,
          pooling: Any = None, classes: int = 1000, classifier_activation: Any = "softmax",
          name: str = "vgg19") -> Any:
    """VGG19: 16 convolutions in 5 blocks and 3 dense layers (143,667,240 parameters with the top); arguments
    as ``VGG16``."""
    return _vgg((2, 2, 4, 4, 4), "vgg19", include_top, weights, input_tensor, input_shape, pooling, classes,
                classifier_activation, name)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """RGB to BGR and ImageNet mean subtraction ("caffe" mode), from pixel values in [0, 255]."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = imagenet_utils.decode_predictions
