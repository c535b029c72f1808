"""A stride-1 convolution without a patch matrix, for steps that run no backward pass.

Seen as rows of pixels, a padded NHWC image laid flat is a (rows x width, C) matrix, and kernel tap (a, b) reads
it shifted by ``a * width + b`` rows: output pixel (i, j) at flat row ``i * width + j`` takes input row
``i * width + j + a * width + b``. So the convolution is the sum over taps of one product each, ``x_flat[shift :
shift + L] @ w[a, b]``, on contiguous slices of the input, accumulated into one (L, F) result per image, whose
rows past each output row's end (the last ``width - OW`` of each) are discarded. The im2col path copies the input
KH*KW times into its patch matrix (for ResNet50's 3x3 convolutions, 230 MB a layer at batch 32); this one writes
only the output, a few columns wider. Training keeps the patch matrix, which the kernel's gradient reads.
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.ops.conv import out_size, pads

MIN_PIXELS = 512  # input pixels per image, at least: below, the per-image products are too small to beat one GEMM


def applies(x: Any, w: Any, strides: tuple[int, int], groups: int) -> bool:
    """Worth it for this convolution: stride 1, no groups, a kernel wider than 1x1, float32/64 operands, and
    images large enough (ResNet50's 3x3 layers at batch 32: 56x56 7.6x faster, 28x28 1.4x, 14x14 0.8x, 7x7 0.5x)."""
    return strides == (1, 1) and groups == 1 and w.shape[0] * w.shape[1] > 1 and x.dtype == w.dtype and \
        x.dtype.kind == "f" and x.dtype.itemsize >= 4 and x.shape[1] * x.shape[2] >= MIN_PIXELS


def conv2d_shifted(x: Any, w: Any, padding: str, dilation: tuple[int, int]) -> Any:
    """conv2d(x, w) (NHWC, HWIO, stride 1) as shifted products; returns (N, OH, OW, F)."""
    xp = backend.xp()
    kh, kw, c, f = w.shape
    n = x.shape[0]
    oh = out_size(x.shape[1], kh, 1, dilation[0], padding)
    ow = out_size(x.shape[2], kw, 1, dilation[1], padding)
    ph, pw = pads(x.shape[1], kh, 1, dilation[0], padding), pads(x.shape[2], kw, 1, dilation[1], padding)
    xpad = xp.pad(x, ((0, 0), ph, pw, (0, 0))) if ph != (0, 0) or pw != (0, 0) else xp.ascontiguousarray(x)
    width = xpad.shape[2]
    flat = xpad.reshape(n, xpad.shape[1] * width, c)
    rows = (oh - 1) * width + ow  # the flat rows from the first output pixel to the last
    y = xp.empty((n, oh * width, f), dtype=x.dtype)
    accumulate = backend.current().gemm_accumulate
    for i in range(n):
        out = y[i, :rows]
        first = True
        for a in range(kh):
            for b in range(kw):
                shift = a * dilation[0] * width + b * dilation[1]
                part = flat[i, shift:shift + rows]
                if first:
                    xp.matmul(part, w[a, b], out=out)
                    first = False
                elif not accumulate(out, part, w[a, b]):
                    out += part @ w[a, b]
    return xp.ascontiguousarray(y.reshape(n, oh, width, f)[:, :, :ow, :])  # the next op reads it as rows
