"""Depthwise 2-D convolution on NHWC arrays: each input channel gets its own ``depth_multiplier`` filters.

Computed by kernel tap (KH*KW vectorised multiply-adds over a strided view), so no patch matrix is built.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops.conv import _pair, conv_operands, out_size, pads

CHUNK_BYTES = 1 << 20  # output computed together, at most (at least one image)


def _span(n_out: int, n_in: int, start: int, step: int) -> tuple[int, int, int]:
    """The outputs o0 <= o < o1 whose input index start + o * step lies in [0, n_in), and the first such input."""
    o0 = max(0, -(start // step))  # ceil(-start / step)
    o1 = min(n_out, (n_in - 1 - start) // step + 1) if n_in - 1 - start >= 0 else 0
    return o0, max(o1, o0), start + o0 * step


class DepthwiseConv2D(Function):
    """y[n,i,j,c*M+m] = sum_{a,b} xpad[n, i*s+a*d, j*s+b*d, c] w[a,b,c,m] for x (N,H,W,C), w (KH,KW,C,M).

    'same' padding is never materialised: each kernel tap reads the rectangle of x it overlaps and adds into the
    matching rectangle of y (and back, for dx), so no zero-padded copy of the input or of its gradient is made."""

    def __init__(self, strides: tuple[int, int], padding: str, dilation: tuple[int, int]) -> None:
        self.s, self.padding, self.d = strides, padding, dilation

    def _taps(self, x_shape: tuple[int, ...], kh: int, kw: int, oh: int, ow: int) -> list[Any]:
        """Per kernel tap (a, b): the output slices and the strided input slices that it pairs."""
        ph = pads(x_shape[1], kh, self.s[0], self.d[0], self.padding)[0]
        pw = pads(x_shape[2], kw, self.s[1], self.d[1], self.padding)[0]
        taps = []
        for a in range(kh):
            i0, i1, r0 = _span(oh, x_shape[1], a * self.d[0] - ph, self.s[0])
            for b in range(kw):
                j0, j1, c0 = _span(ow, x_shape[2], b * self.d[1] - pw, self.s[1])
                if i1 > i0 and j1 > j0:
                    rows = slice(r0, r0 + self.s[0] * (i1 - i0 - 1) + 1, self.s[0])
                    cols = slice(c0, c0 + self.s[1] * (j1 - j0 - 1) + 1, self.s[1])
                    taps.append((a, b, (slice(None), slice(i0, i1), slice(j0, j1)), (slice(None), rows, cols)))
        return taps

    def forward(self, x: Any, w: Any) -> Any:
        n, h, wd, c = x.shape
        kh, kw, _, m = w.shape
        oh = out_size(h, kh, self.s[0], self.d[0], self.padding)
        ow = out_size(wd, kw, self.s[1], self.d[1], self.padding)
        xp = self.xp
        dtype = xp.result_type(x, w)
        y = xp.empty((n, oh, ow, c, m), dtype=dtype)
        taps = self._taps(x.shape, kh, kw, oh, ow)
        # a tap that covers every output (the centre one, for 'same') writes the first term, instead of zeros
        whole = next((t for t in taps if (t[2][1].start, t[2][1].stop, t[2][2].start, t[2][2].stop) == (0, oh, 0, ow)),
                     None)
        # a few images at a time, each tap's product in one reused buffer: the terms of a photo-sized batch are
        # tens of megabytes, and fresh ones cost their page faults and a trip through memory each
        per = max(1, CHUNK_BYTES // max(1, oh * ow * c * m * y.itemsize))
        term = xp.empty((min(per, n), oh, ow, c, m), dtype=dtype)
        if m == 1:  # one filter per channel: drop the multiplier axis, so that each inner loop runs over channels
            x5, y5, w5, term5 = x, y[..., 0], w[..., 0], term[..., 0]
        else:
            x5, y5, w5, term5 = x[..., None], y, w, term
        for start in range(0, n, per):
            xc, yc = x5[start:start + per], y5[start:start + per]
            if whole is None:
                yc[...] = 0
            else:
                xp.multiply(xc[whole[3]], w5[whole[0], whole[1]], out=yc)
            for a, b, out, inp in taps:
                if whole is not None and (a, b) == whole[:2]:
                    continue
                t = term5[:len(xc)][out]
                xp.multiply(xc[inp], w5[a, b], out=t)
                yc[out] += t
        self.saved = (x, w)
        return y.reshape(n, oh, ow, c * m)

    def backward(self, dy: Any) -> Any:
        x, w = self.saved
        kh, kw, c, m = w.shape
        n, oh, ow, _ = dy.shape
        g = dy.reshape(n, oh, ow, c, m)
        need_x, need_w = self.needs_input_grad
        xp = self.xp
        dx = xp.zeros(x.shape, dtype=dy.dtype) if need_x else None
        dw = xp.zeros(w.shape, dtype=dy.dtype) if need_w else None
        for a, b, out, inp in self._taps(x.shape, kh, kw, oh, ow):
            ga = g[out]
            if dw is not None:  # one multiplier: a product and a column sum (einsum's diagonal over c is slower)
                dw[a, b] = xp.add.reduce((x[inp] * ga[..., 0]).reshape(-1, c), axis=0)[:, None] if m == 1 else \
                    xp.einsum("nijc,nijcm->cm", x[inp], ga, optimize=True)
            if dx is not None:
                dx[inp] += (ga * w[a, b]).sum(axis=-1) if m > 1 else ga[..., 0] * w[a, b, :, 0]
        return dx, dw


def depthwise_conv2d(x: Any, kernel: Any, strides: Any = 1, padding: str = "valid", dilation_rate: Any = 1) -> Tensor:
    """Depthwise convolution of NHWC ``x`` with a (KH, KW, C, depth_multiplier) ``kernel`` (no bias)."""
    xt, kt, padding = conv_operands("depthwise_conv2d", x, kernel, padding, 2, 1,
                                    "(KH, KW, channels, depth_multiplier)")
    return DepthwiseConv2D(_pair(strides), padding, _pair(dilation_rate))(xt, kt)
