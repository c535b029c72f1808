"""CropAndResize: sample boxes of images onto fixed-size grids (``tf.image.crop_and_resize``).

Box ``[y1, x1, y2, x2]`` is in normalised coordinates (0 and 1 are the first and last pixel centres), and output
row ``i`` of a ``crop_h``-row crop samples input row ``y1 * (H - 1) + i * (y2 - y1) * (H - 1) / (crop_h - 1)``
(the box's centre for one row). Samples outside the image take ``extrapolation_value``. Bilinear sampling is
differentiable with respect to the images and the boxes; nearest with respect to the images.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class CropAndResize(Function):
    """y[b, i, j, c] = bilinear (or nearest) sample of image[box_index[b]] at the box's (i, j) grid point.

    Computes in float64 for float64 images and in float32 otherwise (TF's output type)."""

    def __init__(self, crop_size: tuple[int, int], method: str, extrapolation_value: float) -> None:
        self.crop, self.method, self.fill = crop_size, method, float(extrapolation_value)

    def _coords(self, lo: Any, hi: Any, n_in: int, n_out: int) -> tuple[Any, Any]:
        """Sample positions (B, n_out) along one axis, and their derivatives with respect to lo and hi."""
        xp = self.xp
        if n_out > 1:
            t = xp.arange(n_out, dtype=lo.dtype)[None, :] / (n_out - 1)
            pos = (lo[:, None] + (hi - lo)[:, None] * t) * (n_in - 1)
            return pos, ((1 - t) * (n_in - 1), t * (n_in - 1))
        pos = (0.5 * (lo + hi) * (n_in - 1))[:, None]
        half = xp.full((1, 1), 0.5 * (n_in - 1), dtype=lo.dtype)
        return pos, (half, half)

    def forward(self, image: Any, boxes: Any, box_index: Any) -> Any:
        xp = self.xp
        n, h, w, c = image.shape
        ft = xp.float64 if image.dtype == xp.float64 else xp.float32
        boxes = boxes.astype(ft)
        idx = box_index.astype(xp.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise ValueError(f"crop_and_resize: box_indices must be in [0, {n}), got {idx.tolist()}")
        y, dy_d = self._coords(boxes[:, 0], boxes[:, 2], h, self.crop[0])
        x, dx_d = self._coords(boxes[:, 1], boxes[:, 3], w, self.crop[1])
        valid = ((y >= 0) & (y <= h - 1))[:, :, None] & ((x >= 0) & (x <= w - 1))[:, None, :]
        b = idx[:, None, None]
        img = image.astype(ft)
        if self.method == "nearest":
            yi = xp.clip(xp.floor(xp.abs(y) + 0.5) * xp.sign(y), 0, h - 1).astype(xp.int64)  # round half away
            xi = xp.clip(xp.floor(xp.abs(x) + 0.5) * xp.sign(x), 0, w - 1).astype(xp.int64)
            out = img[b, yi[:, :, None], xi[:, None, :]]
            self.saved = (image.shape, idx, [(yi, xi, None)], valid, None, ft)
            return xp.where(valid[..., None], out, ft(self.fill)).astype(ft)
        y0 = xp.clip(xp.floor(y), 0, h - 1).astype(xp.int64)
        x0 = xp.clip(xp.floor(x), 0, w - 1).astype(xp.int64)
        y1, x1 = xp.clip(xp.ceil(y), 0, h - 1).astype(xp.int64), xp.clip(xp.ceil(x), 0, w - 1).astype(xp.int64)
        fy, fx = (y - xp.floor(y))[:, :, None, None], (x - xp.floor(x))[:, None, :, None]
        tl = img[b, y0[:, :, None], x0[:, None, :]]
        tr = img[b, y0[:, :, None], x1[:, None, :]]
        bl = img[b, y1[:, :, None], x0[:, None, :]]
        br = img[b, y1[:, :, None], x1[:, None, :]]
        top, bottom = tl + (tr - tl) * fx, bl + (br - bl) * fx
        out = top + (bottom - top) * fy
        taps = [(y0, x0, (1 - fy) * (1 - fx)), (y0, x1, (1 - fy) * fx), (y1, x0, fy * (1 - fx)), (y1, x1, fy * fx)]
        slopes = (bottom - top, (1 - fy) * (tr - tl) + fy * (br - bl))  # d out / d y, d out / d x
        self.saved = (image.shape, idx, taps, valid, (slopes, dy_d, dx_d), ft)
        return xp.where(valid[..., None], out, ft(self.fill)).astype(ft)

    def backward(self, dy: Any) -> Any:
        xp = self.xp
        shape, idx, taps, valid, box_terms, ft = self.saved
        need_image, need_boxes = self.needs_input_grad[0], self.needs_input_grad[1]
        g = xp.where(valid[..., None], dy, 0).astype(ft)
        d_image = None
        if need_image:
            d_image = xp.zeros(shape, dtype=ft)
            b = xp.broadcast_to(idx[:, None, None], g.shape[:3])
            for yi, xi, wt in taps:
                rows = xp.broadcast_to(yi[:, :, None], g.shape[:3])
                cols = xp.broadcast_to(xi[:, None, :], g.shape[:3])
                xp.add.at(d_image, (b, rows, cols), g if wt is None else g * wt)
        d_boxes = None
        if need_boxes and box_terms is not None:
            (slope_y, slope_x), (dy_lo, dy_hi), (dx_lo, dx_hi) = box_terms
            gy = (g * slope_y).sum(axis=(2, 3))  # (B, crop_h): d loss / d sample row
            gx = (g * slope_x).sum(axis=(1, 3))  # (B, crop_w)
            d_boxes = xp.stack([(gy * dy_lo).sum(1), (gx * dx_lo).sum(1), (gy * dy_hi).sum(1), (gx * dx_hi).sum(1)],
                               axis=1)
        return d_image, d_boxes, None
