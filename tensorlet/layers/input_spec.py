"""InputSpec: what a layer accepts (rank and fixed axis sizes), checked on every call with a message naming the
layer, what it expected and what it was given."""
from __future__ import annotations

import numbers
from typing import Any


def checked_shape(value: Any, argument: str, owner: str, allow_int: bool) -> tuple[Any, ...]:
    """A shape argument as a tuple of non-negative ints and Nones; ``allow_int`` lets ``784`` mean ``(784,)``
    (tf.keras' ``Input(shape=784)``; a layer's ``input_shape`` must be a tuple, as in Keras).

    Raises:
        TypeError / ValueError: naming ``owner``, ``argument`` and the value given.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if allow_int:
            value = (value,)
        else:
            raise TypeError(f"{owner}: `{argument}` must be a tuple of dimensions, such as ({int(value)},); "
                            f"received {argument}={value!r}")
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{owner}: `{argument}` must be a tuple of dimensions (ints or None); received "
                        f"{argument}={value!r}")
    dims: list[int | None] = []
    for d in value:
        if d is None:
            dims.append(None)
            continue
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or int(d) != d:  # type: ignore[call-overload]
            raise TypeError(f"{owner}: `{argument}` must hold whole numbers or None; received {argument}={value!r}")
        if d < 0:
            raise ValueError(f"{owner}: `{argument}` cannot have negative dimensions (use None for a size that "
                             f"varies); received {argument}={tuple(value)!r}")
        dims.append(int(d))  # type: ignore[call-overload]
    return tuple(dims)


class InputSpec:
    """What a layer accepts: ``ndim``/``min_ndim`` and fixed sizes of some axes (``axes={-1: 784}``)."""

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: int | None = None, max_ndim: int | None = None,
                 min_ndim: int | None = None, axes: dict[int, int] | None = None, allow_last_axis_squeeze: bool = False,
                 name: str | None = None) -> None:
        self.dtype, self.shape, self.ndim, self.max_ndim, self.min_ndim = dtype, shape, ndim, max_ndim, min_ndim
        self.axes = axes or {}

    def check(self, layer: Any, shape: tuple[Any, ...]) -> None:
        nd = len(shape)
        if self.ndim is not None and nd != self.ndim:
            raise ValueError(f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected ndim='
                             f"{self.ndim}, found ndim={nd}. Full shape received: {_fmt(shape)}")
        if self.min_ndim is not None and nd < self.min_ndim:
            raise ValueError(f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected '
                             f"min_ndim={self.min_ndim}, found ndim={nd}. Full shape received: {_fmt(shape)}")
        for axis, size in self.axes.items():
            got = shape[axis] if -nd <= axis < nd else None
            if got is not None and size is not None and got != size:
                raise ValueError(
                    f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected axis {axis} of input '
                    f"shape to have value {size}, but received input with shape {_fmt(shape)}")


def _fmt(shape: Any) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
