"""Counting and grouping in TensorFlow's spelling: ``tf.math.bincount``, ``confusion_matrix``, segment reductions,
``tf.unique``, ``tf.sequence_mask`` and ``count_nonzero``, on the recorded primitives of ``ops`` (so they replay in
``tf.function``).

>>> import tensorlet as tf
>>> tf.math.bincount([1, 1, 3]).numpy().tolist()
[0, 2, 0, 1]
>>> tf.math.confusion_matrix([0, 1, 1], [0, 1, 0]).numpy().tolist()
[[1, 0], [1, 1]]
>>> tf.sequence_mask([1, 3], 4).numpy().astype(int).tolist()
[[1, 0, 0, 0], [1, 1, 1, 0]]
>>> y, idx = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
>>> y.numpy().tolist(), idx.numpy().tolist()
([1, 2, 4, 7, 8], [0, 0, 1, 2, 2, 2, 3, 4, 4])
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import elementwise as ew
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.nondifferentiable import nondifferentiable
from tensorlet.ops.reduction import reduce_max, reduce_sum


def _ints(x: Any, what: str) -> Tensor:
    t = as_tensor(x)
    if t.dtype.is_floating or t.dtype.name in ("bool", "string"):
        raise TypeError(f"{what} must hold integers, got dtype {t.dtype.name}")
    return t


def bincount(arr: Any, weights: Any = None, minlength: Any = None, maxlength: Any = None, dtype: Any = "int32",
             name: Any = None, axis: Any = None, binary_output: bool = False) -> Tensor:
    """How often each value 0, 1, ... occurs in ``arr`` (any shape, flattened; ``axis=-1`` counts per row), or the
    sum of ``weights`` there; at least ``minlength`` and at most ``maxlength`` bins; ``binary_output`` gives 1 for
    present values."""
    from tensorlet.dtypes import as_dtype

    t = _ints(arr, "tf.math.bincount: arr")
    lo = 0 if minlength is None else int(minlength)
    hi = None if maxlength is None else int(maxlength)
    if axis not in (None, 0, -1):
        raise ValueError(f"tf.math.bincount: axis must be None, 0 or -1, got {axis!r}")
    out_dtype = as_dtype(dtype).name if weights is None else None
    per_row = axis == -1 and len(t.shape) == 2

    def compute(xp: Any, values: Any, *w: Any) -> Any:
        flat = values.reshape(values.shape[0], -1) if per_row else values.reshape(1, -1)
        if flat.size and int(flat.min()) < 0:
            raise ValueError("tf.math.bincount: arr must not hold negative values")
        size = max(lo, int(flat.max()) + 1 if flat.size else 0)
        size = size if hi is None else min(size, hi)
        weights_flat = w[0].reshape(flat.shape) if w else None
        dt = w[0].dtype if w else out_dtype
        rows = xp.zeros((flat.shape[0], size), dtype=dt)
        for r in range(flat.shape[0]):
            keep = flat[r] < size
            counts = xp.bincount(flat[r][keep], minlength=size,
                                 weights=None if weights_flat is None else weights_flat[r][keep])
            rows[r] = (counts > 0) if binary_output else counts
        return rows if per_row else rows[0]

    if weights is None:
        return nondifferentiable("Bincount", compute, t)
    return nondifferentiable("Bincount", compute, t, as_tensor(weights))


def confusion_matrix(labels: Any, predictions: Any, num_classes: Any = None, weights: Any = None,
                     dtype: Any = "int32", name: Any = None) -> Tensor:
    """counts[i, j]: how many samples of label i were predicted j (``num_classes`` by default the largest label or
    prediction + 1); ``weights`` add their value instead of 1."""
    from tensorlet.dtypes import as_dtype

    labels_t, preds_t = _ints(labels, "confusion_matrix: labels"), _ints(predictions, "confusion_matrix: predictions")
    if tuple(labels_t.shape) != tuple(preds_t.shape):
        raise ValueError(f"tf.math.confusion_matrix: labels of shape {tuple(labels_t.shape)} and predictions of shape "
                         f"{tuple(preds_t.shape)} differ")
    n = None if num_classes is None else int(num_classes)
    out = as_dtype(dtype).name

    def compute(xp: Any, y: Any, p: Any, *w: Any) -> Any:
        y, p = y.reshape(-1).astype("int64"), p.reshape(-1).astype("int64")
        size = n if n is not None else (int(max(y.max(), p.max())) + 1 if y.size else 0)
        if y.size and (min(int(y.min()), int(p.min())) < 0 or max(int(y.max()), int(p.max())) >= size):
            raise ValueError(f"tf.math.confusion_matrix: labels and predictions must be in [0, {size})")
        m = xp.zeros((size, size), dtype=out)
        xp.add.at(m, (y, p), w[0].reshape(-1).astype(out) if w else 1)
        return m

    inputs = (labels_t, preds_t) + (() if weights is None else (as_tensor(weights),))
    return nondifferentiable("ConfusionMatrix", compute, *inputs)


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = "bool", name: Any = None) -> Tensor:
    """mask[..., j] = j < lengths[...]: one row of ``maxlen`` (by default the longest length) per length."""
    from tensorlet.ops.creation import range as _range
    from tensorlet.ops.shape import expand_dims

    t = _ints(lengths, "tf.sequence_mask: lengths")
    width = reduce_max(t) if maxlen is None else int(maxlen.numpy() if isinstance(maxlen, Tensor) else maxlen)
    positions = _range(width, dtype=t.dtype) if maxlen is not None else _range(ew.cast(width, t.dtype))
    mask = ew.less(positions, expand_dims(t, -1))
    return mask if str(dtype) in ("bool", "tf.bool") or getattr(dtype, "name", None) == "bool" else ew.cast(mask, dtype)


def count_nonzero(input: Any, axis: Any = None, keepdims: bool = False, dtype: Any = "int64", name: Any = None) -> Tensor:  # noqa: A002
    """How many entries are not zero (not empty, for strings), over ``axis``."""
    t = as_tensor(input)
    nonzero = ew.not_equal(t, b"" if t.dtype.name == "string" else 0)
    return ew.cast(reduce_sum(ew.cast(nonzero, "int64"), axis=axis, keepdims=keepdims), dtype)


def unique(x: Any, out_idx: Any = "int32", name: Any = None) -> tuple[Tensor, Tensor]:
    """The distinct values of 1-D ``x`` in order of first appearance, and for each entry the index of its value."""
    from tensorlet.dtypes import as_dtype

    t = as_tensor(x)
    if len(t.shape) != 1:
        raise ValueError(f"tf.unique: x must be 1-D, got shape {tuple(t.shape)}")
    index_dtype = as_dtype(out_idx).name

    def first_seen(xp: Any, values: Any) -> tuple[Any, Any]:
        distinct, first, inverse = xp.unique(values, return_index=True, return_inverse=True)
        order = xp.argsort(first, kind="stable")  # sorted order -> order of first appearance
        rank = xp.empty_like(order)
        rank[order] = xp.arange(order.shape[0])
        return distinct[order], rank[inverse.reshape(-1)].astype(index_dtype)

    values = nondifferentiable("Unique", lambda xp, v: first_seen(xp, v)[0], t)
    index = nondifferentiable("UniqueIndex", lambda xp, v: first_seen(xp, v)[1], t)
    return values, index


def _segments(op: str, data: Any, segment_ids: Any, num_segments: Any) -> Tensor:
    from tensorlet.ops.indexing import SegmentMax, SegmentSum

    d, ids = as_tensor(data), ew.cast(_ints(segment_ids, f"tf.math.{op}: segment_ids"), "int64")
    n = None if num_segments is None else int(num_segments.numpy() if isinstance(num_segments, Tensor)
                                                else num_segments)
    if op.endswith("sum"):
        return SegmentSum(n)(d, ids)
    if op.endswith("mean"):
        total = SegmentSum(n)(d, ids)
        counts = SegmentSum(n)(ew.cast(ew.greater_equal(ids, 0), d.dtype), ids)  # rows per segment
        shape = tuple(counts.shape) + (1,) * (len(total.shape) - len(counts.shape))
        from tensorlet.ops.shape import reshape

        return ew.divide(total, ew.maximum(reshape(counts, shape), 1))
    if op.endswith("max"):
        return SegmentMax(n)(d, ids)
    if op.endswith("min"):
        return ew.negative(SegmentMax(n)(ew.negative(d), ids))
    raise ValueError(op)


def segment_sum(data: Any, segment_ids: Any, name: Any = None) -> Tensor:
    """Sums of the rows of ``data`` sharing a (sorted) segment id; ids missing between others give zero rows."""
    return _segments("segment_sum", data, segment_ids, None)


def segment_mean(data: Any, segment_ids: Any, name: Any = None) -> Tensor:
    return _segments("segment_mean", data, segment_ids, None)


def segment_max(data: Any, segment_ids: Any, name: Any = None) -> Tensor:
    return _segments("segment_max", data, segment_ids, None)


def segment_min(data: Any, segment_ids: Any, name: Any = None) -> Tensor:
    return _segments("segment_min", data, segment_ids, None)


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: Any = None) -> Tensor:
    """Sums of the rows of ``data`` per segment id, in any order, into ``num_segments`` rows."""
    return _segments("unsorted_segment_sum", data, segment_ids, num_segments)


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any, name: Any = None) -> Tensor:
    return _segments("unsorted_segment_mean", data, segment_ids, num_segments)


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any, name: Any = None) -> Tensor:
    return _segments("unsorted_segment_max", data, segment_ids, num_segments)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any, name: Any = None) -> Tensor:
    return _segments("unsorted_segment_min", data, segment_ids, num_segments)
