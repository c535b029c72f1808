"""What compiled losses and metrics receive as targets, as Keras hands them over.

- Float targets are cast to floatx once per ``fit``/``evaluate`` (and per generator batch), as Keras' data
  adapters cast them: a custom loss mixing ``y_true`` with float32 predictions must not see float64. Integer labels
  keep their dtype.
- tf.keras 2's ``match_dtype_and_rank``: 1-D targets beside predictions of rank 2 get a last axis (a custom
  ``y_true - y_pred`` is ``(N, 1)``, not an ``(N, N)`` broadcast), and take the predictions' dtype when both are
  floating or both integer. The trainer does it on the arrays of each batch (a view) from the model's output ranks;
  ``match_target`` does it again where losses and metrics are called (a no-op then, and the rule for custom steps).
- A model without a graph names its outputs from one call, as Keras does: ``output_1``, ``output_2``... (a dict's
  keys).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.config import floatx
from tensorlet.ops.elementwise import cast
from tensorlet.ops.shape import expand_dims

_DTYPES: dict[str, np.dtype] = {}  # floatx name -> dtype (dtype.name costs microseconds, once per batch)


def target_array(y: Any) -> np.ndarray:
    """One target as an array, float ones in floatx."""
    a = y if type(y) is np.ndarray else np.asarray(y)
    if a.dtype.kind != "f":
        return a
    target = _DTYPES.get(floatx())
    if target is None:
        target = _DTYPES[floatx()] = np.dtype(floatx())
    return a if a.dtype == target else a.astype(target)


def floatx_targets(y: Any) -> Any:
    """Targets (an array, or a list/dict of them) with float arrays in floatx."""
    if y is None:
        return None
    if isinstance(y, dict):
        return {k: floatx_targets(v) for k, v in y.items()}
    if isinstance(y, (list, tuple)):
        return [floatx_targets(v) for v in y]
    return target_array(y)


def rank_matched(t: Any, ranks: list[int], i: int) -> Any:
    """Target ``t`` of output ``i`` with a last axis added when it has rank 1 and the output has rank 2."""
    return t[:, None] if t is not None and t.ndim == 1 and i < len(ranks) and ranks[i] == 2 else t


def match_ranks(ys: list[Any], ranks: list[int]) -> list[Any]:
    """Flat target arrays with a last axis added where the output beside them has rank 2 and they have rank 1."""
    if all(t is None or t.ndim != 1 for t in ys):
        return ys
    return [rank_matched(t, ranks, i) for i, t in enumerate(ys)]


def match_target(y_true: Any, y_pred: Any) -> Any:
    """``y_true`` matched to ``y_pred`` (module docstring): on Tensors (the losses, traced) or on NumPy arrays
    (the metrics)."""
    if isinstance(y_pred, Tensor):
        yt = y_true if isinstance(y_true, Tensor) else _wrap(np.asarray(y_true))
        if yt.ndim == 1 and y_pred.ndim == 2:
            yt = expand_dims(yt, -1)
        if _same_kind(yt._value.dtype, y_pred._value.dtype) and yt._value.dtype != y_pred._value.dtype:
            yt = cast(yt, y_pred._value.dtype)
        return yt
    t_arr = y_true if type(y_true) is np.ndarray else np.asarray(y_true)
    p_arr = y_pred if type(y_pred) is np.ndarray else np.asarray(y_pred)
    if t_arr.ndim == 1 and p_arr.ndim == 2:
        t_arr = t_arr[:, None]
    if _same_kind(t_arr.dtype, p_arr.dtype) and t_arr.dtype != p_arr.dtype:
        t_arr = t_arr.astype(p_arr.dtype)
    return t_arr


def _same_kind(a: Any, b: Any) -> bool:
    return (a.kind == "f" and b.kind == "f") or (a.kind in "iu" and b.kind in "iu")


def output_names_of(outputs: Any) -> list[str] | None:
    """Keras' names for the outputs of a model without a graph: a dict's keys, else output_1, output_2..."""
    if isinstance(outputs, dict):
        return sorted(outputs)
    if isinstance(outputs, (list, tuple)) and len(outputs) > 1:
        return [f"output_{i + 1}" for i in range(len(outputs))]
    return None
