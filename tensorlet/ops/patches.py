"""ExtractPatches: every (KH, KW) window of NHWC images, flattened into the channel axis (``tf.image
.extract_patches``). The gradient adds each window's gradient back onto the pixels it read (by kernel tap).
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.ops.conv import out_size, pads, windows


class ExtractPatches(Function):
    """y[n, i, j, (a*KW + b)*C + c] = xpad[n, i*sh + a*rh, j*sw + b*rw, c]; "same" pads with zeros as TF does."""

    def __init__(self, ksize: tuple[int, int], strides: tuple[int, int], rates: tuple[int, int],
                 padding: str) -> None:
        self.k, self.s, self.r, self.padding = ksize, strides, rates, padding

    def _geometry(self, h: int, w: int) -> tuple[int, int, tuple[int, int], tuple[int, int]]:
        oh = out_size(h, self.k[0], self.s[0], self.r[0], self.padding)
        ow = out_size(w, self.k[1], self.s[1], self.r[1], self.padding)
        return oh, ow, pads(h, self.k[0], self.s[0], self.r[0], self.padding), \
            pads(w, self.k[1], self.s[1], self.r[1], self.padding)

    def forward(self, x: Any) -> Any:
        xp = self.xp
        n, h, w, c = x.shape
        oh, ow, ph, pw = self._geometry(h, w)
        self.saved = (x.shape, x.dtype, oh, ow, ph, pw)
        if oh == 0 or ow == 0:
            return xp.zeros((n, oh, ow, self.k[0] * self.k[1] * c), dtype=x.dtype)
        xpad = xp.pad(x, ((0, 0), ph, pw, (0, 0))) if ph != (0, 0) or pw != (0, 0) else x
        view = windows(xpad, self.k[0], self.k[1], oh, ow, self.s, self.r)
        return xp.ascontiguousarray(view).reshape(n, oh, ow, -1)

    def backward(self, dy: Any) -> Any:
        xp = self.xp
        shape, _, oh, ow, ph, pw = self.saved
        n, h, w, c = shape
        dxp = xp.zeros((n, h + ph[0] + ph[1], w + pw[0] + pw[1], c), dtype=dy.dtype)
        g = dy.reshape(n, oh, ow, self.k[0], self.k[1], c)
        for a in range(self.k[0]):
            for b in range(self.k[1]):
                r0, c0 = a * self.r[0], b * self.r[1]
                dxp[:, r0:r0 + self.s[0] * (oh - 1) + 1:self.s[0], c0:c0 + self.s[1] * (ow - 1) + 1:self.s[1], :] \
                    += g[:, :, :, a, b, :]
        return dxp[:, ph[0]:ph[0] + h, pw[0]:pw[0] + w, :]
