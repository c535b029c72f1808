"""Integer arguments: any integral number is an int, whatever type it comes as.

Course code computes sizes with NumPy or TensorFlow (``Dense(np.prod(shape))``,
``Dense(tf.math.reduce_prod(shape).numpy())``, ``Conv2D(filters=n // 2, kernel_size=x.shape[1])``) and gets a NumPy
integer, a 0-d array or a 0-d integer Tensor. Keras takes these as ints; an ``isinstance(units, int)`` check in
each layer would not. ``integer`` turns any of them into a Python int (lists and tuples element-wise) and rejects a
non-integral value with an error naming the argument.

Layers do not call it one by one: ``integer_arguments`` wraps a layer class's ``__init__`` once, when the class is
defined, and converts the parameters whose annotation mentions ``int`` (``units: int``, ``kernel_size: int |
tuple[int, int]``, ``seed: int | None``) before the layer sees them. The signature is the declaration.
"""
from __future__ import annotations

import functools
import inspect
import operator
import re
from typing import Any, Callable

_INT_ANNOTATION = re.compile(r"\bint\b")


def integer(value: Any, name: str, owner: str) -> Any:
    """``value`` as a Python int (a list or tuple of ints, element-wise); None, bools, strings and non-numbers
    pass through for the layer to judge.

    Raises:
        ValueError: ``value`` is a number (or a sequence holding one) that is not integral.
    """
    try:
        return _as_int(value)
    except _NotIntegral as e:
        shown = _show(value) if e.args[0] is value else repr(_plain(value))
        raise ValueError(f"{owner}: `{name}` must be an integer{'' if e.args[0] is value else ' or a tuple of integers'}"
                         f", got {name}={shown}, which is not integral") from None


class _NotIntegral(Exception):
    pass


def _as_int(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str, bytes)):
        return value
    if isinstance(value, int):
        return int(value)  # an IntEnum or int subclass becomes a plain int
    if isinstance(value, (list, tuple)):
        return type(value)(_as_int(v) for v in value)
    try:  # NumPy integer scalars, 0-d integer arrays and 0-d integer Tensors all implement __index__
        return operator.index(value)
    except TypeError:
        pass
    shape = getattr(value, "shape", None)
    if shape is not None and len(tuple(shape)) == 1:  # a 1-D array or Tensor of sizes: kernel_size=np.array([3, 3])
        return tuple(_as_int(v) for v in list(value))
    if shape is not None and len(tuple(shape)) > 1:
        raise _NotIntegral(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if number.is_integer():
        return int(number)
    raise _NotIntegral(value)


def _plain(value: Any) -> Any:
    """A Tensor or NumPy value as the Python number or list it holds, for error messages."""
    numpy_value = getattr(value, "numpy", None)
    if callable(numpy_value):
        value = numpy_value()
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def _show(value: Any) -> str:
    plain = _plain(value)
    return repr(plain) if type(value) is type(plain) else f"{plain!r} ({type(value).__name__})"


def integer_parameters(fn: Callable[..., Any]) -> dict[str, int | None]:
    """The parameters of ``fn`` annotated as integers: name -> position in a positional call (None if keyword-only)."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return {}
    out: dict[str, int | None] = {}
    for i, p in enumerate(params):
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.annotation is p.empty:
            continue
        annotation = p.annotation if isinstance(p.annotation, str) else inspect.formatannotation(p.annotation)
        if _INT_ANNOTATION.search(annotation):
            out[p.name] = i if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) else None
    return out


def integer_arguments(init: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a method (a layer's ``__init__``, ``fit``...) so that its integer-annotated arguments arrive as ints.

    A function with no such parameter is returned unchanged.
    """
    if getattr(init, "__integer_arguments__", False):
        return init
    params = integer_parameters(init)
    if not params:
        return init
    by_position = {pos: name for name, pos in params.items() if pos is not None}

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        owner = type(self).__name__ if init.__name__ == "__init__" else f"{init.__name__}()"
        if args:
            args = tuple(integer(a, by_position[i + 1], owner) if i + 1 in by_position else a
                         for i, a in enumerate(args))
        for name in params.keys() & kwargs.keys():
            kwargs[name] = integer(kwargs[name], name, owner)
        return init(self, *args, **kwargs)

    wrapper.__integer_arguments__ = True  # type: ignore[attr-defined]
    return wrapper
