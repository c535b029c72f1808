"""``keras.utils.image_dataset_from_directory``: batches of images (and labels) from one folder per class.

The files, their order, the class names and the training/validation split follow Keras exactly
(``preprocessing.directory_index``). Each image is read and decoded as Keras does it (``tf.io.read_file``,
``tf.image.decode_image`` with the colour mode's channels, first frame of a GIF), then resized to ``image_size``
(``tf.image.resize``; ``crop_to_aspect_ratio`` crops the centred window of the target's aspect ratio first,
``pad_to_aspect_ratio`` pads it instead), on threads (``ImageLoadingDataset``). The result is a
``tf.data.Dataset`` with ``class_names`` and ``file_paths``, as Keras returns.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.config import image_data_format
from tensorlet.ops.resize import METHODS
from tensorlet.preprocessing.directory_index import (
    check_validation_split_arg,
    index_directory,
    training_or_validation_split,
)

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def load_image(path: Any, image_size: tuple[int, int], num_channels: int, interpolation: str,
               data_format: str = "channels_last", crop_to_aspect_ratio: bool = False,
               pad_to_aspect_ratio: bool = False) -> Any:
    """One file as a resized image tensor, as Keras' loader makes it (float32; uint8 for ``"nearest"``)."""
    from tensorlet.image.codecs import decode_image
    from tensorlet.image.resizing import resize, resize_with_pad
    from tensorlet.io.file_io import read_file
    from tensorlet.ops import shape as S
    from tensorlet.preprocessing.image.smart_resize import smart_resize

    img = decode_image(read_file(path), channels=num_channels, expand_animations=False)
    if crop_to_aspect_ratio:
        img = smart_resize(img, image_size, interpolation=interpolation)
    elif pad_to_aspect_ratio:
        img = resize_with_pad(img, image_size[0], image_size[1], method=interpolation)
    else:
        img = resize(img, image_size, method=interpolation)
    return S.transpose(img, [2, 0, 1]) if data_format == "channels_first" else img


def load_image_array(path: Any, image_size: tuple[int, int], num_channels: int, interpolation: str,
                     data_format: str = "channels_last", crop_to_aspect_ratio: bool = False,
                     pad_to_aspect_ratio: bool = False, out: np.ndarray | None = None, work: Any = None) -> np.ndarray:
    """``load_image`` as a NumPy array, computed on the host: the same decoder and the same resize plans as the
    ops (so the same values), without tensors, whose Python overhead would hold the GIL that the loader's
    threads share. Aspect-ratio crops and pads, and other backends, go through ``load_image``.

    ``out`` (the image's place in a batch) receives the image, which is then returned; ``work`` (a resize
    ``Workspace`` of the calling thread) holds the intermediate results, so that a stream of photos of varying
    sizes reuses the same memory."""
    from tensorlet import backend
    from tensorlet.image.codecs import _decode_any
    from tensorlet.ops.resize import axis_plan, resize_axes

    if crop_to_aspect_ratio or pad_to_aspect_ratio or backend.xp() is not np:
        image = np.asarray(load_image(path, image_size, num_channels, interpolation, data_format,
                                      crop_to_aspect_ratio, pad_to_aspect_ratio).numpy())
    else:
        with open(path, "rb") as f:
            img = _decode_any(f.read(), num_channels, np.dtype(np.uint8), False)
        plans = (axis_plan(img.shape[0], image_size[0], interpolation, False, np.float32),
                 axis_plan(img.shape[1], image_size[1], interpolation, False, np.float32))
        image = resize_axes(img, plans, (0, 1), image_size, np, work)
        if data_format == "channels_first":
            image = image.transpose(2, 0, 1)
    if out is None:
        return np.array(image, dtype=np.uint8 if interpolation == "nearest" else np.float32)
    out[...] = image
    return out


def _encode_labels(labels: np.ndarray | None, label_mode: str | None, num_classes: int) -> np.ndarray | None:
    if labels is None or label_mode is None:
        return None
    if label_mode == "binary":
        return labels.astype(np.float32).reshape(-1, 1)
    if label_mode == "categorical":
        return np.eye(num_classes, dtype=np.float32)[labels.astype(np.int64)]
    return labels.astype(np.int32) if labels.dtype.kind in "iu" else labels


def _image_spec(load_args: tuple[Any, ...]) -> Any:
    from tensorlet.tensor_spec import TensorSpec

    (height, width), channels, method, fmt = load_args[:4]
    shape = (channels, height, width) if fmt == "channels_first" else (height, width, channels)
    return TensorSpec(shape, "uint8" if method == "nearest" else "float32")


def _batches(paths: list[str], labels: np.ndarray | None, label_mode: str | None, names: list[Any] | None,
             load_args: tuple[Any, ...], batch_size: int | None, shuffle: bool, seed: int) -> Any:
    """The dataset of one subset, as Keras builds it: file paths (and labels) shuffled in a buffer of
    ``batch_size * 8`` when shuffling, mapped to images, then batched."""
    from tensorlet.data.dataset import Dataset
    from tensorlet.preprocessing.image.image_loading_dataset import ImageLoadingDataset

    encoded = _encode_labels(labels, label_mode, len(names or []))
    path_array = np.asarray(paths, dtype=object)
    ds = Dataset.from_tensor_slices(path_array if encoded is None else (path_array, encoded))
    if shuffle:
        ds = ds.shuffle(buffer_size=(batch_size or 128) * 8, seed=seed)
    ds = ImageLoadingDataset(ds, lambda p, out, work: load_image_array(p, *load_args, out=out, work=work),
                             _image_spec(load_args))
    if batch_size is not None:
        ds = ds.batch(batch_size)
    ds.class_names = names
    ds.file_paths = list(paths)
    return ds


def image_dataset_from_directory(directory: str, labels: Any = "inferred", label_mode: str | None = "int",
                                 class_names: Any = None, color_mode: str = "rgb", batch_size: int | None = 32,
                                 image_size: Any = (256, 256), shuffle: bool = True, seed: int | None = None,
                                 validation_split: float | None = None, subset: str | None = None,
                                 interpolation: str = "bilinear", follow_links: bool = False,
                                 crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False,
                                 data_format: str | None = None, verbose: bool = True, **kwargs: Any) -> Any:
    """Batches of ``(images, labels)`` from ``directory/<class name>/<image files>``.

    Args:
        labels: ``"inferred"`` (from the folder names), a list of labels (one per file, in sorted path order), or
            None (images only).
        label_mode: ``"int"``, ``"categorical"`` (one-hot), ``"binary"`` (float, two classes) or None.
        class_names: the class folders to use, in label order (default: all, sorted).
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"``.
        batch_size: images per batch, or None for single images.
        image_size: ``(height, width)`` (or one int) every image is resized to.
        shuffle, seed: shuffle the files (once, then every epoch); a seed is required with ``validation_split``.
        validation_split, subset: hold out the last fraction of the shuffled files; ``subset`` is ``"training"``,
            ``"validation"`` or ``"both"`` (a list of the two).
        interpolation: a ``tf.image.resize`` method.
        crop_to_aspect_ratio, pad_to_aspect_ratio: keep the aspect ratio by cropping or by padding.

    Returns:
        A ``tf.data.Dataset`` with ``class_names`` and ``file_paths`` (two of them for ``subset="both"``).

    Example:
        >>> train = image_dataset_from_directory("flowers", validation_split=0.2, subset="training",
        ...                                      seed=123, image_size=(180, 180))  # doctest: +SKIP
        >>> train.class_names  # doctest: +SKIP
        ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']
    """
    if "smart_resize" in kwargs:  # Keras 2's earlier name
        crop_to_aspect_ratio = kwargs.pop("smart_resize")
    if kwargs:
        raise TypeError(f"Unknown keywords argument(s): {tuple(kwargs)}")
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError("`labels` argument should be a list/tuple of integer labels, of the same size as the "
                             "number of image files in the target directory. If you wish to infer the labels from "
                             'the subdirectory names in the target directory, pass `labels="inferred"`. If you wish '
                             "to get a dataset that only contains images (no labels), pass `labels=None`. Received: "
                             f"labels={labels}")
        if class_names:
            raise ValueError(f'You can only pass `class_names` if `labels="inferred"`. Received: labels={labels}, and '
                             f"class_names={class_names}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError('`label_mode` argument must be one of "int", "categorical", "binary", or None. Received: '
                         f"label_mode={label_mode}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if color_mode not in _CHANNELS:
        raise ValueError(f'`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: color_mode={color_mode}')
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={image_size}")
    size = (int(image_size[0]), int(image_size[1]))
    method = str(interpolation).lower()
    if method not in METHODS:
        raise ValueError(f"Argument `interpolation` should be one of {METHODS}. Received: interpolation={interpolation}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.")
    fmt = data_format or image_data_format()
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = int(np.random.randint(10**6))
    paths, label_ids, names = index_directory(directory, labels, ALLOWLIST_FORMATS, class_names=class_names,
                                              shuffle=shuffle, seed=seed, follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(names or []) != 2:
        raise ValueError(f'When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: '
                         f"class_names={names}")
    load_args = (size, _CHANNELS[color_mode], method, fmt, crop_to_aspect_ratio, pad_to_aspect_ratio)
    if subset == "both":
        parts = [training_or_validation_split(paths, label_ids, validation_split, which, verbose)
                 for which in ("training", "validation")]
        for (found, _), which in zip(parts, ("training", "validation")):
            if not found:
                raise ValueError(f"No {which} images found in directory {directory}. Allowed formats: "
                                 f"{ALLOWLIST_FORMATS}")
        return [_batches(p, y, label_mode, names, load_args, batch_size, shuffle and k == 0, seed)
                for k, (p, y) in enumerate(parts)]
    paths, label_ids = training_or_validation_split(paths, label_ids, validation_split, subset, verbose)
    if not paths:
        raise ValueError(f"No images found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")
    return _batches(paths, label_ids, label_mode, names, load_args, batch_size, shuffle, seed)
