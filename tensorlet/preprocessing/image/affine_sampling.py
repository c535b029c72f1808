"""Affine resampling of 2-D images on the host, with SciPy's ``ndimage.affine_transform`` rules (the sampler
Keras 2's image augmentation calls), so that transformed pixels equal Keras' without SciPy installed.

Output pixel ``o = (row, col)`` reads input coordinate ``c = matrix @ o + offset``. Coordinates outside the image
are brought back by the fill mode, as SciPy does for spline orders 0 and 1:

- ``nearest``: clamp to the edge (``a a a | a b c d | d d d``);
- ``reflect``: mirror about the pixel edges (``d c b a | a b c d | d c b a``);
- ``mirror``: mirror about the edge pixels' centres (``d c b | a b c d | c b a``);
- ``wrap``: SciPy's periodic extension, period ``n - 1`` (the first and last pixels overlap);
- ``constant``: ``cval`` anywhere outside ``[0, n - 1]``, no interpolation with the border.

Order 0 takes the nearest pixel (``floor(c + 0.5)``), order 1 is bilinear; taps that still fall beyond an edge
after the mapping are mirrored or clamped as SciPy's spline code does. Orders 2 to 5 (B-spline
prefiltering) are delegated to SciPy when it is installed.
"""
from __future__ import annotations

from typing import Any

import numpy as np

FILL_MODES = ("nearest", "reflect", "mirror", "wrap", "constant")


def _fold(c: np.ndarray, n: int, mode: str) -> np.ndarray:
    """SciPy's mapping of coordinates outside [0, n - 1] (NaN marks "outside" for constant mode). The result may
    still lie up to a pixel beyond the edge: the taps there are then mapped by ``_fold_index``."""
    c = np.asarray(c, dtype=np.float64)
    low, high = c < 0, c > n - 1
    if mode == "constant":
        return np.where(low | high, np.nan, c)
    if mode == "nearest":
        return np.clip(c, 0, n - 1)
    if n <= 1:
        return np.zeros_like(c)
    out = c.copy()
    if mode == "mirror":
        period = 2 * n - 2
        lo = c[low] + period * np.trunc(-c[low] / period)
        out[low] = np.where(lo <= 1 - n, lo + period, -lo)
        hi = c[high] - period * np.trunc(c[high] / period)
        out[high] = np.where(hi >= n, period - hi, hi)
    elif mode == "reflect":
        period = 2 * n
        lo = c[low]
        lo = np.where(lo < -period, lo + period * np.trunc(-lo / period), lo)
        out[low] = np.where(lo < -n, lo + period, -lo - 1)
        hi = c[high] - period * np.trunc(c[high] / period)
        out[high] = np.where(hi >= n, period - hi - 1, hi)
    else:  # wrap, with SciPy's period of n - 1
        period = n - 1
        out[low] = c[low] + period * (np.trunc(-c[low] / period) + 1)
        out[high] = c[high] - period * np.trunc(c[high] / period)
    return out


def _fold_index(i: np.ndarray, n: int, mode: str) -> np.ndarray:
    """Integer taps outside [0, n) as SciPy maps them for orders 0 and 1: clamped (nearest), reflected about the
    edges (reflect), mirrored about the edge pixels (mirror, and SciPy's choice for wrap and constant)."""
    if n == 1 or mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "reflect":
        j = np.mod(i, 2 * n)
        return np.where(j >= n, 2 * n - 1 - j, j)
    period = 2 * n - 2
    j = np.mod(i, period)
    return np.where(j >= n, period - j, j)


def _taps(c: np.ndarray, n: int, mode: str, order: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], Any]:
    """(index, weight) per tap along one axis, and for constant mode the mask of coordinates inside."""
    folded = _fold(c, n, mode)
    inside = None
    if mode == "constant":
        inside = ~np.isnan(folded)
        folded = np.where(inside, folded, 0.0)
    if order == 0:
        return [(_fold_index(np.floor(folded + 0.5).astype(np.int64), n, mode), np.ones_like(folded))], inside
    lo = np.floor(folded)
    frac = folded - lo
    lo = lo.astype(np.int64)
    return [(_fold_index(lo, n, mode), 1.0 - frac), (_fold_index(lo + 1, n, mode), frac)], inside


def affine_transform(image: np.ndarray, matrix: np.ndarray, offset: np.ndarray, order: int = 1,
                     mode: str = "nearest", cval: float = 0.0) -> np.ndarray:
    """Resample ``image`` of shape (H, W) or (H, W, C) (channels resampled alike) through the 2x2 ``matrix`` and
    ``offset``; the output has the input's shape and dtype (integers rounded and clipped, as SciPy does)."""
    if mode not in FILL_MODES:
        raise ValueError(f"fill_mode must be one of {list(FILL_MODES)}, got {mode!r}")
    order = int(order)
    if order not in (0, 1):
        return _scipy_transform(image, matrix, offset, order, mode, cval)
    x = np.asarray(image)
    squeeze = x.ndim == 2
    if squeeze:
        x = x[..., None]
    h, w, c = x.shape
    m = np.asarray(matrix, np.float64)
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    src_r = m[0, 0] * rows + m[0, 1] * cols + float(offset[0])
    src_c = m[1, 0] * rows + m[1, 1] * cols + float(offset[1])
    taps_r, inside_r = _taps(src_r.ravel(), h, mode, order)
    taps_c, inside_c = _taps(src_c.ravel(), w, mode, order)
    flat = x.reshape(h * w, c)
    out = np.zeros((h * w, c), dtype=np.float64)
    for ir, wr in taps_r:
        for ic, wc in taps_c:
            out += (wr * wc)[:, None] * flat[ir * w + ic]
    if mode == "constant":
        out[~(inside_r & inside_c)] = cval
    out = out.reshape(h, w, c)
    if x.dtype.kind in "iub":  # SciPy rounds half away from zero and saturates
        info = np.iinfo(x.dtype) if x.dtype.kind != "b" else np.iinfo(np.uint8)
        out = np.clip(np.where(out > 0, out + 0.5, out - 0.5), info.min, info.max)
        out = np.trunc(out).astype(x.dtype)
    else:
        out = out.astype(x.dtype, copy=False)
    return out[..., 0] if squeeze else out


def _scipy_transform(image: np.ndarray, matrix: np.ndarray, offset: np.ndarray, order: int, mode: str,
                     cval: float) -> np.ndarray:
    if not 0 <= order <= 5:
        raise ValueError(f"interpolation_order must be between 0 and 5, got {order}")
    try:
        from scipy import ndimage
    except ImportError:
        raise ImportError(f"interpolation_order={order} (spline interpolation) needs SciPy: pip install scipy. "
                          "Orders 0 and 1 work without it.") from None
    x = np.asarray(image)
    if x.ndim == 2:
        return ndimage.affine_transform(x, matrix, offset, order=order, mode=mode, cval=cval)
    channels = [ndimage.affine_transform(x[..., k], matrix, offset, order=order, mode=mode, cval=cval)
                for k in range(x.shape[-1])]
    return np.stack(channels, axis=-1)
