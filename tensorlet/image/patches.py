"""``extract_patches``: every window of a 4-D image batch, flattened into the channel axis (differentiable)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.patches import ExtractPatches


def _window(value: Any, name: str) -> tuple[int, int]:
    v = [int(x) for x in value]
    if len(v) != 4 or v[0] != 1 or v[3] != 1 or v[1] < 1 or v[2] < 1:
        raise ValueError(f"extract_patches: `{name}` must be [1, {name}_rows, {name}_cols, 1] with positive "
                         f"entries, got {list(value)}")
    return v[1], v[2]


def extract_patches(images: Any, sizes: Any, strides: Any, rates: Any, padding: str, name: Any = None) -> Tensor:
    """Patches of ``images`` (N, H, W, C): output (N, OH, OW, size_rows * size_cols * C), each patch in
    (row, column, channel) order.

    Args:
        sizes: ``[1, size_rows, size_cols, 1]``.
        strides: ``[1, stride_rows, stride_cols, 1]``: distance between patch origins.
        rates: ``[1, rate_rows, rate_cols, 1]``: spacing of the sampled pixels inside a patch (dilation).
        padding: ``"VALID"`` (whole patches only) or ``"SAME"`` (zero-padded, OH = ceil(H / stride)).
    """
    x = as_tensor(images)
    if x._value.ndim != 4:
        raise ValueError(f"extract_patches: images must be 4-D (batch, height, width, channels), got shape "
                         f"{tuple(x._value.shape)}")
    pad = str(padding).lower()
    if pad not in ("valid", "same"):
        raise ValueError(f"extract_patches: padding must be 'VALID' or 'SAME', got {padding!r}")
    return ExtractPatches(_window(sizes, "sizes"), _window(strides, "strides"), _window(rates, "rates"), pad)(x)
