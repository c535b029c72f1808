"""Image resizing as two small interpolation matrices (height, then width): y = A_h x A_w^T per image and
channel, so the gradient is the same products transposed.

Pixel centres follow ``tf.image.resize`` (half-pixel centres, no antialiasing): output pixel ``o`` samples input
coordinate ``(o + 0.5) * in / out - 0.5``. Bilinear taps outside the image clamp to the edge; bicubic ones
(Keys' kernel, a = -0.5) drop out and the remaining weights are renormalized.
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.backend import Array

METHODS = ("nearest", "bilinear", "bicubic")


def _cubic(d: Array, a: float = -0.5) -> Array:
    """Keys' cubic convolution kernel (a = -0.5, as TF's half-pixel bicubic)."""
    xp = backend.xp()
    d = xp.abs(d)
    return xp.where(d <= 1, ((a + 2) * d - (a + 3)) * d * d + 1,
                    xp.where(d < 2, ((a * d - 5 * a) * d + 8 * a) * d - 4 * a, 0.0))


def interpolation_matrix(n_in: int, n_out: int, method: str) -> Array:
    """The (n_out, n_in) matrix taking a column of n_in samples to n_out samples."""
    xp = backend.xp()
    src = (xp.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
    m = xp.zeros((n_out, n_in))
    rows = xp.arange(n_out)
    if method == "nearest":
        idx = xp.clip(xp.floor((xp.arange(n_out) + 0.5) * (n_in / n_out)).astype(int), 0, n_in - 1)
        m[rows, idx] = 1.0
        return m
    base = xp.floor(src).astype(int)
    frac = src - base
    taps = (0, 1) if method == "bilinear" else (-1, 0, 1, 2)
    for t in taps:
        i = base + t
        if method == "bilinear":  # edge taps clamp to the border pixel
            xp.add.at(m, (rows, xp.clip(i, 0, n_in - 1)), 1 - frac if t == 0 else frac)
        else:  # bicubic: taps outside the image drop out and the row's weights are renormalized
            inside = (i >= 0) & (i < n_in)
            xp.add.at(m, (rows[inside], i[inside]), _cubic(frac - t)[inside])
    if method == "bicubic":
        m /= m.sum(axis=1, keepdims=True)
    return m


class Resize2D(Function):
    """Resize the two spatial axes ``axes`` of an image batch with interpolation matrices."""

    def __init__(self, axes: tuple[int, int], out_hw: tuple[int, int], method: str) -> None:
        self.axes, self.out_hw, self.method = axes, out_hw, method

    def forward(self, x: Any) -> Any:
        ah = interpolation_matrix(x.shape[self.axes[0]], self.out_hw[0], self.method).astype(x.dtype)
        aw = interpolation_matrix(x.shape[self.axes[1]], self.out_hw[1], self.method).astype(x.dtype)
        self.saved = (ah, aw)
        return self._apply(x, ah, aw)

    def _apply(self, x: Any, ah: Any, aw: Any) -> Any:
        xp = self.xp
        h, w = self.axes
        y = xp.moveaxis(xp.tensordot(ah, x, axes=(1, h)), 0, h)
        return xp.moveaxis(xp.tensordot(aw, y, axes=(1, w)), 0, w)

    def backward(self, dy: Any) -> Any:
        ah, aw = self.saved
        return self._apply(dy, ah.T, aw.T)
