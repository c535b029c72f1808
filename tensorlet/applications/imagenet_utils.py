"""What the ImageNet models share outside their graphs: input preprocessing, decoding predictions into class
names, and the input-shape and argument rules every ``keras.applications`` constructor applies.

Preprocessing modes (each family documents one):

* ``"caffe"`` (VGG, ResNet v1): RGB to BGR, then subtract the ImageNet channel means (103.939, 116.779, 123.68)
  in BGR order; no scaling.
* ``"tf"`` (MobileNet v1/v2, ResNet v2, Inception, Xception, NASNet): scale [0, 255] to [-1, 1].
* ``"torch"`` (DenseNet): scale to [0, 1], subtract (0.485, 0.456, 0.406) and divide by (0.229, 0.224, 0.225).
* none (EfficientNet, EfficientNetV2, ConvNeXt, MobileNetV3): the model rescales its inputs itself.
"""
from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from tensorlet import activations
from tensorlet.config import floatx, image_data_format

CLASS_INDEX_ORIGIN = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_MD5 = "c2c37ea517e94d9795004a39431a14cb"  # Keras' published checksum of that file
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCH_MEAN = (0.485, 0.456, 0.406)
TORCH_STD = (0.229, 0.224, 0.225)
MODES = ("caffe", "tf", "torch")

_class_index: dict[str, list[str]] | None = None


def _data_format(data_format: str | None) -> str:
    if data_format is None:
        return image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Expected data_format to be 'channels_first' or 'channels_last', got {data_format!r}")
    return data_format


def _channel_axis(ndim: int, data_format: str) -> int:
    return -1 if data_format == "channels_last" else ndim - 3


def _per_channel(values: Any, ndim: int, data_format: str) -> np.ndarray:
    """(3,) values shaped to broadcast along the channel axis of an ``ndim``-D image array."""
    shape = [1] * ndim
    shape[_channel_axis(ndim, data_format)] = 3
    return np.asarray(values).reshape(shape)


def _affine(mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(scale, offset) per RGB channel with y = x * scale + offset, for the "tf" and "torch" modes."""
    if mode == "tf":
        return np.full(3, 1 / 127.5), np.full(3, -1.0)
    std = np.asarray(TORCH_STD)
    return 1 / (255.0 * std), -np.asarray(TORCH_MEAN) / std


def preprocess_input(x: Any, data_format: str | None = None, mode: str = "caffe") -> Any:
    """Preprocess a batch of images (or one image) with values in [0, 255] for an ImageNet model.

    Args:
        x: a NumPy array, a tensor, or a symbolic tensor of a Functional model, 3-D or 4-D with 3 channels. A
            floating NumPy array is overwritten in place (as in Keras); pass ``x.copy()`` to keep it.
        data_format: ``"channels_last"`` or ``"channels_first"``; the global setting when None.
        mode: ``"caffe"``, ``"tf"`` or ``"torch"`` (the module docstring says what each does).

    Returns:
        The preprocessed images, of the same kind as ``x`` (float32 for integer NumPy input).

    Example:
        >>> preprocess_input(np.array([[[0.0, 127.5, 255.0]]]), mode="tf").tolist()
        [[[-1.0, 0.0, 1.0]]]
    """
    if mode not in MODES:
        raise ValueError(f"Expected mode to be one of 'caffe', 'tf' or 'torch', got mode={mode!r}")
    data_format = _data_format(data_format)
    from tensorlet.layers.node import KerasTensor

    if isinstance(x, KerasTensor):
        return _preprocess_symbolic(x, data_format, mode)
    if isinstance(x, np.ndarray) or not hasattr(x, "_value"):
        return _preprocess_array(np.asarray(x) if not isinstance(x, np.ndarray) else x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _preprocess_array(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(floatx())

    def channels(values: Any) -> np.ndarray:
        return _per_channel(values, x.ndim, data_format).astype(x.dtype)

    if mode == "tf":  # Keras' order of operations, so that the results agree to the last bit
        x /= 127.5
        x -= 1.0
    elif mode == "torch":
        x /= 255.0
        x -= channels(TORCH_MEAN)
        x /= channels(TORCH_STD)
    else:
        x = np.flip(x, axis=_channel_axis(x.ndim, data_format))  # a view: a float input changes in place, as in Keras
        x -= channels(CAFFE_MEAN_BGR)
    return x


def _preprocess_tensor(x: Any, data_format: str, mode: str) -> Any:
    from tensorlet.ops import elementwise as E
    from tensorlet.ops import shape as S

    if x.dtype.is_integer:
        x = E.cast(x, floatx())

    def channels(values: Any) -> np.ndarray:
        return _per_channel(values, x.ndim, data_format).astype(x.dtype.name)

    if mode == "tf":
        return E.subtract(E.divide(x, 127.5), 1.0)
    if mode == "torch":
        return E.divide(E.subtract(E.divide(x, 255.0), channels(TORCH_MEAN)), channels(TORCH_STD))
    key: list[Any] = [slice(None)] * x.ndim
    key[_channel_axis(x.ndim, data_format)] = slice(None, None, -1)
    return E.subtract(S.getitem(x, tuple(key)), channels(CAFFE_MEAN_BGR))


def _preprocess_symbolic(x: Any, data_format: str, mode: str) -> Any:
    """Inside a Functional model: a Rescaling layer for "tf" and "torch"; for "caffe", a frozen 1x1 Conv2D whose
    kernel swaps R and B and whose bias subtracts the means (exact in floating point, and loadable by Keras)."""
    from tensorlet.layers import Conv2D, Rescaling
    from tensorlet.layers.naming import unique_name

    if mode != "caffe":
        scale, offset = _affine(mode)
        return Rescaling(scale.tolist(), offset.tolist(), name=unique_name(f"{mode}_preprocessing"))(x)
    swap = np.eye(3, dtype=floatx())[::-1].reshape(1, 1, 3, 3)  # kernel[0, 0, c_in, c_out] = 1 where c_in = 2 - c_out
    bias = -np.asarray(CAFFE_MEAN_BGR, dtype=floatx())
    conv = Conv2D(3, 1, data_format=data_format, trainable=False, name=unique_name("caffe_preprocessing"))
    y = conv(x)
    conv.set_weights([swap, bias])
    return y


def decode_predictions(preds: Any, top: int = 5) -> list[list[tuple[str, str, float]]]:
    """The ``top`` ImageNet classes of each prediction, as ``(class_id, class_name, score)`` tuples, best first.

    The class names come from ``imagenet_class_index.json``, fetched once through ``get_file`` (cached in
    ``~/.tensorlet/models``; offline, the error says where to place the file).

    Args:
        preds: predictions of shape (samples, 1000).
        top: how many classes to return per sample.
    """
    global _class_index
    preds = np.asarray(getattr(preds, "_value", preds))
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (a 2-D array of shape (samples, 1000)); "
                         f"got an array of shape {preds.shape}")
    if _class_index is None:
        from tensorlet.utils.file_utils import get_file

        path = get_file("imagenet_class_index.json", CLASS_INDEX_ORIGIN, cache_subdir="models",
                        file_hash=CLASS_INDEX_MD5)
        with open(path, encoding="utf8") as f:
            _class_index = json.load(f)
    results = []
    for pred in preds:
        best = np.argsort(pred, kind="stable")[-top:][::-1]
        row = [(*_class_index[str(i)], float(pred[i])) for i in best]
        results.append(sorted(row, key=lambda r: r[2], reverse=True))
    return results


def obtain_input_shape(input_shape: Any, default_size: int, min_size: int, data_format: str,
                       require_flatten: bool, weights: Any = None) -> tuple[Any, ...]:
    """The model's input shape (without the batch axis): ``input_shape`` checked against the family's minimum
    size and the ImageNet weights' needs, or the default (``default_size`` square RGB with a classifier top,
    any size without one)."""
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in (1, 3):
            warnings.warn(f"This model usually expects 1 or 3 input channels, but input_shape={tuple(input_shape)} "
                          f"has {channels}.", stacklevel=3)
        default = (channels, default_size, default_size) if channels_first else (default_size, default_size, channels)
    else:
        default = (3, default_size, default_size) if channels_first else (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default:
            raise ValueError(f"When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be "
                             f"{default}. Received: input_shape={tuple(input_shape)}")
        return default
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(f"`input_shape` must be a tuple of three integers, got {tuple(input_shape)}")
        channels = input_shape[0] if channels_first else input_shape[-1]
        if weights == "imagenet" and channels != 3:
            raise ValueError(f"The input must have 3 channels for the ImageNet weights; received "
                             f"input_shape={tuple(input_shape)}")
        spatial = input_shape[1:] if channels_first else input_shape[:2]
        if any(s is not None and s < min_size for s in spatial):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; received "
                             f"input_shape={tuple(input_shape)}")
        shape = tuple(input_shape)
    elif require_flatten:
        shape = default
    else:
        shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in shape:
        raise ValueError(f"If `include_top` is True, you should specify a static `input_shape`. Received: "
                         f"input_shape={shape}")
    return shape


def correct_pad(inputs: Any, kernel_size: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    """The zero padding before a stride-2 'valid' convolution that centres the kernel as TF's 'same' would
    not: one pixel less at the top/left when the size is even."""
    first = 2 if image_data_format() == "channels_first" else 1
    size = tuple(inputs.shape)[first:first + 2]
    k = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    return (k[0] // 2 - adjust[0], k[0] // 2), (k[1] // 2 - adjust[1], k[1] // 2)


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Pretrained weights allow only a softmax or linear (None) classifier."""
    if weights is None:
        return
    act = activations.get(classifier_activation)
    if act not in (activations.get("softmax"), activations.get(None)):
        raise ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` argument "
                         f"when using pretrained weights, with `include_top=True`; received "
                         f"classifier_activation={classifier_activation!r}")
