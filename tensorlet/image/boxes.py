"""Bounding boxes: non-max suppression (plain, with scores and Soft-NMS, padded, from overlaps), drawing boxes,
sampling distorted crops, and ``crop_and_resize``.

Boxes are ``[y1, x1, y2, x2]`` (either corner first). NMS is TensorFlow's greedy algorithm: candidates above
``score_threshold`` in decreasing score (ties: lower index first), each kept unless its IoU with a kept box
exceeds ``iou_threshold``. The host algorithms run as ops whose inputs are the boxes and scores, so a traced
function selects from each call's data.
"""
from __future__ import annotations

import heapq
import math
from typing import Any, Callable

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.image.image_tensor import host_int, host_size, host_value
from tensorlet.ops import elementwise as E
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.crop_and_resize import CropAndResize


class _HostOp(Function):
    """A non-differentiable op computed on the host by ``fn(*numpy_inputs) -> tuple of arrays``."""

    differentiable = False

    def __init__(self, fn: Callable[..., Any], varies: bool = False) -> None:
        self.fn = fn
        self.varies = varies

    def forward(self, *xs: Any) -> Any:
        out = self.fn(*[backend.to_numpy(x) for x in xs])
        return [self.xp.asarray(o) for o in out] if isinstance(out, list) else self.xp.asarray(out)


def _host_op(fn: Callable[..., Any], *inputs: Any, varies: bool = False) -> Tensor:
    return _HostOp(fn, varies)(*[as_tensor(x) for x in inputs])


def _host_ops(fn: Callable[..., Any], count: int, *inputs: Any, varies: bool = False) -> list[Tensor]:
    """Several outputs of one host computation: ``fn`` returns a list, picked apart by ``Pick`` steps."""
    from tensorlet.autodiff.traced_gradient import Pick

    bundle = _host_op(fn, *inputs, varies=varies)
    return [Pick(i)(bundle) for i in range(count)]


def _iou_matrix(boxes: np.ndarray) -> np.ndarray:
    b = boxes.astype(np.float64)
    y1, y2 = np.minimum(b[:, 0], b[:, 2]), np.maximum(b[:, 0], b[:, 2])
    x1, x2 = np.minimum(b[:, 1], b[:, 3]), np.maximum(b[:, 1], b[:, 3])
    area = (y2 - y1) * (x2 - x1)
    ih = np.clip(np.minimum(y2[:, None], y2[None]) - np.maximum(y1[:, None], y1[None]), 0, None)
    iw = np.clip(np.minimum(x2[:, None], x2[None]) - np.maximum(x1[:, None], x1[None]), 0, None)
    inter = ih * iw
    union = area[:, None] + area[None] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = np.where((area[:, None] > 0) & (area[None] > 0) & (union > 0), inter / union, 0.0)
    return iou


def greedy_nms(overlaps: np.ndarray, scores: np.ndarray, max_output: int, threshold: float, score_threshold: float,
               soft_nms_sigma: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Selected indices and their (Soft-NMS-decayed) scores, TF's greedy order."""
    scores = scores.astype(np.float32)
    soft = soft_nms_sigma > 0
    scale = np.float32(-0.5 / soft_nms_sigma) if soft else np.float32(0)
    # max-heap on (score, -index): the best score first, the lower index first on ties
    heap = [(-float(s), i, 0) for i, s in enumerate(scores) if s > score_threshold]
    heapq.heapify(heap)
    selected: list[int] = []
    selected_scores: list[float] = []
    while heap and len(selected) < max_output:
        neg, i, begin = heapq.heappop(heap)
        score, original = np.float32(-neg), np.float32(-neg)
        suppressed = False
        for j in range(len(selected) - 1, begin - 1, -1):  # only boxes kept since this candidate was last checked
            sim = overlaps[i, selected[j]]
            if not soft and sim > threshold:
                suppressed = True
                break
            if soft:
                score = np.float32(score * np.exp(np.float32(scale * sim * sim)))  # Soft-NMS ignores the threshold
                if score <= score_threshold:
                    break
        if suppressed:
            continue
        if score == original:
            selected.append(i)
            selected_scores.append(float(score))
        elif score > score_threshold:  # decayed by Soft-NMS: back in the queue with its new score
            heapq.heappush(heap, (-float(score), i, len(selected)))
    return np.asarray(selected, np.int32), np.asarray(selected_scores, np.float32)


def _nms_args(boxes: Any, scores: Any, max_output_size: Any) -> tuple[Tensor, Tensor, int]:
    b, s = as_tensor(boxes), as_tensor(scores)
    if b._value.ndim != 2 or b._value.shape[-1] != 4:
        raise ValueError(f"non_max_suppression: boxes must be (num_boxes, 4), got shape {tuple(b._value.shape)}")
    if s._value.shape != (b._value.shape[0],):
        raise ValueError(f"non_max_suppression: scores must be (num_boxes,) = ({b._value.shape[0]},), got shape "
                         f"{tuple(s._value.shape)}")
    return b, s, host_int(max_output_size, "max_output_size")


def non_max_suppression(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                        score_threshold: float = float("-inf"), name: Any = None) -> Tensor:
    """Indices (int32) of at most ``max_output_size`` boxes kept by greedy non-max suppression.

    Example:
        >>> import tensorlet as tf
        >>> boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]]
        >>> tf.image.non_max_suppression(boxes, [0.9, 0.8, 0.7], 3).numpy()
        array([0, 2], dtype=int32)
    """
    b, s, k = _nms_args(boxes, scores, max_output_size)
    t, st = float(host_value(iou_threshold)), float(host_value(score_threshold))
    return _host_op(lambda bx, sc: greedy_nms(_iou_matrix(bx), sc, k, t, st)[0], b, s)


def non_max_suppression_with_scores(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                                    score_threshold: float = float("-inf"), soft_nms_sigma: float = 0.0,
                                    name: Any = None) -> tuple[Tensor, Tensor]:
    """(selected indices, their scores); ``soft_nms_sigma > 0`` decays overlapping scores by
    ``exp(-iou^2 / (2 sigma))`` (Soft-NMS; ``iou_threshold`` then plays no part) instead of dropping boxes."""
    b, s, k = _nms_args(boxes, scores, max_output_size)
    t, st, sigma = float(host_value(iou_threshold)), float(host_value(score_threshold)), float(soft_nms_sigma)
    if sigma < 0:
        raise ValueError(f"soft_nms_sigma must be non-negative, got {sigma}")
    out = _host_ops(lambda bx, sc: list(greedy_nms(_iou_matrix(bx), sc, k, t, st, sigma)), 2, b, s)
    return out[0], out[1]


def non_max_suppression_overlaps(overlaps: Any, scores: Any, max_output_size: Any, overlap_threshold: float = 0.5,
                                 score_threshold: float = float("-inf"), name: Any = None) -> Tensor:
    """Greedy NMS on a given (num_boxes, num_boxes) overlap matrix."""
    o, s = as_tensor(overlaps), as_tensor(scores)
    k = host_int(max_output_size, "max_output_size")
    t, st = float(host_value(overlap_threshold)), float(host_value(score_threshold))
    return _host_op(lambda ov, sc: greedy_nms(ov.astype(np.float64), sc, k, t, st)[0], o, s)


def non_max_suppression_padded(boxes: Any, scores: Any, max_output_size: Any, iou_threshold: float = 0.5,
                               score_threshold: float = float("-inf"), pad_to_max_output_size: bool = False,
                               name: Any = None, sorted_input: bool = False, canonicalized_coordinates: bool = False,
                               tile_size: int = 512) -> tuple[Tensor, Tensor]:
    """(indices, number valid): with ``pad_to_max_output_size`` the indices are zero-padded to
    ``max_output_size``. Boxes may be batched ``(batch, num_boxes, 4)`` with scores ``(batch, num_boxes)``."""
    b, s = as_tensor(boxes), as_tensor(scores)
    k = host_int(max_output_size, "max_output_size")
    t, st, pad = float(host_value(iou_threshold)), float(host_value(score_threshold)), bool(pad_to_max_output_size)
    batched = b._value.ndim == 3
    if batched and not pad:
        raise ValueError("non_max_suppression_padded: pad_to_max_output_size must be True for batched boxes "
                         f"(shape {tuple(b.shape)})")

    def run(bx: np.ndarray, sc: np.ndarray) -> list[np.ndarray]:
        bx3, sc2 = (bx, sc) if batched else (bx[None], sc[None])
        rows, counts = [], []
        for one_b, one_s in zip(bx3, sc2):
            idx, _ = greedy_nms(_iou_matrix(one_b), one_s, k, t, st)
            counts.append(len(idx))
            rows.append(np.pad(idx, (0, k - len(idx))) if pad else idx)
        out = np.stack(rows).astype(np.int32) if batched else rows[0]
        valid = np.asarray(counts, np.int32) if batched else np.asarray(counts[0], np.int32)
        return [out, valid]

    out = _host_ops(run, 2, b, s)
    return out[0], out[1]


def combined_non_max_suppression(boxes: Any, scores: Any, max_output_size_per_class: Any, max_total_size: Any,
                                 iou_threshold: float = 0.5, score_threshold: float = float("-inf"),
                                 pad_per_class: bool = False, clip_boxes: bool = True, name: Any = None
                                 ) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Greedy NMS per class, then the best ``max_total_size`` detections over all classes, per batch entry.

    ``boxes`` is ``(batch, num_boxes, q, 4)`` (q = 1: shared by all classes, or one box per class) and ``scores``
    ``(batch, num_boxes, num_classes)``. Returns ``(nmsed_boxes, nmsed_scores, nmsed_classes,
    valid_detections)``, zero-padded to ``max_total_size`` detections (or fewer with ``pad_per_class``).
    """
    b, s = as_tensor(boxes), as_tensor(scores)
    if b._value.ndim != 4 or b._value.shape[-1] != 4 or s._value.ndim != 3:
        raise ValueError(f"combined_non_max_suppression: boxes must be (batch, num_boxes, q, 4) and scores "
                         f"(batch, num_boxes, num_classes), got {tuple(b.shape)} and {tuple(s.shape)}")
    per_class, total = host_int(max_output_size_per_class, "max_output_size_per_class"), \
        host_int(max_total_size, "max_total_size")
    t, st = float(host_value(iou_threshold)), float(host_value(score_threshold))
    size = min(per_class * s._value.shape[-1], total) if pad_per_class else total

    def run(bx: np.ndarray, sc: np.ndarray) -> list[np.ndarray]:
        n, _, q, _ = bx.shape
        out_boxes = np.zeros((n, size, 4), np.float32)
        out_scores = np.zeros((n, size), np.float32)
        out_classes = np.zeros((n, size), np.float32)
        valid = np.zeros((n,), np.int32)
        for i in range(n):
            found = []
            for c in range(sc.shape[-1]):
                cb = bx[i, :, 0 if q == 1 else c]
                idx, kept = greedy_nms(_iou_matrix(cb), sc[i, :, c], per_class, t, st)
                found += [(float(k), c, cb[j]) for j, k in zip(idx, kept)]
            found.sort(key=lambda d: -d[0])  # stable: equal scores keep class order
            found = found[:size]
            valid[i] = len(found)
            for j, (score, c, box) in enumerate(found):
                out_boxes[i, j] = np.clip(box, 0, 1) if clip_boxes else box
                out_scores[i, j], out_classes[i, j] = score, c
        return [out_boxes, out_scores, out_classes, valid]

    out = _host_ops(run, 4, b, s)
    return out[0], out[1], out[2], out[3]


# -- drawing -----------------------------------------------------------------------------------------------------
_COLOR_TABLE = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                         [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1]], np.float32)


def _draw(images: np.ndarray, boxes: np.ndarray, colors: np.ndarray) -> np.ndarray:
    out = images.copy()
    n, h, w, depth = out.shape
    for b in range(n):
        for k, box in enumerate(boxes[b].astype(np.float32)):
            color = colors[k % len(colors)][:depth].astype(out.dtype)
            top, bottom = int(box[0] * np.float32(h - 1)), int(box[2] * np.float32(h - 1))
            left, right = int(box[1] * np.float32(w - 1)), int(box[3] * np.float32(w - 1))
            if top > bottom or left > right or top >= h or bottom < 0 or left >= w or right < 0:
                continue  # inverted, or entirely outside: not drawn (as TF)
            r0, r1, c0, c1 = max(top, 0), min(bottom, h - 1), max(left, 0), min(right, w - 1)
            if top >= 0:
                out[b, top, c0:c1 + 1] = color
            if bottom < h:
                out[b, bottom, c0:c1 + 1] = color
            if left >= 0:
                out[b, r0:r1 + 1, left] = color
            if right < w:
                out[b, r0:r1 + 1, right] = color
    return out


def draw_bounding_boxes(images: Any, boxes: Any, colors: Any = None, name: Any = None) -> Tensor:
    """Draw one-pixel box outlines on float images ``(batch, h, w, 1|3|4)``; ``boxes`` ``(batch, n, 4)``
    normalised; ``colors`` ``(k, >= depth)`` cycled over the boxes (TF's palette by default)."""
    x, bx = as_tensor(images), as_tensor(boxes)
    if x._value.ndim != 4:
        raise ValueError(f"draw_bounding_boxes: the rank of the images should be 4, got shape {tuple(x.shape)}")
    if bx._value.ndim != 3 or bx._value.shape[-1] != 4 or bx._value.shape[0] != x._value.shape[0]:
        raise ValueError(f"draw_bounding_boxes: boxes must be (batch, num_boxes, 4) with the images' batch size, "
                         f"got {tuple(bx.shape)} for images {tuple(x.shape)}")
    depth = x._value.shape[-1]
    if depth not in (1, 3, 4):
        raise ValueError(f"draw_bounding_boxes: channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA), "
                         f"got {depth}")
    if colors is None or np.asarray(host_value(colors)).size == 0:
        table = _COLOR_TABLE.copy()
        if depth == 1:
            table[:, 0] = 1
    else:
        table = np.asarray(host_value(colors), np.float32)
        if table.ndim != 2 or table.shape[1] < depth:
            raise ValueError(f"colors must be a 2-D matrix with at least {depth} columns, got shape {table.shape}")
    return _host_op(lambda im, b: _draw(im, b, table), x, bx)


# -- distorted crops ---------------------------------------------------------------------------------------------
def _random_crop_rect(rng: np.random.Generator, w: int, h: int, min_area: float, max_area: float,
                      aspect: float) -> tuple[int, int, int, int] | None:
    """One attempt: a crop of the given aspect ratio and an area in [min_area, max_area] pixels, or None."""
    height = int(np.rint(math.sqrt(min_area / aspect)))
    max_height = int(np.rint(math.sqrt(max_area / aspect)))
    if int(np.rint(max_height * aspect)) > w:  # the widest crop must fit: shrink its height
        max_height = int((w + 0.5 - 1e-7) / aspect)
    max_height = min(max_height, h)
    height = min(height, max_height)
    if height < max_height:
        height += int(rng.integers(0, max_height - height + 1))
    width = int(np.rint(height * aspect))
    area = width * height
    if area < min_area:
        height += 1
        width = int(np.rint(height * aspect))
        area = width * height
    if area > max_area:
        height -= 1
        width = int(np.rint(height * aspect))
        area = width * height
    if area < min_area or area > max_area or width > w or height > h or width <= 0 or height <= 0:
        return None
    y = 0 if height >= h else int(rng.integers(0, h - height))
    x = 0 if width >= w else int(rng.integers(0, w - width))
    return x, y, width, height


def _sample_box(rng: np.random.Generator, image_size: np.ndarray, boxes: np.ndarray, min_covered: float,
                aspect_range: tuple[float, float], area_range: tuple[float, float], attempts: int,
                use_image: bool) -> list[np.ndarray]:
    h, w = int(image_size[0]), int(image_size[1])
    boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
    if boxes.size == 0:
        if not use_image:
            from tensorlet.errors import InvalidArgumentError

            raise InvalidArgumentError("No bounding boxes provided as input. One must enable "
                                       "use_image_if_no_bounding_boxes=True if one does not have bounding boxes.")
        boxes = np.array([[0, 0, 1, 1]], np.float32)
    pixel_boxes = boxes * np.array([h, w, h, w], np.float32)
    min_area, max_area = area_range[0] * w * h, area_range[1] * w * h
    found = None
    for _ in range(attempts):
        aspect = float(rng.uniform(aspect_range[0], aspect_range[1]))
        rect = _random_crop_rect(rng, w, h, min_area, max_area, aspect)
        if rect is None:
            continue
        x, y, cw, ch = rect
        iy = np.clip(np.minimum(y + ch, pixel_boxes[:, 2]) - np.maximum(y, pixel_boxes[:, 0]), 0, None)
        ix = np.clip(np.minimum(x + cw, pixel_boxes[:, 3]) - np.maximum(x, pixel_boxes[:, 1]), 0, None)
        area = (pixel_boxes[:, 2] - pixel_boxes[:, 0]) * (pixel_boxes[:, 3] - pixel_boxes[:, 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            covered = np.where(area > 0, iy * ix / area, 0.0)
        if np.any(covered >= min_covered):
            found = rect
            break
    x, y, cw, ch = found if found is not None else (0, 0, w, h)
    begin = np.array([y, x, 0], np.int32)
    size = np.array([ch, cw, -1], np.int32)
    bbox = np.array([[[y / h, x / w, (y + ch) / h, (x + cw) / w]]], np.float32)
    return [begin, size, bbox]


def _distortion_args(aspect_ratio_range: Any, area_range: Any, max_attempts: Any, min_object_covered: Any
                     ) -> tuple[tuple[float, float], tuple[float, float], int, float]:
    aspect = tuple(float(v) for v in (aspect_ratio_range if aspect_ratio_range is not None else (0.75, 1.33)))
    area = tuple(float(v) for v in (area_range if area_range is not None else (0.05, 1.0)))
    attempts = int(max_attempts) if max_attempts is not None else 100
    if len(aspect) != 2 or len(area) != 2 or aspect[0] <= 0 or aspect[0] > aspect[1] or not 0 < area[0] <= area[1]:
        raise ValueError(f"sample_distorted_bounding_box: aspect_ratio_range and area_range must be increasing "
                         f"positive pairs, got {aspect_ratio_range!r} and {area_range!r}")
    return aspect, area, attempts, float(host_value(min_object_covered))  # type: ignore[return-value]


def sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: Any = 0, min_object_covered: Any = 0.1,
                                  aspect_ratio_range: Any = None, area_range: Any = None, max_attempts: Any = None,
                                  use_image_if_no_bounding_boxes: Any = None, name: Any = None
                                  ) -> tuple[Tensor, Tensor, Tensor]:
    """A random crop (begin, size for ``tf.slice``, and the box normalised) covering at least
    ``min_object_covered`` of one of ``bounding_boxes``, with an aspect ratio and area in the given ranges
    (the whole image after ``max_attempts`` failures)."""
    from tensorlet.seeding import rng as op_rng

    aspect, area, attempts, covered = _distortion_args(aspect_ratio_range, area_range, max_attempts,
                                                       min_object_covered)
    use = bool(use_image_if_no_bounding_boxes)
    op_seed = seed if seed else None
    out = _host_ops(lambda size, boxes: _sample_box(op_rng(op_seed), size, boxes, covered, aspect, area, attempts,
                                                   use), 3, as_tensor(image_size), as_tensor(bounding_boxes),
                    varies=True)
    return out[0], out[1], out[2]


def stateless_sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: Any,
                                            min_object_covered: Any = 0.1, aspect_ratio_range: Any = None,
                                            area_range: Any = None, max_attempts: Any = None,
                                            use_image_if_no_bounding_boxes: Any = None, name: Any = None
                                            ) -> tuple[Tensor, Tensor, Tensor]:
    """``sample_distorted_bounding_box`` determined by ``seed`` (a shape [2] integer tensor)."""
    from tensorlet.stateless_random import _generator, _seed

    aspect, area, attempts, covered = _distortion_args(aspect_ratio_range, area_range, max_attempts,
                                                       min_object_covered)
    use = bool(use_image_if_no_bounding_boxes)
    out = _host_ops(lambda size, boxes, s: _sample_box(_generator(s), size, boxes, covered, aspect, area, attempts,
                                                      use), 3, as_tensor(image_size),
                    as_tensor(bounding_boxes), _seed(seed))
    return out[0], out[1], out[2]


def crop_and_resize(image: Any, boxes: Any, box_indices: Any, crop_size: Any, method: str = "bilinear",
                    extrapolation_value: float = 0.0, name: Any = None) -> Tensor:
    """Crop normalised ``boxes`` (one row per crop, ``box_indices`` naming each one's image) out of a 4-D batch
    and resize each to ``crop_size`` (bilinear or nearest); float32 output, differentiable in image and boxes."""
    x, b, i = as_tensor(image), as_tensor(boxes), as_tensor(box_indices)
    if x._value.ndim != 4:
        raise ValueError(f"crop_and_resize: image must be 4-D (batch, height, width, channels), got {tuple(x.shape)}")
    if b._value.ndim != 2 or b._value.shape[-1] != 4:
        raise ValueError(f"crop_and_resize: boxes must be (num_boxes, 4), got shape {tuple(b.shape)}")
    if tuple(i._value.shape) != (b._value.shape[0],):
        raise ValueError(f"crop_and_resize: box_indices must be (num_boxes,) = ({b._value.shape[0]},), got shape "
                         f"{tuple(i.shape)}")
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"crop_and_resize: method must be 'bilinear' or 'nearest', got {method!r}")
    hw = host_size(crop_size, "crop_size")
    if hw[0] <= 0 or hw[1] <= 0:
        raise ValueError(f"crop_and_resize: crop_size must be positive, got {list(hw)}")
    out = CropAndResize(hw, method, float(extrapolation_value))(x, b, i)
    return E.cast(out, "float32")
