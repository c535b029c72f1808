"""``tf.cond``, ``tf.case``, ``tf.switch_case`` and ``tf.while_loop``, with TensorFlow's calling conventions.

They run eagerly: the predicate is read and one branch (or the loop body) runs as Python. Inside a traced
function (``tf.function``) a predicate computed from the inputs is a value read back to Python, so such a function
runs eagerly (after one warning); a predicate that is a Python value or a constant keeps the function traced.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from tensorlet.autodiff.tensor import Tensor


def _truth(pred: Any, what: str) -> bool:
    if isinstance(pred, Tensor):
        if pred._value.size != 1:
            raise ValueError(f"{what}: the predicate must be a scalar, got shape {tuple(pred._value.shape)}")
        return bool(pred)  # a host read: inside a trace, this makes the function run eagerly
    return bool(pred)


def cond(pred: Any, true_fn: Callable[[], Any] | None = None, false_fn: Callable[[], Any] | None = None,
         name: Any = None) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``.

    Example:
        >>> import tensorlet as tf
        >>> x, y = tf.constant(2), tf.constant(5)
        >>> int(tf.cond(x < y, lambda: tf.add(x, 1), lambda: tf.square(y)))
        3
    """
    if true_fn is None or false_fn is None:
        raise TypeError("tf.cond needs both true_fn and false_fn")
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("tf.cond: true_fn and false_fn must be callables")
    return true_fn() if _truth(pred, "tf.cond") else false_fn()


def case(pred_fn_pairs: Any, default: Callable[[], Any] | None = None, exclusive: bool = False,
         strict: bool = False, name: Any = None) -> Any:
    """The function of the first true predicate (with ``exclusive``, exactly one may be true), else ``default``."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    truths = [_truth(p, "tf.case") for p, _ in pairs]
    if exclusive and sum(truths) > 1:
        raise ValueError(f"tf.case(exclusive=True): {sum(truths)} predicates are true")
    for t, (_, fn) in zip(truths, pairs):
        if t:
            return fn()
    if default is None:
        if not pairs:
            raise ValueError("tf.case needs at least one (predicate, function) pair or a default")
        return pairs[-1][1]()  # as TF: with no default, the last function is the default
    return default()


def switch_case(branch_index: Any, branch_fns: Any, default: Callable[[], Any] | None = None,
                name: Any = None) -> Any:
    """``branch_fns[branch_index]()``; an index out of range runs ``default`` (else the last branch)."""
    fns = dict(branch_fns) if isinstance(branch_fns, dict) else dict(enumerate(branch_fns))
    i = int(branch_index)
    if i in fns:
        return fns[i]()
    if default is not None:
        return default()
    return fns[max(fns)]()


def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any, shape_invariants: Any = None,
               parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
               maximum_iterations: Any = None, name: Any = None) -> Any:
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``; returns the final ``loop_vars``, in
    the structure they were given (a single tensor, or a list/tuple).

    Example:
        >>> import tensorlet as tf
        >>> i = tf.constant(0)
        >>> int(tf.while_loop(lambda i: tf.less(i, 10), lambda i: tf.add(i, 1), [i])[0])
        10
    """
    single = not isinstance(loop_vars, (list, tuple))
    values: Sequence[Any] = [loop_vars] if single else list(loop_vars)
    limit = None if maximum_iterations is None else int(maximum_iterations)
    n = 0
    while (limit is None or n < limit) and _truth(cond(*values), "tf.while_loop"):
        out = body(*values)
        out = list(out) if isinstance(out, (list, tuple)) else [out]
        if len(out) != len(values):
            raise ValueError(f"tf.while_loop: body returned {len(out)} values for {len(values)} loop variables")
        values = out
        n += 1
    if single:
        return values[0]
    return type(loop_vars)(values) if not hasattr(loop_vars, "_fields") else type(loop_vars)(*values)


def _as_index(i: Any) -> int:
    return int(np.asarray(getattr(i, "_value", i)))
