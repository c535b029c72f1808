"""Core ``keras.ops``: conversion, dtypes, control flow, and slicing and scattering updates.

Control flow runs in Python, eagerly: ``cond`` and ``while_loop`` read their predicate back to Python, so a
``tf.function`` calling them with a predicate computed from its data runs eagerly (after one warning), as the
tracer does for any value read back; loops over a fixed number of steps (``fori_loop`` with Python bounds, ``scan``,
``map``) are unrolled and replay like any other ops.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor
from tensorlet.keras_ops.convert import cast as _cast
from tensorlet.keras_ops.convert import convert_to_tensor, standardize_dtype, static_ints
from tensorlet.ops.indexing import DynamicSlice, ScatterAdd, ScatterUpdate, SliceUpdate
from tensorlet.ops.unary import StopGradient


def cast(x: Any, dtype: Any) -> Tensor:
    """``x`` converted to ``dtype`` (the gradient flows between float dtypes)."""
    return _cast(convert_to_tensor(x), dtype)


def is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


def dtype(x: Any) -> str:
    """The dtype's name (``'float32'``), as Keras standardizes it."""
    if hasattr(x, "_keras_history") and not isinstance(x, Tensor):  # a Functional API placeholder
        return standardize_dtype(x.dtype)
    return standardize_dtype(convert_to_tensor(x).dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """A NumPy copy of ``x``'s value."""
    return np.array(convert_to_tensor(x)._value, copy=True)


def stop_gradient(variable: Any) -> Tensor:
    """The value of ``variable``, through which no gradient flows."""
    return StopGradient()(convert_to_tensor(variable))


def _truth(pred: Any) -> bool:
    return bool(pred._value) if isinstance(pred, Tensor) else bool(pred)


def cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``."""
    if isinstance(pred, Tensor):
        bool(pred)  # noqa: B018 - a host read, reported to a trace in progress
    return true_fn() if _truth(pred) else false_fn()


def switch(index: Any, branches: list[Callable[..., Any]], *operands: Any) -> Any:
    """``branches[index](*operands)``, the index clamped into range as Keras does."""
    i = int(index) if not isinstance(index, Tensor) else int(index)
    return branches[min(max(i, 0), len(branches) - 1)](*operands)


def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               maximum_iterations: int | None = None) -> Any:
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (at most ``maximum_iterations`` times).

    A tuple or list of loop variables is passed unpacked, anything else as one argument; the result has the shape
    of ``loop_vars``.
    """
    packed = isinstance(loop_vars, (tuple, list))
    state = tuple(loop_vars) if packed else (loop_vars,)
    count = 0
    while (maximum_iterations is None or count < int(maximum_iterations)) and _truth(
            cond(*state) if packed else cond(state[0])):
        new = body(*state) if packed else body(state[0])
        state = tuple(new) if packed else (new,)
        count += 1
    return type(loop_vars)(state) if packed else state[0]


def fori_loop(lower: Any, upper: Any, body_fun: Callable[[Any, Any], Any], init_val: Any) -> Any:
    """``val = body_fun(i, val)`` for i from ``lower`` to ``upper`` - 1."""
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def scan(f: Callable[[Any, Any], tuple[Any, Any]], init: Any, xs: Any = None, length: int | None = None,
         reverse: bool = False, unroll: int = 1) -> tuple[Any, Any]:
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs`` (any structure of tensors, or ``length``
    steps with ``x=None``); returns the last carry and the ``y``s stacked (a structure like ``y``)."""
    from tensorlet.keras_ops.numpy_shape import stack, unstack

    if xs is None:
        if length is None:
            raise ValueError("keras.ops.scan needs xs or length")
        steps: list[Any] = [None] * int(length)
    else:
        flat = [convert_to_tensor(v) for v in tree.flatten(xs)]
        n = flat[0].shape[0] if flat else int(length or 0)
        if length is not None and int(length) != n:
            raise ValueError(f"keras.ops.scan: length={length} but xs has {n} entries along its first axis")
        columns = [unstack(v) for v in flat]
        steps = [tree.pack_sequence_as(xs, [c[i] for c in columns]) for i in range(n)]
    order = range(len(steps) - 1, -1, -1) if reverse else range(len(steps))
    carry, ys = init, [None] * len(steps)
    for i in order:
        carry, ys[i] = f(carry, steps[i])
    if not steps or ys[0] is None:
        return carry, None
    stacked = [stack([tree.flatten(y)[k] for y in ys]) for k in range(len(tree.flatten(ys[0])))]
    return carry, tree.pack_sequence_as(ys[0], stacked)


def map(f: Callable[[Any], Any], xs: Any) -> Any:  # noqa: A001 - Keras' name
    """``f`` applied to each entry along the leading axis of ``xs`` (a structure), results stacked."""
    _, ys = scan(lambda carry, x: (carry, f(x)), None, xs)
    return ys


def vectorized_map(function: Callable[[Any], Any], elements: Any) -> Any:
    """``function`` applied to each entry of ``elements`` along the leading axis, results stacked (one call per
    entry: tensorlet has no vectorizing transform)."""
    return map(function, elements)


def slice(inputs: Any, start_indices: Any, shape: Any) -> Tensor:  # noqa: A001 - Keras' name
    """The block of ``shape`` starting at ``start_indices`` (a tensor is fine: it is an op input); starts are
    clamped so that the block fits, as XLA's dynamic slices are."""
    t = convert_to_tensor(inputs)
    sizes = static_ints(shape, "shape")
    if len(sizes) != t.ndim:
        raise ValueError(f"keras.ops.slice: shape {sizes} must have one entry per axis of {tuple(t.shape)}")
    return DynamicSlice(sizes)(t, _cast(convert_to_tensor(start_indices), "int64"))


def slice_update(inputs: Any, start_indices: Any, updates: Any) -> Tensor:
    """``inputs`` with the block at ``start_indices`` replaced by ``updates``."""
    t = convert_to_tensor(inputs)
    u = _cast(convert_to_tensor(updates), t.dtype.name)
    if u.ndim != t.ndim:
        raise ValueError(f"keras.ops.slice_update: updates of shape {tuple(u.shape)} must have the rank of inputs "
                         f"{tuple(t.shape)}")
    return SliceUpdate()(t, _cast(convert_to_tensor(start_indices), "int64"), u)


def scatter(indices: Any, values: Any, shape: Any) -> Tensor:
    """A tensor of ``shape``, zero except ``values`` at ``indices`` (one index row per value; repeats add up)."""
    v = convert_to_tensor(values)
    idx = _cast(convert_to_tensor(indices), "int64")
    return ScatterAdd(static_ints(shape, "shape"), np.dtype(v.dtype.as_numpy_dtype))(idx, v)


def scatter_update(inputs: Any, indices: Any, updates: Any, reduction: Any = None) -> Tensor:
    """``inputs`` with ``updates`` written at ``indices`` (``reduction='add'`` adds them instead)."""
    t = convert_to_tensor(inputs)
    idx = _cast(convert_to_tensor(indices), "int64")
    u = _cast(convert_to_tensor(updates), t.dtype.name)
    if reduction in (None, "none", "update"):
        return ScatterUpdate()(t, idx, u)
    if reduction == "add":
        from tensorlet.keras_ops.numpy_math import add

        return add(t, ScatterAdd(tuple(t.shape), np.dtype(t.dtype.as_numpy_dtype))(idx, u))
    raise ValueError(f"keras.ops.scatter_update: reduction must be None or 'add', got {reduction!r}")

