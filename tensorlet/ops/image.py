"""Image transforms on backend arrays: a vectorised affine/projective resampler and its transform matrices.

Transforms follow the ``tf.raw_ops.ImageProjectiveTransformV3`` convention: a matrix maps an *output* pixel
coordinate ``(x, y, 1)`` (column, row, pixel centres at integers) to the *input* coordinate it is sampled from.
Sampling is split in two steps: ``sampling_plan`` computes, for every output pixel, the flat input indices of
its interpolation taps and their weights (fill mode applied); ``resample`` applies a plan, and
``resample_transpose`` applies its adjoint (the gradient with respect to the input images).
"""
from __future__ import annotations

from typing import Any, NamedTuple

from tensorlet import backend
from tensorlet.backend import Array

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


class SamplingPlan(NamedTuple):
    indices: Array      # (taps, N * OH * OW) flat indices into the (N * H * W) input pixels
    weight: Array       # (taps, N * OH * OW) interpolation weights (0 for taps outside a constant fill)
    fill_weight: Array  # (N * OH * OW,) weight given to fill_value (constant mode only, else zeros)
    out_shape: tuple[int, int, int]  # (N, OH, OW)
    in_pixels: int           # N * H * W


def _fix_index(i: Array, size: int, fill_mode: str) -> tuple[Array, Array | None]:
    """Map integer tap positions into [0, size) by the fill mode; for "constant" also return a validity mask."""
    xp = backend.xp()
    if fill_mode == "reflect":  # d c b a | a b c d | d c b a
        j = xp.mod(i, 2 * size)
        return xp.where(j >= size, 2 * size - 1 - j, j), None
    if fill_mode == "wrap":  # a b c d | a b c d | a b c d
        return xp.mod(i, size), None
    if fill_mode == "nearest":  # a a a a | a b c d | d d d d
        return xp.clip(i, 0, size - 1), None
    valid = (i >= 0) & (i < size)  # constant: k k k k | a b c d | k k k k
    return xp.clip(i, 0, size - 1), valid


def _as_matrices(transforms: Any, n: int) -> Array:
    xp = backend.xp()
    m = xp.asarray(transforms, dtype=xp.float64)
    if m.ndim == 2 and m.shape[-1] == 8:  # Keras' flat form [a0, a1, a2, b0, b1, b2, c0, c1]
        m = xp.concatenate([m, xp.ones((len(m), 1))], axis=1).reshape(-1, 3, 3)
    if m.shape[-2:] == (2, 3):
        bottom = xp.broadcast_to(xp.array([0.0, 0.0, 1.0]), m.shape[:-2] + (1, 3))
        m = xp.concatenate([m, bottom], axis=-2)
    if m.shape[-2:] != (3, 3):
        raise ValueError(f"transforms must have shape (N, 2, 3), (N, 3, 3) or (N, 8); received {m.shape}")
    return xp.broadcast_to(m, (n, 3, 3))


def sampling_plan(transforms: Any, batch: int, in_hw: tuple[int, int], out_hw: tuple[int, int] | None = None,
                  interpolation: str = "bilinear", fill_mode: str = "constant") -> SamplingPlan:
    """Interpolation taps and weights of every output pixel of every image (no per-pixel Python loops)."""
    xp = backend.xp()
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"Unknown `interpolation` {interpolation!r}; expected one of {INTERPOLATIONS}")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"Unknown `fill_mode` {fill_mode!r}; expected one of {FILL_MODES}")
    h, w = int(in_hw[0]), int(in_hw[1])
    oh, ow = (h, w) if out_hw is None else (int(out_hw[0]), int(out_hw[1]))
    m = _as_matrices(transforms, batch)
    rows, cols = xp.meshgrid(xp.arange(oh, dtype=xp.float64), xp.arange(ow, dtype=xp.float64), indexing="ij")
    grid = xp.stack([cols.ravel(), rows.ravel(), xp.ones(oh * ow)])  # (3, P)
    src = m @ grid  # (N, 3, P)
    k = src[:, 2]
    k = xp.where(k == 0, 1.0, k)
    sx, sy = src[:, 0] / k, src[:, 1] / k
    if interpolation == "nearest":
        taps = [(xp.floor(sx + 0.5), xp.floor(sy + 0.5), xp.ones_like(sx))]
    else:
        x0, y0 = xp.floor(sx), xp.floor(sy)
        fx, fy = sx - x0, sy - y0
        taps = [(x0, y0, (1 - fx) * (1 - fy)), (x0 + 1, y0, fx * (1 - fy)),
                (x0, y0 + 1, (1 - fx) * fy), (x0 + 1, y0 + 1, fx * fy)]
    base = (xp.arange(batch) * (h * w))[:, None]
    index, weight = [], []
    fill_weight = xp.zeros((batch, oh * ow))
    for tx, ty, wt in taps:
        ix, vx = _fix_index(tx.astype(xp.int64), w, fill_mode)
        iy, vy = _fix_index(ty.astype(xp.int64), h, fill_mode)
        if vx is not None:
            valid = vx & vy
            fill_weight += xp.where(valid, 0.0, wt)
            wt = xp.where(valid, wt, 0.0)
        index.append((base + iy * w + ix).ravel())
        weight.append(wt.ravel())
    return SamplingPlan(xp.stack(index), xp.stack(weight), fill_weight.ravel(), (batch, oh, ow), batch * h * w)


def resample(images: Array, plan: SamplingPlan, fill_value: float = 0.0) -> Array:
    """Apply a plan to (N, H, W, C) images; the result has the input's float dtype."""
    xp = backend.xp()
    c = images.shape[-1]
    flat = images.reshape(-1, c)
    dtype = images.dtype
    out = xp.zeros((plan.indices.shape[1], c), dtype=dtype)
    for idx, wt in zip(plan.indices, plan.weight):
        out += wt.astype(dtype)[:, None] * flat[idx]
    if fill_value and plan.fill_weight.any():
        out += (plan.fill_weight * fill_value).astype(dtype)[:, None]
    return out.reshape(plan.out_shape + (c,))


def resample_transpose(dy: Array, plan: SamplingPlan, in_shape: tuple[int, ...]) -> Array:
    """The adjoint of ``resample`` (with respect to the images): scatter-add dy back through the taps."""
    xp = backend.xp()
    c = dy.shape[-1]
    flat_dy = dy.reshape(-1, c)
    dx = xp.zeros((plan.in_pixels, c), dtype=dy.dtype)
    for idx, wt in zip(plan.indices, plan.weight):
        xp.add.at(dx, idx, wt.astype(dy.dtype)[:, None] * flat_dy)
    return dx.reshape(in_shape)


def affine_transform(images: Any, transforms: Any, interpolation: str = "bilinear", fill_mode: str = "constant",
                     fill_value: float = 0.0, output_shape: tuple[int, int] | None = None) -> Array:
    """Resample (N, H, W, C) images (or one (H, W, C) image) through output-to-input transform matrices."""
    xp = backend.xp()
    x = xp.asarray(images)
    single = x.ndim == 3
    if single:
        x = x[None]
    if x.dtype.kind != "f":
        x = x.astype(xp.float32)
    plan = sampling_plan(transforms, x.shape[0], x.shape[1:3], output_shape, interpolation, fill_mode)
    y = resample(x, plan, fill_value)
    return y[0] if single else y


# -- transform matrices (output -> input), one per image ------------------------------------------------------
def rotation_matrices(angles: Any, height: int, width: int) -> Array:
    """Rotation about the image centre; a positive angle (radians) turns the content counter-clockwise."""
    xp = backend.xp()
    a = xp.asarray(angles, dtype=xp.float64).reshape(-1)
    cos, sin = xp.cos(a), xp.sin(a)
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    m = xp.zeros((len(a), 2, 3))
    m[:, 0, 0], m[:, 0, 1], m[:, 0, 2] = cos, -sin, cx - cos * cx + sin * cy
    m[:, 1, 0], m[:, 1, 1], m[:, 1, 2] = sin, cos, cy - sin * cx - cos * cy
    return m


def translation_matrices(dx: Any, dy: Any) -> Array:
    """Shift content by (dx, dy) pixels: positive dx moves it right, positive dy moves it down."""
    xp = backend.xp()
    dx, dy = xp.broadcast_arrays(xp.asarray(dx, xp.float64).reshape(-1), xp.asarray(dy, xp.float64).reshape(-1))
    m = xp.zeros((len(dx), 2, 3))
    m[:, 0, 0] = m[:, 1, 1] = 1.0
    m[:, 0, 2], m[:, 1, 2] = -dx, -dy
    return m


def zoom_matrices(zoom_x: Any, zoom_y: Any, height: int, width: int) -> Array:
    """Scale sampling about the centre: a zoom above 1 samples a larger area (zoom out), below 1 zooms in."""
    xp = backend.xp()
    zx, zy = xp.broadcast_arrays(xp.asarray(zoom_x, xp.float64).reshape(-1),
                                 xp.asarray(zoom_y, xp.float64).reshape(-1))
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    m = xp.zeros((len(zx), 2, 3))
    m[:, 0, 0], m[:, 0, 2] = zx, cx * (1.0 - zx)
    m[:, 1, 1], m[:, 1, 2] = zy, cy * (1.0 - zy)
    return m


def crop_resize_matrices(top: Any, left: Any, crop_h: int, crop_w: int, out_h: int, out_w: int) -> Array:
    """Take the window (top, left, crop_h, crop_w) and resize it to (out_h, out_w) (half-pixel centres)."""
    xp = backend.xp()
    top, left = xp.broadcast_arrays(xp.asarray(top, xp.float64).reshape(-1), xp.asarray(left, xp.float64).reshape(-1))
    sx, sy = crop_w / out_w, crop_h / out_h
    m = xp.zeros((len(top), 2, 3))
    m[:, 0, 0], m[:, 0, 2] = sx, left + 0.5 * sx - 0.5
    m[:, 1, 1], m[:, 1, 2] = sy, top + 0.5 * sy - 0.5
    return m
