"""Nested layer inputs as a layer call sees them: NumPy and Python values become tensors, tensors give their
shapes, and a KerasTensor anywhere makes the call symbolic (Functional). ``tensorlet.tree`` walks the nesting."""
from __future__ import annotations

from typing import Any

from tensorlet import backend, tree
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.config import floatx
from tensorlet.layers.node import KerasTensor


def _first_shape(s: Any) -> tuple[Any, ...]:
    """The first shape (in tree order) of a structure of shapes; () if there is none."""
    shapes: list[Any] = []
    tree.map_shape_structure(shapes.append, s)
    return tuple(shapes[0]) if shapes and isinstance(shapes[0], (list, tuple)) else ()


def _any_symbolic(x: Any) -> bool:
    if isinstance(x, Tensor):  # the eager call on one tensor, first
        return False
    for v in tree.flatten(x):
        if isinstance(v, KerasTensor):
            return True
    return False


def _to_tensor(x: Any, dtype: Any) -> Any:
    """One value as a tensor: float arrays take the layer's float dtype (else floatx), a flat list of numbers is one
    float32 tensor, and so is a rectangular nested list of numbers. None for a container to walk into, or a leaf to
    keep as it is."""
    if isinstance(x, Tensor):
        return x
    if backend.is_ndarray(x):
        target = dtype if isinstance(dtype, str) and dtype.startswith("float") else floatx()
        if x.dtype.kind == "f" and x.dtype != target:
            x = x.astype(target)
        return _wrap(backend.asarray(x))
    if isinstance(x, (list, tuple)):
        leaves = tree.flatten(x)
        if not x or not leaves or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in leaves):
            return None
        try:  # a (nested) list of numbers is one tensor, as TensorFlow converts it: [[1.0], [5.0]] is (2, 1)
            return _wrap(backend.asarray(x, dtype="float32"))
        except ValueError:  # ragged: each part is its own input
            return None
    if isinstance(x, (int, float)):
        return _wrap(backend.asarray(x, dtype="float32"))
    return None


def _to_tensors(x: Any, dtype: Any = None) -> Any:
    """NumPy and Python inputs become tensors (see ``_to_tensor``), anywhere in a nested structure; a structure
    of tensors only is returned as it is."""
    if isinstance(x, Tensor):
        return x
    convert = False
    for v in tree.flatten(x):
        if isinstance(v, (int, float)):  # a number, or one in a list of numbers: the lists need a walk from the top
            return tree.traverse(lambda v: _to_tensor(v, dtype), x)
        convert = convert or not isinstance(v, Tensor)
    return tree.map_structure(lambda v: _keep_or_convert(v, dtype), x) if convert else x


def _keep_or_convert(x: Any, dtype: Any) -> Any:
    t = _to_tensor(x, dtype)
    return x if t is None else t


def _shapes(x: Any) -> Any:
    """The shapes of the tensors in ``x`` (None for any other leaf), in ``x``'s structure."""
    if isinstance(x, Tensor):
        return tuple(x._value.shape)
    return tree.map_structure(lambda t: tuple(t._value.shape) if isinstance(t, Tensor) else None, x)
