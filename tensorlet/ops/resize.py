"""Image resizing, one spatial axis at a time: every output row (then column) is a weighted sum of a few input
rows, so the op is separable and its gradient is the same weighting transposed.

Each axis gets a *tap plan*: for every output position the input indices and weights it reads. The plans
follow ``tf.image.resize`` exactly:

- ``bilinear``, ``nearest``, ``bicubic`` (without antialias): half-pixel centres, output ``o`` samples input
  coordinate ``(o + 0.5) * in / out - 0.5``. Bilinear taps outside the image clamp to the edge; nearest takes
  ``floor((o + 0.5) * in / out)``; bicubic uses Keys' kernel (a = -0.5), drops taps outside the image and
  renormalises the rest.
- ``area``: each output pixel averages the input interval ``[o * in / out, (o + 1) * in / out)``, pixels
  weighted by how much of them it covers (no half-pixel shift: TF's ``ResizeArea``).
- ``lanczos3``, ``lanczos5``, ``gaussian``, ``mitchellcubic``, and ``bilinear``/``bicubic`` with
  ``antialias=True`` (triangle/Keys kernels): TF's scale-and-translate sampling. Output ``o`` sits at input
  coordinate ``s = (o + 0.5) * in / out``; input pixel ``j`` weighs ``k((j + 0.5 - s) / ks)``, normalised over
  the pixels within the kernel's radius, where ``ks = max(in / out, 1)`` with antialias (the kernel widens to
  low-pass filter when shrinking) and 1 without.

A plan with few taps is applied as that many gathers along the axis (cheap: two taps for bilinear whatever the
sizes); one with many (antialiased shrinking) as a dense ``(out, in)`` matrix product. A batch larger than a
megabyte goes through both passes a few images at a time, so that the second pass reads from the cache.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.backend import Array

METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
"""The resize methods of ``tf.image.ResizeMethod``, by their string values."""


# -- sampling kernels (of a distance |d| in input pixels, at scale 1) ---------------------------------------------
def _triangle(d: Array, xp: Any) -> Array:
    return xp.maximum(1.0 - d, 0.0)


def _keys_cubic(d: Array, xp: Any, a: float = -0.5) -> Array:
    """Keys' cubic convolution kernel (Catmull-Rom for a = -0.5)."""
    near = ((a + 2) * d - (a + 3)) * d * d + 1
    far = ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
    return xp.where(d < 1, near, xp.where(d < 2, far, 0.0))


def _mitchell_cubic(d: Array, xp: Any) -> Array:
    """Mitchell-Netravali's cubic with B = C = 1/3 (not interpolating: less ringing)."""
    near = ((7.0 / 6.0 * d - 2.0) * d) * d + 8.0 / 9.0
    far = ((-7.0 / 18.0 * d + 2.0) * d - 10.0 / 3.0) * d + 16.0 / 9.0
    return xp.where(d < 1, near, xp.where(d < 2, far, 0.0))


def _lanczos(radius: int) -> Callable[[Array, Any], Array]:
    def kernel(d: Array, xp: Any) -> Array:
        safe = xp.where(d < 1e-3, 1.0, d)  # sin(pi x)/(pi x) -> 1 at 0
        v = radius * xp.sin(math.pi * safe) * xp.sin(math.pi * safe / radius) / (math.pi * math.pi * safe * safe)
        return xp.where(d < 1e-3, 1.0, xp.where(d > radius, 0.0, v))
    return kernel


def _gaussian(d: Array, xp: Any, radius: float = 1.5) -> Array:
    sigma = radius / 3.0  # TF's choice: support of three pixels, sigma = 0.5
    return xp.where(d < radius, xp.exp(-d * d / (2.0 * sigma * sigma)), 0.0)


# kernel and its radius, for the scale-and-translate methods
_KERNELS: dict[str, tuple[Callable[..., Array], float]] = {
    "triangle": (_triangle, 1.0), "keyscubic": (_keys_cubic, 2.0), "mitchellcubic": (_mitchell_cubic, 2.0),
    "lanczos3": (_lanczos(3), 3.0), "lanczos5": (_lanczos(5), 5.0), "gaussian": (_gaussian, 1.5),
}


def _kernel_name(method: str, antialias: bool) -> str | None:
    """The scale-and-translate kernel a method samples with, or None for TF's dedicated resize kernels."""
    if method in ("lanczos3", "lanczos5", "gaussian", "mitchellcubic"):
        return method
    if antialias and method == "bilinear":
        return "triangle"
    if antialias and method == "bicubic":
        return "keyscubic"
    return None


# -- tap plans: (index, weight), each (n_out, taps) -------------------------------------------------------------
def taps(n_in: int, n_out: int, method: str, antialias: bool = False) -> tuple[Array, Array]:
    """The input indices and weights each of ``n_out`` outputs reads from ``n_in`` inputs (float64 weights)."""
    xp = backend.xp()
    if method not in METHODS:
        raise ValueError(f"Resize method {method!r} is not one of {list(METHODS)}")
    o = xp.arange(n_out, dtype=xp.float64)
    scale = n_in / n_out
    kernel = _kernel_name(method, antialias)
    if kernel is not None:
        return _span_taps(n_in, n_out, kernel, antialias)
    if method == "nearest":
        idx = xp.minimum(xp.floor((o + 0.5) * scale), n_in - 1).astype(xp.int64)
        return idx[:, None], xp.ones((n_out, 1))
    if method == "area":
        return _area_taps(n_in, n_out)
    src = (o + 0.5) * scale - 0.5
    base = xp.floor(src)
    frac = src - base
    base = base.astype(xp.int64)
    if method == "bilinear":  # the lower tap clamps at 0, the upper at n_in - 1 (TF's edge rule)
        lo, hi = xp.clip(base, 0, n_in - 1), xp.clip(base + 1, 0, n_in - 1)
        return xp.stack([lo, hi], axis=1), xp.stack([1.0 - frac, frac], axis=1)
    # bicubic: four taps, those outside the image dropped and the rest renormalised; TF reads Keys' weights
    # from a table of 1024 steps per pixel, so the fraction is rounded to that grid first
    frac = xp.round(frac * 1024) / 1024
    offsets = xp.arange(-1, 3)
    idx = base[:, None] + offsets[None, :]
    w = _keys_cubic(xp.abs(frac[:, None] - offsets[None, :]), xp)
    w = xp.where((idx >= 0) & (idx < n_in), w, 0.0)
    w = w / w.sum(axis=1, keepdims=True)
    return xp.clip(idx, 0, n_in - 1), w


def _area_taps(n_in: int, n_out: int) -> tuple[Array, Array]:
    xp = backend.xp()
    scale = n_in / n_out
    start = xp.arange(n_out, dtype=xp.float64) * scale
    stop = start + scale
    first = xp.floor(start).astype(xp.int64)
    width = int(math.ceil(scale)) + 1
    idx = first[:, None] + xp.arange(width)[None, :]
    cover = xp.minimum(idx + 1.0, stop[:, None]) - xp.maximum(idx * 1.0, start[:, None])
    w = xp.maximum(cover, 0.0) / scale
    return xp.clip(idx, 0, n_in - 1), w


def _span_taps(n_in: int, n_out: int, kernel: str, antialias: bool) -> tuple[Array, Array]:
    # float32 arithmetic as TF's kernel does: Gaussian weights jump at the radius, so which tap lands exactly on
    # it depends on the rounding of the sample position
    xp = backend.xp()
    f32 = xp.float32
    fn, radius = _KERNELS[kernel]
    scale = f32(n_out) / f32(n_in)
    inv_scale = f32(1.0 / float(scale))
    ks = max(inv_scale, f32(1.0)) if antialias else f32(1.0)
    reach = f32(radius) * ks
    span = min(2 * int(math.ceil(reach)) + 1, n_in)
    sample = (xp.arange(n_out, dtype=f32) + f32(0.5)) * inv_scale
    start = xp.clip(xp.ceil(sample - reach - f32(0.5)), 0, n_in - 1).astype(xp.int64)
    stop = xp.clip(xp.floor(sample + reach - f32(0.5)), 0, n_in - 1).astype(xp.int64) + 1
    idx = start[:, None] + xp.arange(span)[None, :]
    pos = idx.astype(f32) + f32(0.5) - sample[:, None]
    w = fn(xp.abs(pos * (f32(1.0) / ks)), xp).astype(f32)
    w = xp.where(idx < stop[:, None], w, f32(0.0))
    total = w.sum(axis=1, keepdims=True, dtype=f32)
    w = xp.where(xp.abs(total) > 1e-30, w / xp.where(total == 0, f32(1.0), total), f32(0.0))
    return xp.clip(idx, 0, n_in - 1), w.astype(xp.float64)


def dense_matrix(index: Array, weight: Array, n_in: int) -> Array:
    """The (n_out, n_in) matrix of a tap plan (repeated indices, from clamping, add up)."""
    xp = backend.xp()
    n_out = index.shape[0]
    m = xp.zeros((n_out, n_in))
    rows = xp.broadcast_to(xp.arange(n_out)[:, None], index.shape)
    xp.add.at(m, (rows.reshape(-1), index.reshape(-1)), weight.reshape(-1))
    return m


class Workspace:
    """Buffers reused from one image (or piece of a batch) to the next, one per role, each grown to the largest
    request. A fresh array of a few hundred kilobytes comes from new pages that the kernel must map and zero:
    for a photo those page faults cost as much as the resize's arithmetic. One workspace serves one thread,
    and an array it returns is valid until the same role is asked for again."""

    def __init__(self) -> None:
        self._buffers: dict[Any, Array] = {}

    def empty(self, role: Any, shape: tuple[int, ...], dtype: Any) -> Array:
        xp = backend.xp()
        size = 1
        for d in shape:
            size *= d
        key = (role, xp.dtype(dtype).str)
        buffer = self._buffers.get(key)
        if buffer is None or buffer.size < size:
            buffer = self._buffers[key] = xp.empty(size, dtype=dtype)
        return xp.reshape(buffer[:size], shape)

    def take(self, x: Array, index: Array, role: Any, shape: tuple[int, ...]) -> Array:
        """``take(x, index, axis=1)`` of a 3-D ``x`` into this workspace's buffer for ``role``."""
        return backend.current().take_into(x, index, 1, self.empty(role, shape, x.dtype))


class _AxisPlan:
    """One axis' plan, applied as gathers (few taps) or as a matrix (many)."""

    __slots__ = ("index", "weight", "matrix", "n_in", "n_out", "gather_only", "lerp")

    def __init__(self, n_in: int, n_out: int, method: str, antialias: bool, dtype: Any) -> None:
        xp = backend.xp()
        index, weight = taps(n_in, n_out, method, antialias)
        self.n_in, self.n_out, self.gather_only = n_in, n_out, method == "nearest"
        # two taps whose weights are (1 - f, f): a + (b - a) * f, one product fewer (TF's own bilinear form)
        self.lerp = method == "bilinear" and not antialias
        self.index: tuple[Array, ...]
        self.weight: tuple[Array, ...]
        self.matrix: Any  # either the gather taps (one index and one weight vector per tap) or a dense matrix
        # a gather costs about as much as 20 multiply-adds of a matrix product (measured with NumPy's BLAS)
        if index.shape[1] * 20 < n_in or method == "nearest":
            self.index = tuple(xp.ascontiguousarray(index[:, k]) for k in range(index.shape[1]))
            self.weight = tuple(xp.ascontiguousarray(weight[:, k]).astype(dtype) for k in range(index.shape[1]))
            self.matrix = None
        else:
            self.index = self.weight = ()
            self.matrix = dense_matrix(index, weight, n_in).astype(dtype)

    def apply(self, x: Array, axis: int, xp: Any, work: Workspace | None = None, step: int = 0) -> Array:
        """Resize ``x`` along ``axis``; with a workspace, the gathers and sums go into its buffers (``step``
        names this pass, so that the second pass does not overwrite the first one's result, its input)."""
        if self.matrix is not None:
            return xp.moveaxis(xp.tensordot(self.matrix, x, axes=(1, axis)), 0, axis)
        outer = inner = 1
        for d in x.shape[:axis]:
            outer *= d
        for d in x.shape[axis + 1:]:
            inner *= d
        # seen as (outer, n_in, inner), each tap is one gather of whole inner blocks (whole rows along the
        # height, whole pixels along the width), scaled in place and added up in tap order
        x3 = xp.reshape(x, (outer, self.n_in, inner))
        shape = tuple(x.shape[:axis]) + (self.n_out,) + tuple(x.shape[axis + 1:])
        taken = (outer, self.n_out, inner)
        if self.gather_only:  # nearest: a pure gather, exact for any dtype
            if work is None:
                return xp.take(x, self.index[0], axis=axis)
            return xp.reshape(work.take(x3, self.index[0], (step, 0), taken), shape)
        dtype = self.weight[0].dtype
        # a few values per block (an RGB pixel): the weights repeated over the block broadcast along contiguous
        # rows, several times faster than a weight column broadcast over three channels
        flat = inner < 16

        def gathered(k: int) -> Array:
            if work is None:
                term = xp.take(x3, self.index[k], axis=1)
                if term.dtype != dtype:  # integer pixels: gather first, convert only what was gathered
                    term = term.astype(dtype)
            else:
                term = work.take(x3, self.index[k], (step, k), taken)
                if term.dtype != dtype:
                    converted = work.empty((step, k, "float"), taken, dtype)
                    converted[...] = term
                    term = converted
            return xp.reshape(term, (outer, self.n_out * inner)) if flat else term

        def scale(term: Array, weight: Array) -> None:
            term *= xp.repeat(weight, inner) if flat else weight[:, None]

        y = gathered(0)
        if self.lerp:
            upper = gathered(1)
            upper -= y
            scale(upper, self.weight[1])
            y += upper
        else:
            scale(y, self.weight[0])
            for k in range(1, len(self.index)):
                term = gathered(k)
                scale(term, self.weight[k])
                y += term
        return xp.reshape(y, shape)

    def transpose(self, dy: Array, axis: int, xp: Any) -> Array:
        """The adjoint: scatter ``dy`` back to the input positions along ``axis``."""
        m = self.matrix
        if m is None:
            m = dense_matrix(xp.stack(self.index, axis=1), xp.stack(self.weight, axis=1), self.n_in)
        return xp.moveaxis(xp.tensordot(m.T.astype(dy.dtype), dy, axes=(1, axis)), 0, axis)


@functools.lru_cache(maxsize=256)
def _cached_plan(n_in: int, n_out: int, method: str, antialias: bool, dtype: str, xp: Any) -> _AxisPlan:
    return _AxisPlan(n_in, n_out, method, antialias, xp.dtype(dtype))


def axis_plan(n_in: int, n_out: int, method: str, antialias: bool, dtype: Any) -> _AxisPlan:
    """The (shared, never modified) plan of one axis: building one costs more than applying it to a small image,
    and a folder of photos or a stream of batches repeats a few sizes."""
    xp = backend.xp()
    return _cached_plan(int(n_in), int(n_out), method, bool(antialias), xp.dtype(dtype).str, xp)


_CHUNK_BYTES = 1 << 20
"""Images resized together, at most: each pass reads what the last one wrote, so a batch is resized a few
images at a time, its intermediate results staying in the CPU's cache (twice as fast for a batch of photos)."""


def resize_axes(x: Array, plans: tuple[_AxisPlan, _AxisPlan], axes: tuple[int, int], out_hw: tuple[int, int],
                xp: Any, work: Workspace | None = None) -> Array:
    """Apply both axes' plans, first along the axis that shrinks most, so the second pass has less to read.
    Integer pixels may go in as they are (gathered, then converted to the plans' float dtype). With a workspace
    the result lives in its buffers (copy it out before the next call); without one, a batch over a megabyte
    gets a workspace of its own for its pieces."""
    (ph, pw), (h, w) = plans, axes
    if out_hw[0] * x.shape[w] <= out_hw[1] * x.shape[h]:
        first, second = (ph, h), (pw, w)
    else:
        first, second = (pw, w), (ph, h)
    if first[0].matrix is not None and x.dtype.kind != "f":
        x = x.astype(first[0].matrix.dtype)

    def both(piece: Array, work: Workspace | None) -> Array:
        return second[0].apply(first[0].apply(piece, first[1], xp, work, 0), second[1], xp, work, 1)

    n = x.shape[0]
    per = max(1, _CHUNK_BYTES // max(1, x.nbytes // max(n, 1)))
    if 0 in axes or n <= per:
        return both(x, work)
    work = work or Workspace()
    out = None
    for start in range(0, n, per):
        y = both(x[start:start + per], work)
        if out is None:
            out = xp.empty((n,) + tuple(y.shape[1:]), dtype=y.dtype)
        out[start:start + per] = y
    return out


class Resize2D(Function):
    """Resize the two spatial axes ``axes`` of an image batch to ``out_hw`` (the methods of ``METHODS``).

    Floats keep their dtype; ``nearest`` also resizes integer images exactly (a gather).
    """

    def __init__(self, axes: tuple[int, int], out_hw: tuple[int, int], method: str, antialias: bool = False) -> None:
        if method not in METHODS:
            raise ValueError(f"Resize method {method!r} is not one of {list(METHODS)}")
        self.axes, self.out_hw, self.method, self.antialias = axes, (int(out_hw[0]), int(out_hw[1])), method, antialias
        self._plans: dict[Any, tuple[_AxisPlan, _AxisPlan]] = {}

    def _plan(self, x: Any) -> tuple[_AxisPlan, _AxisPlan]:
        key = (x.shape[self.axes[0]], x.shape[self.axes[1]], x.dtype.str)
        plan = self._plans.get(key)
        if plan is None:
            dtype = x.dtype if x.dtype.kind == "f" else self.xp.float32
            plan = (axis_plan(key[0], self.out_hw[0], self.method, self.antialias, dtype),
                    axis_plan(key[1], self.out_hw[1], self.method, self.antialias, dtype))
            self._plans = {key: plan}  # a traced step sees one shape: keep the last plan only
        return plan

    def forward(self, x: Any) -> Any:
        xp = self.xp
        if x.dtype.kind != "f" and self.method != "nearest":
            raise TypeError(f"Resize2D ({self.method}) needs floating-point images, got {x.dtype}")
        plans = self._plan(x)
        self.saved = plans
        return resize_axes(x, plans, self.axes, self.out_hw, xp)

    def backward(self, dy: Any) -> Any:
        ph, pw = self.saved
        xp = self.xp
        return ph.transpose(pw.transpose(dy, self.axes[1], xp), self.axes[0], xp)
