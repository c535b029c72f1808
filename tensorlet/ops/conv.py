"""Convolution and pooling on NHWC arrays: im2col + one GEMM forward, col2im by kernel tap backward.

The patch matrix is one copy of a strided window view (no Python loop over pixels) and lives only for one call and
its backward pass, so the temporary memory is N*OH*OW*KH*KW*C elements. The backward pass scatters by kernel tap
(KH*KW slice additions). One GEMM for all taps, then the additions, runs its GEMM twice as fast alone (CIFAR's
second layer: 3.3 ms against 7.0 ms for nine products) but measured 1.33x slower inside the op on the shared
machine (a second patch-sized array beside the saved one), and was not kept.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.backend import Array
from tensorlet.errors import InvalidArgumentError
from tensorlet.ops.convert import as_tensor

BIAS_IN_GEMM_MAX_K = 64  # patch columns up to which the bias rides in the GEMM (27 pays; 288 measured 1.05x slower)


def out_size(n: int, k: int, stride: int, dilation: int, padding: str) -> int:
    eff = (k - 1) * dilation + 1
    if padding == "same":
        return -(-n // stride)
    return (n - eff) // stride + 1 if n >= eff else 0


def pads(n: int, k: int, stride: int, dilation: int, padding: str) -> tuple[int, int]:
    """(before, after) padding of one spatial axis; 'same' puts the extra pixel after, as TF does."""
    if padding != "same":
        return 0, 0
    eff = (k - 1) * dilation + 1
    total = max((out_size(n, k, stride, dilation, padding) - 1) * stride + eff - n, 0)
    return total // 2, total - total // 2


def windows(xpad: Array, kh: int, kw: int, oh: int, ow: int, s: tuple[int, int], d: tuple[int, int]) -> Array:
    """A (N, OH, OW, KH, KW, C) read-only strided view of the windows of a padded NHWC array."""
    n, _, _, c = xpad.shape
    sn, sh, sw, sc = xpad.strides
    return backend.current().as_strided(xpad, (n, oh, ow, kh, kw, c),
                                        (sn, sh * s[0], sw * s[1], sh * d[0], sw * d[1], sc))


def _tap(xpad: Any, a: int, b: int, oh: int, ow: int, s: tuple[int, int]) -> Any:
    """The (N, OH, OW, C) strided view of kernel tap (a, b) over a padded NHWC array."""
    return xpad[:, a:a + s[0] * (oh - 1) + 1:s[0], b:b + s[1] * (ow - 1) + 1:s[1], :]


class Conv2D(Function):
    """y = act(conv(x, w) + b): x (N,H,W,C), w (KH,KW,C/groups,F), optional b (F,), act None or "relu".
    With g = dy * act'(y): dw = patches^T g; db = sum g; dx = col2im(g w^T).

    Without groups and with few patch columns (KH*KW*C <= 64, first layers: a GEMM that is bound by memory, where
    a pass over y costs as much as the product), the bias is a last column of ones in the patch matrix and a last
    row of the kernel matrix: the GEMM adds it, and db is the last row of the dw product (CIFAR's first layer,
    batch 64: forward 0.59x, dw and db 0.54x against a pass over y and a column sum). The ReLU runs in place on
    the GEMM's output."""

    def __init__(self, strides: tuple[int, int], padding: str, dilation: tuple[int, int], groups: int = 1,
                 activation: str | None = None) -> None:
        if activation not in (None, "relu"):
            raise ValueError(f"Conv2D: activation must be None or 'relu', got {activation!r}")
        self.s, self.padding, self.d, self.groups = strides, padding, dilation, groups
        self.activation = activation

    def _geometry(self, x: Array, w: Array) -> tuple[int, int, tuple[int, int], tuple[int, int]]:
        kh, kw = w.shape[:2]
        oh = out_size(x.shape[1], kh, self.s[0], self.d[0], self.padding)
        ow = out_size(x.shape[2], kw, self.s[1], self.d[1], self.padding)
        return oh, ow, pads(x.shape[1], kh, self.s[0], self.d[0], self.padding), \
            pads(x.shape[2], kw, self.s[1], self.d[1], self.padding)

    def forward(self, x: Any, w: Any, b: Any = None) -> Any:
        kh, kw, cg, f = w.shape
        oh, ow, ph, pw = self._geometry(x, w)
        xp = self.xp
        xpad = xp.pad(x, ((0, 0), ph, pw, (0, 0))) if (ph != (0, 0) or pw != (0, 0)) else x
        n = x.shape[0]
        g = self.groups
        fold = False
        if g == 1:
            k = kh * kw * cg
            fold = b is not None and k <= BIAS_IN_GEMM_MAX_K
            if (kh, kw, self.s) == (1, 1, (1, 1)) and xpad is x and not fold:
                # a 1x1 convolution: the pixels are the patches (ResNet's bottlenecks: no copy of the input)
                cols = xp.ascontiguousarray(x).reshape(n * oh * ow, k)
            else:
                cols = xp.empty((n * oh * ow, k + fold), dtype=x.dtype)
                # one copy of the window view (measured faster than a copy per kernel tap even for C = 3, NumPy
                # 2.4); splitting the contiguous last axis of a column slice is a view, so the copy lands in cols
                cols.reshape(n, oh, ow, -1)[..., :k].reshape(n, oh, ow, kh, kw, cg)[...] = \
                    windows(xp.ascontiguousarray(xpad), kh, kw, oh, ow, self.s, self.d)
            wk = w.reshape(k, f)
            if fold:  # the bias as a last column of ones: no pass over y, and db is a row of dw's GEMM
                cols[:, k] = 1
                wk = xp.concatenate([wk, b.reshape(1, f)])
            y = (cols @ wk).reshape(n, oh, ow, f)
            saved_cols: Any = cols
        else:
            win = windows(xp.ascontiguousarray(xpad), kh, kw, oh, ow, self.s, self.d)
            fg = f // g
            outs, saved_cols = [], []
            for i in range(g):
                cols = win[..., i * cg:(i + 1) * cg].reshape(n * oh * ow, kh * kw * cg)
                saved_cols.append(cols)
                outs.append(cols @ w[..., i * fg:(i + 1) * fg].reshape(kh * kw * cg, fg))
            y = xp.concatenate(outs, axis=1).reshape(n, oh, ow, f)
        if b is not None and not fold:
            y += b
        if self.activation == "relu":
            xp.maximum(y, 0, out=y)
        self.saved = (x.shape, xpad.shape, saved_cols, w, ph, pw, y if self.activation else None, b is not None, fold)
        return y

    def backward(self, dy: Any) -> Any:
        x_shape, xpad_shape, cols, w, ph, pw, y, has_b, fold = self.saved
        xp = self.xp
        kh, kw, cg, f = w.shape
        n, oh, ow, _ = dy.shape
        g = self.groups
        fg = f // g
        if self.activation == "relu":
            dy = dy * (y > 0)
        dy2 = dy.reshape(n * oh * ow, f)
        needs = self.needs_input_grad
        need_x, need_w = needs[0], needs[1]
        dw = dx = db = None
        if fold and (need_w or needs[2]):
            dwb = cols.T @ dy2  # its last row is db = the sum of dy over the pixels
            dw = dwb[:-1].reshape(w.shape) if need_w else None
            db = dwb[-1] if needs[2] else None
        elif not fold:
            if need_w:
                dw = (cols.T @ dy2).reshape(w.shape) if g == 1 else xp.concatenate(
                    [(cols[i].T @ dy2[:, i * fg:(i + 1) * fg]).reshape(kh, kw, cg, fg) for i in range(g)], axis=3)
            if has_b and needs[2]:
                db = backend.current().sum_leading(dy2, 1)
        if need_x:
            dxp = xp.zeros(xpad_shape, dtype=dy.dtype)
            for i in range(g):  # col2im by kernel tap: one (N*OH*OW, F/g) x (F/g, C/g) product added per tap
                dyg = dy2[:, i * fg:(i + 1) * fg]
                for a in range(kh):
                    for b in range(kw):
                        part = (dyg @ w[a, b, :, i * fg:(i + 1) * fg].T).reshape(n, oh, ow, cg)
                        _tap(dxp, a * self.d[0], b * self.d[1], oh, ow, self.s)[..., i * cg:(i + 1) * cg] += part
            dx = dxp[:, ph[0]:ph[0] + x_shape[1], pw[0]:pw[0] + x_shape[2], :]
        return (dx, dw, db) if has_b else (dx, dw)


class Pool2D(Function):
    """Max or average pooling over (PH, PW) windows, computed by kernel tap (PH*PW elementwise passes over
    strided views; no patch copy). Max: the gradient goes to the first maximum of each window in row-major tap
    order, as TF does; average: 'same' padding averages only the real pixels, as TF does.

    ``relu=True`` (max only) pools the input and then applies max(., 0): relu(max(x)) = max(relu(x)) exactly, so
    this is the ReLU-then-pool pair of a CNN with the ReLU on the pooled array (a quarter of the size for 2x2
    windows) in both directions. The gradients are the pair's too: where a window's maximum is <= 0 both give 0,
    elsewhere the maxima of x and relu(x) are at the same taps. ``ops.fusion`` makes this rewrite."""

    def __init__(self, pool: tuple[int, int], strides: tuple[int, int], padding: str, mode: str,
                 relu: bool = False) -> None:
        if relu and mode != "max":
            raise ValueError(f"Pool2D: relu=True needs mode='max' (ReLU does not commute with {mode!r} pooling)")
        self.pool, self.s, self.padding, self.mode, self.relu = pool, strides, padding, mode, relu

    def forward(self, x: Any) -> Any:
        (kh, kw), s = self.pool, self.s
        oh = out_size(x.shape[1], kh, s[0], 1, self.padding)
        ow = out_size(x.shape[2], kw, s[1], 1, self.padding)
        ph, pw = pads(x.shape[1], kh, s[0], 1, self.padding), pads(x.shape[2], kw, s[1], 1, self.padding)
        xp = self.xp
        fill = -math.inf if self.mode == "max" else 0
        xpad = xp.pad(x, ((0, 0), ph, pw, (0, 0)), constant_values=fill) if ph != (0, 0) or pw != (0, 0) else x
        taps = [(a, b) for a in range(kh) for b in range(kw)]
        y = _tap(xpad, 0, 0, oh, ow, s).copy()
        combine = xp.maximum if self.mode == "max" else xp.add
        for a, b in taps[1:]:
            combine(y, _tap(xpad, a, b, oh, ow, s), out=y)
        counts = None
        if self.mode == "avg":
            if ph != (0, 0) or pw != (0, 0):
                ones = xp.pad(xp.ones((1,) + x.shape[1:3] + (1,), x.dtype), ((0, 0), ph, pw, (0, 0)))
                counts = windows(ones, kh, kw, oh, ow, s, (1, 1)).sum(axis=(3, 4))
                y /= counts
            else:
                y *= x.dtype.type(1.0 / (kh * kw))
        self.saved = (x.shape, xpad, y if self.mode == "max" else None, ph, pw, counts)
        return xp.maximum(y, 0) if self.relu else y

    def backward(self, dy: Any) -> Any:
        x_shape, xpad, y, ph, pw, counts = self.saved
        (kh, kw), s = self.pool, self.s
        n, oh, ow, c = dy.shape
        xp = self.xp
        if self.relu:
            dy = dy * (y > 0)
        if self.mode == "max" and (kh, kw) == s:
            dxp = self._tiled_max_grad(xpad, y, dy)
            return dxp[:, ph[0]:ph[0] + x_shape[1], pw[0]:pw[0] + x_shape[2], :]
        dxp = xp.zeros(xpad.shape, dtype=dy.dtype)
        if self.mode == "max":  # masks are multiplied in, not used as `where=`: masked writes are far slower here
            disjoint = s[0] >= kh and s[1] >= kw  # windows don't overlap: each input pixel has one writer
            taps = [(a, b) for a in range(kh) for b in range(kw)]
            free = None  # windows whose maximum no earlier tap held: only the first maximum gets the gradient
            for k, (a, b) in enumerate(taps):
                first = _tap(xpad, a, b, oh, ow, s) == y
                if free is None:
                    free = ~first
                else:
                    first &= free
                    if k < len(taps) - 1:
                        free ^= first  # first is a subset of free: this clears its windows
                view = _tap(dxp, a, b, oh, ow, s)
                if disjoint:
                    xp.multiply(dy, first, out=view)
                else:
                    view += dy * first
        else:
            g = dy / counts if counts is not None else dy * dy.dtype.type(1.0 / (kh * kw))
            for a in range(kh):
                for b in range(kw):
                    _tap(dxp, a, b, oh, ow, s)[...] += g
        return dxp[:, ph[0]:ph[0] + x_shape[1], pw[0]:pw[0] + x_shape[2], :]


    def _tiled_max_grad(self, xpad: Any, y: Any, dy: Any) -> Any:
        """Max pooling's input gradient when the windows tile the input (strides = pool size, the usual 2x2 pool):
        one comparison of the input, seen as (N, OH, PH, OW, PW, C), with the broadcast maxima, and one product with
        the broadcast gradient, written in the input's own order (no zeroed array, no strided pass per tap). A
        window holding its maximum more than once (a window of zeros after a ReLU) keeps the first in row-major
        tap order, as TF does: each tap's matches are cleared where an earlier tap matched, on pooled-size views."""
        (kh, kw), xp = self.pool, self.xp
        n, oh, ow, c = y.shape
        h, w = oh * kh, ow * kw  # the rows and columns the windows cover
        at = xpad[:, :h, :w, :].reshape(n, oh, kh, ow, kw, c) == y.reshape(n, oh, 1, ow, 1, c)
        seen = None
        for a in range(kh):
            for b in range(kw):
                tap = at[:, :, a, :, b, :]
                if seen is None:
                    seen = tap.copy()
                    continue
                tap &= ~seen
                if (a, b) != (kh - 1, kw - 1):
                    seen |= tap
        # rows or columns that no window reads get no gradient; splitting axes makes a view, so the product
        # lands in dxp
        dxp = xp.empty(xpad.shape, dtype=dy.dtype) if (h, w) == xpad.shape[1:3] else xp.zeros(xpad.shape, dy.dtype)
        xp.multiply(dy.reshape(n, oh, 1, ow, 1, c), at, out=dxp[:, :h, :w, :].reshape(n, oh, kh, ow, kw, c))
        return dxp


def _pair(v: Any) -> tuple[int, int]:
    return (int(v), int(v)) if isinstance(v, (int, numbers.Integral)) else (int(v[0]), int(v[1]))


def conv_operands(op: str, x: Any, kernel: Any, padding: str, in_axis: int, in_mult: int,
                  layout: str) -> tuple[Tensor, Tensor, str]:
    """A 4-D input, a 4-D kernel whose axis ``in_axis`` (times ``in_mult``) matches the input channels, and the
    padding in lower case; otherwise an error naming the op, both shapes and the kernel layout."""
    xt, kt = as_tensor(x), as_tensor(kernel)
    xs, ks = xt._value.shape, kt._value.shape
    if len(xs) != 4 or len(ks) != 4:
        raise InvalidArgumentError(f"{op} expects a 4-D input (N, H, W, C) and a 4-D kernel, got shapes "
                                   f"{list(xs)} and {list(ks)}")
    if xs[3] != ks[in_axis] * in_mult:
        raise InvalidArgumentError(f"{op}: input has {xs[3]} channels but the kernel expects {ks[in_axis] * in_mult} "
                                   f"(kernel shape {list(ks)} is {layout})")
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return xt, kt, padding


def conv2d(x: Any, kernel: Any, strides: Any = 1, padding: str = "valid", dilation_rate: Any = 1,
           groups: int = 1, bias: Any = None, activation: str | None = None) -> Tensor:
    """2-D convolution of NHWC ``x`` with an HWIO ``kernel``, then ``bias`` (F,) and ``activation`` (None or
    "relu") applied in place on the output."""
    xt, kt, padding = conv_operands("conv2d", x, kernel, padding, 2, groups, "(KH, KW, C/groups, F)")
    op = Conv2D(_pair(strides), padding, _pair(dilation_rate), groups, activation)
    if bias is None:
        return op(xt, kt)
    bt = as_tensor(bias)
    if tuple(bt._value.shape) != (kt._value.shape[3],):
        raise InvalidArgumentError(f"conv2d: bias must have shape ({kt._value.shape[3]},) (one per filter), got "
                                   f"{list(bt._value.shape)}")
    return op(xt, kt, bt)


def pool2d(x: Any, pool_size: Any, strides: Any = None, padding: str = "valid", mode: str = "max") -> Tensor:
    xt = as_tensor(x)
    if xt._value.ndim != 4:
        raise InvalidArgumentError(f"pool2d expects a 4-D input (N, H, W, C), got shape {list(xt._value.shape)}")
    pool = _pair(pool_size)
    return Pool2D(pool, _pair(strides if strides is not None else pool), padding.lower(), mode)(xt)
