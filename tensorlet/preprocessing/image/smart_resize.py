"""``smart_resize``: resize to a size without distorting the aspect ratio, by first cropping the largest centred
window of the target's aspect ratio (Keras' ``keras.preprocessing.image.smart_resize``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def smart_resize(x: Any, size: Any, interpolation: str = "bilinear", data_format: str = "channels_last",
                 backend_module: Any = None) -> Any:
    """Crop the centred window of ``size``'s aspect ratio, then resize to ``size`` (images of rank 3 or 4).

    A NumPy input gives a NumPy output, a tensor a tensor.
    """
    from tensorlet.image.resizing import resize

    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = as_tensor(x)
    rank = img._value.ndim
    if rank not in (3, 4):
        raise ValueError("Expected an image array with shape `(height, width, channels)`, or `(batch_size, height, "
                         f"width, channels)`, but got input with incorrect rank, of shape {tuple(img.shape)}.")
    first = data_format == "channels_first"
    h_axis = rank - 2 if first else rank - 3
    height, width = img._value.shape[h_axis], img._value.shape[h_axis + 1]
    th, tw = int(size[0]), int(size[1])
    crop_h = min(height, int(np.float32(width * th) / np.float32(tw)))  # TF's float32 arithmetic
    crop_w = min(width, int(np.float32(height * tw) / np.float32(th)))
    top, left = int(np.float32(height - crop_h) / 2), int(np.float32(width - crop_w) / 2)
    key: list[Any] = [slice(None)] * rank
    key[h_axis], key[h_axis + 1] = slice(top, top + crop_h), slice(left, left + crop_w)
    img = S.getitem(img, tuple(key))
    if first:
        img = S.transpose(img, [0, 2, 3, 1] if rank == 4 else [1, 2, 0])
    img = resize(img, (th, tw), method=interpolation)
    if first:
        img = S.transpose(img, [0, 3, 1, 2] if rank == 4 else [2, 0, 1])
    return img.numpy() if isinstance(x, np.ndarray) else img
