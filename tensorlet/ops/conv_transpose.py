"""Transposed 2-D convolution on NHWC arrays (the gradient of ``conv2d`` with respect to its input).

Forward: one GEMM turns every input pixel into a (KH, KW, F) patch, and the patches are added into the output
by kernel tap (KH*KW strided slice additions). Backward: the windows of the output gradient give one GEMM for
the input gradient and one for the kernel gradient.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops.conv import _pair, conv_operands, windows


def transpose_out_size(n: int, k: int, stride: int, dilation: int, padding: str,
                       output_padding: int | None = None) -> int:
    """The output length of a transposed convolution along one axis (Keras' rule)."""
    eff = (k - 1) * dilation + 1
    if output_padding is None:
        return n * stride + max(eff - stride, 0) if padding == "valid" else n * stride
    pad = eff // 2 if padding == "same" else 0
    return (n - 1) * stride + eff - 2 * pad + output_padding


def _pad_before(n: int, out: int, eff: int, stride: int, padding: str) -> int:
    """Where the output starts inside the full (uncropped) scatter buffer: the 'same' padding of the forward
    convolution that maps ``out`` pixels back to ``n``."""
    if padding != "same":
        return 0
    return max((n - 1) * stride + eff - out, 0) // 2


class Conv2DTranspose(Function):
    """y = conv2d_transpose(x, w): x (N,H,W,C), w (KH,KW,F,C) -> y (N,OH,OW,F).

    y[n, i*s + a*d - p, j*s + b*d - q, f] += x[n, i, j, c] w[a, b, f, c]; dx = windows(dy) w; dw = windows(dy)^T x.
    """

    def __init__(self, strides: tuple[int, int], padding: str, dilation: tuple[int, int],
                 out_hw: tuple[int, int]) -> None:
        self.s, self.padding, self.d, self.out_hw = strides, padding, dilation, out_hw

    def _layout(self, x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> tuple[Any, ...]:
        n, h, w_, _ = x_shape
        kh, kw = w_shape[:2]
        effh, effw = (kh - 1) * self.d[0] + 1, (kw - 1) * self.d[1] + 1
        oh, ow = self.out_hw
        ph = _pad_before(h, oh, effh, self.s[0], self.padding)
        pw = _pad_before(w_, ow, effw, self.s[1], self.padding)
        bh = max((h - 1) * self.s[0] + effh, ph + oh)
        bw = max((w_ - 1) * self.s[1] + effw, pw + ow)
        return ph, pw, bh, bw

    def forward(self, x: Any, w: Any) -> Any:
        n, h, wd, c = x.shape
        kh, kw, f, _ = w.shape
        ph, pw, bh, bw = self._layout(x.shape, w.shape)
        cols = (x.reshape(n * h * wd, c) @ w.reshape(kh * kw * f, c).T).reshape(n, h, wd, kh, kw, f)
        buf = self.xp.zeros((n, bh, bw, f), dtype=self.xp.result_type(x, w))
        sh, sw = self.s
        for a in range(kh):
            for b in range(kw):
                r0, c0 = a * self.d[0], b * self.d[1]
                buf[:, r0:r0 + sh * (h - 1) + 1:sh, c0:c0 + sw * (wd - 1) + 1:sw, :] += cols[:, :, :, a, b, :]
        self.saved = (x, w, ph, pw, bh, bw)
        oh, ow = self.out_hw
        return buf[:, ph:ph + oh, pw:pw + ow, :]

    def backward(self, dy: Any) -> Any:
        x, w, ph, pw, bh, bw = self.saved
        n, h, wd, c = x.shape
        kh, kw, f, _ = w.shape
        oh, ow = self.out_hw
        dbuf = self.xp.zeros((n, bh, bw, f), dtype=dy.dtype)
        dbuf[:, ph:ph + oh, pw:pw + ow, :] = dy
        dcols = windows(dbuf, kh, kw, h, wd, self.s, self.d).reshape(n * h * wd, kh * kw * f)
        need_x, need_w = self.needs_input_grad
        dx = (dcols @ w.reshape(kh * kw * f, c)).reshape(x.shape) if need_x else None
        dw = (dcols.T @ x.reshape(n * h * wd, c)).reshape(w.shape) if need_w else None
        return dx, dw


def conv2d_transpose(x: Any, kernel: Any, strides: Any = 1, padding: str = "valid", output_padding: Any = None,
                     dilation_rate: Any = 1, output_shape: Any = None) -> Tensor:
    """Transposed convolution of NHWC ``x`` with a (KH, KW, out_channels, in_channels) ``kernel`` (no bias).

    The output height and width follow Keras' rule from ``padding`` and ``output_padding``, or are taken from
    ``output_shape`` (N, OH, OW, F) when it is given.
    """
    xt, kt, padding = conv_operands("conv2d_transpose", x, kernel, padding, 3, 1,
                                    "(KH, KW, out_channels, in_channels)")
    xs, ks = xt._value.shape, kt._value.shape
    s, d = _pair(strides), _pair(dilation_rate)
    if output_shape is not None:
        out_hw = (int(output_shape[1]), int(output_shape[2]))
    else:
        op = (None, None) if output_padding is None else _pair(output_padding)
        out_hw = (transpose_out_size(xs[1], ks[0], s[0], d[0], padding, op[0]),
                  transpose_out_size(xs[2], ks[1], s[1], d[1], padding, op[1]))
    return Conv2DTranspose(s, padding, d, out_hw)(xt, kt)
