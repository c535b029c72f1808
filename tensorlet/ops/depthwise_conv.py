"""Depthwise 2-D convolution on NHWC arrays: each input channel gets its own ``depth_multiplier`` filters.

Computed by kernel tap (KH*KW vectorised multiply-adds over a strided view), so no patch matrix is built.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops.conv import _pair, conv_operands, out_size, pads


class DepthwiseConv2D(Function):
    """y[n,i,j,c*M+m] = sum_{a,b} xpad[n, i*s+a*d, j*s+b*d, c] w[a,b,c,m] for x (N,H,W,C), w (KH,KW,C,M)."""

    def __init__(self, strides: tuple[int, int], padding: str, dilation: tuple[int, int]) -> None:
        self.s, self.padding, self.d = strides, padding, dilation

    def _tap(self, xpad: Any, a: int, b: int, oh: int, ow: int) -> Any:
        r0, c0 = a * self.d[0], b * self.d[1]
        return xpad[:, r0:r0 + self.s[0] * (oh - 1) + 1:self.s[0], c0:c0 + self.s[1] * (ow - 1) + 1:self.s[1], :]

    def forward(self, x: Any, w: Any) -> Any:
        n, h, wd, c = x.shape
        kh, kw, _, m = w.shape
        oh = out_size(h, kh, self.s[0], self.d[0], self.padding)
        ow = out_size(wd, kw, self.s[1], self.d[1], self.padding)
        ph, pw = pads(h, kh, self.s[0], self.d[0], self.padding), pads(wd, kw, self.s[1], self.d[1], self.padding)
        xp = self.xp
        xpad = xp.pad(x, ((0, 0), ph, pw, (0, 0))) if (ph != (0, 0) or pw != (0, 0)) else x
        y = xp.zeros((n, oh, ow, c, m), dtype=xp.result_type(x, w))
        for a in range(kh):
            for b in range(kw):
                y += self._tap(xpad, a, b, oh, ow)[..., None] * w[a, b]
        self.saved = (x.shape, xpad, w, ph, pw)
        return y.reshape(n, oh, ow, c * m)

    def backward(self, dy: Any) -> Any:
        x_shape, xpad, w, ph, pw = self.saved
        kh, kw, c, m = w.shape
        n, oh, ow, _ = dy.shape
        g = dy.reshape(n, oh, ow, c, m)
        need_x, need_w = self.needs_input_grad
        xp = self.xp
        dxp = xp.zeros(xpad.shape, dtype=dy.dtype) if need_x else None
        dw = xp.zeros(w.shape, dtype=dy.dtype) if need_w else None
        for a in range(kh):
            for b in range(kw):
                if dw is not None:
                    dw[a, b] = xp.einsum("nijc,nijcm->cm", self._tap(xpad, a, b, oh, ow), g, optimize=True)
                if dxp is not None:
                    self._tap(dxp, a, b, oh, ow)[...] += (g * w[a, b]).sum(axis=-1) if m > 1 else g[..., 0] * w[a, b, :, 0]
        dx = None if dxp is None else dxp[:, ph[0]:ph[0] + x_shape[1], pw[0]:pw[0] + x_shape[2], :]
        return dx, dw


def depthwise_conv2d(x: Any, kernel: Any, strides: Any = 1, padding: str = "valid", dilation_rate: Any = 1) -> Tensor:
    """Depthwise convolution of NHWC ``x`` with a (KH, KW, C, depth_multiplier) ``kernel`` (no bias)."""
    xt, kt, padding = conv_operands("depthwise_conv2d", x, kernel, padding, 2, 1,
                                    "(KH, KW, channels, depth_multiplier)")
    return DepthwiseConv2D(_pair(strides), padding, _pair(dilation_rate))(xt, kt)
