"""Conform what a Functional model receives to its Input layers, as Keras does before it runs the graph.

Course code feeds models data whose rank differs from the declared input by a trailing axis of size 1:
``xs = np.array([-1.0, 0.0, 1.0])`` for ``Dense(1, input_shape=[1])``, MNIST's ``(N, 28, 28)`` images for
``Input(shape=(28, 28, 1))``. Both tf.keras 2 and Keras 3 add the missing axis when the input's last declared
dimension is 1, and remove an extra trailing axis of size 1 (``(N, 5, 1)`` for ``Input(shape=(5,))``). Any other
rank mismatch is an error that names the input, the expected shape and the received one.

Inputs may also come as a dict keyed by the Input layers' names, whatever structure the model was built with;
a missing key is an error listing the expected keys, an extra key is ignored with a warning (tf.keras 2).

``conform`` works on NumPy data once per ``fit``/``evaluate``/``predict``; ``conform_tensors`` on the tensors of a
direct call (``model(x)``), where the reshapes are differentiable ops and, as in tf.keras 2, an input no rule fixes
is passed on as it is (the layers then say what they cannot take).
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np


def _reference(model: Any) -> list[Any]:
    """The model's Input tensors, or [] for a model without a graph (subclassed, or Sequential not built yet)."""
    return list(getattr(model, "inputs", None) or []) if hasattr(model, "_nodes") else []


def _names(model: Any) -> list[str]:
    structure = getattr(model, "_input_structure", None)
    if isinstance(structure, dict):
        return sorted(structure)
    return [_input_name(t) for t in model.inputs]


def _input_name(t: Any) -> str:
    history = getattr(t, "_keras_history", None)
    return history[0].name if history else t.name


def from_dict(model: Any, x: dict[str, Any]) -> Any:
    """A dict of inputs keyed by Input names in the model's own structure: a list in input order (or the value
    alone for a single-input model), or the dict itself for a model built from a dict of Inputs."""
    names = _names(model)
    missing = [n for n in names if n not in x]
    keyed = isinstance(getattr(model, "_input_structure", None), dict)
    if missing and keyed:
        return x  # the model's own dict matching names the keys it lacks
    if missing:
        raise ValueError(f'Missing data for input "{missing[0]}" of model "{model.name}". You passed a data '
                         f"dictionary with keys {sorted(map(str, x))}. Expected the following keys: {names}")
    extra = [k for k in x if k not in names]
    if extra:
        warnings.warn(f"Input dict contained keys {extra} which did not match any input of model "
                      f'"{model.name}" ({names}). They will be ignored by the model.', UserWarning, stacklevel=4)
    if keyed:
        return {n: x[n] for n in names}
    values = [x[n] for n in names]
    return values[0] if len(values) == 1 else values


def _adjusted_shape(shape: tuple[Any, ...], ref: tuple[Any, ...], where: str) -> tuple[Any, ...] | None:
    """The shape to reshape to (None: keep), or raise for a rank no rule fixes."""
    if len(shape) == len(ref):
        return None
    if len(shape) == len(ref) - 1 and ref[-1] == 1:
        return tuple(shape) + (1,)
    if len(shape) == len(ref) + 1 and shape[-1] == 1:
        return tuple(shape[:-1])
    raise ValueError(f"Invalid input shape for {where}: expected shape {tuple(ref)}, but the input has "
                     f"incompatible shape {tuple(shape)} (rank {len(shape)} instead of {len(ref)})")


def conform(model: Any, x: Any) -> Any:
    """NumPy inputs of a Functional/Sequential model, with dicts mapped and ranks adjusted (once per fit)."""
    refs = _reference(model)
    if not refs:
        return x
    if isinstance(x, dict):
        x = from_dict(model, x)
    if isinstance(x, dict):
        return {k: _conform_array(x[k], t, model) for k, t in zip(sorted(x), refs)}
    if isinstance(x, (list, tuple)):
        if len(x) != len(refs):
            return x  # the model's call reports the count
        return [_conform_array(v, t, model) for v, t in zip(x, refs)]
    return _conform_array(x, refs[0], model) if len(refs) == 1 else x


def _conform_array(a: Any, ref: Any, model: Any) -> Any:
    if not isinstance(a, np.ndarray):
        return a
    shape = _adjusted_shape(a.shape, tuple(ref.shape), _describe(ref, model))
    return a if shape is None else a.reshape(shape)


def conform_tensors(model: Any, flat: list[Any]) -> list[Any]:
    """The flat input tensors of a direct call, with ranks adjusted (a no-op once ``conform`` ran)."""
    refs = _reference(model)
    if len(refs) != len(flat):
        return flat
    out = []
    for t, ref in zip(flat, refs):
        value_shape = tuple(t.shape) if hasattr(t, "shape") else None
        if value_shape is None:
            out.append(t)
            continue
        try:
            shape = _adjusted_shape(value_shape, tuple(ref.shape), _describe(ref, model))
        except ValueError:  # tf.keras 2 logs "called on an input with incompatible shape" and runs the layers
            shape = None
        if shape is None:
            out.append(t)
        else:
            from tensorlet.ops.shape import reshape

            out.append(reshape(t, shape))
    return out


def _describe(ref: Any, model: Any) -> str:
    return f'input "{_input_name(ref)}" of model "{model.name}"'
