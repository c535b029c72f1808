"""Permute, RepeatVector, and the sequence layers UpSampling1D, ZeroPadding1D and Cropping1D.

Each layer composes differentiable shape ops (transpose, tile, reshape, pad, slicing), so the gradients come
from those ops and no new primitive is needed. Sequences are ``(batch, steps, features)``.
"""
from __future__ import annotations

import numbers
from typing import Any

from tensorlet.config import image_data_format
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.ops import shape as S


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _positive_int(value: Any, arg: str, layer: str) -> int:
    if not _is_int(value):
        raise TypeError(f"{layer}: `{arg}` must be an integer, got {arg}={value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{layer}: `{arg}` must be a positive integer, got {arg}={value}")
    return int(value)


def _int_pair(value: Any, arg: str, layer: str) -> tuple[int, int]:
    """An int ``k`` means ``(k, k)``; otherwise a pair ``(start, end)``; both non-negative."""
    pair = (value, value) if _is_int(value) else value
    try:
        a, b = pair
        ok = _is_int(a) and _is_int(b) and a >= 0 and b >= 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{layer}: `{arg}` must be a non-negative int or a tuple of 2 non-negative ints "
                         f"(start, end), got {arg}={value!r}")
    return int(a), int(b)


def _checked(layer: Layer, input_shape: Any) -> tuple[Any, ...]:
    """The input shape as a tuple, after the layer's rank check (so shape inference fails as a call would)."""
    shape = tuple(input_shape)
    if layer.input_spec is not None:
        layer.input_spec.check(layer, shape)
    return shape


def _data_format(value: Any, layer: str) -> str:
    fmt = image_data_format() if value is None else str(value).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"{layer}: `data_format` must be 'channels_last' or 'channels_first', got "
                         f"data_format={value!r}")
    return fmt


class Permute(Layer):
    """Permute the non-batch axes of the inputs; the batch axis stays first.

    Args:
        dims: a permutation of ``(1, ..., rank - 1)``: axes are numbered from 1, the batch axis excluded.
            ``(2, 1)`` swaps the two axes of ``(batch, steps, features)``.

    Example:
        >>> Permute((2, 1))(np.zeros((8, 10, 64), "float32")).shape
        TensorShape([8, 64, 10])
    """

    def __init__(self, dims: tuple[int, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            given = tuple(dims)
        except TypeError:
            raise TypeError(f"Permute: `dims` must be a tuple of ints, got dims={dims!r}") from None
        expected = tuple(range(1, len(given) + 1))
        if not all(_is_int(d) for d in given) or sorted(given) != list(expected):
            raise ValueError(f"Permute: `dims` must be a permutation of {expected} (the non-batch axes, numbered "
                             f"from 1; the batch axis 0 stays first), got dims={given}")
        self.dims = tuple(int(d) for d in given)
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs: Any) -> Any:
        return S.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = _checked(self, input_shape)
        return (s[0],) + tuple(s[d] for d in self.dims)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["dims"] = list(self.dims)
        return config


class RepeatVector(Layer):
    """Repeat a ``(batch, features)`` input ``n`` times into ``(batch, n, features)``.

    Args:
        n: the number of repetitions, a positive integer.

    Example:
        >>> RepeatVector(3)(np.zeros((2, 5), "float32")).shape
        TensorShape([2, 3, 5])
    """

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n = _positive_int(n, "n", "RepeatVector")
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: Any) -> Any:
        return S.tile(S.expand_dims(inputs, 1), (1, self.n, 1))

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = _checked(self, input_shape)
        return (s[0], self.n, s[1])

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["n"] = self.n
        return config


class UpSampling1D(Layer):
    """Repeat each time step ``size`` times along axis 1: steps ``a b`` become ``a a b b`` for ``size=2``.

    Args:
        size: the upsampling factor, a positive integer.

    Example:
        >>> UpSampling1D(2)(np.zeros((2, 3, 4), "float32")).shape
        TensorShape([2, 6, 4])
    """

    def __init__(self, size: int = 2, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.size = _positive_int(size, "size", "UpSampling1D")
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any) -> Any:
        _, steps, features = inputs.shape
        # (batch, steps, 1, features) tiled to (batch, steps, size, features): the copies of a step are adjacent
        y = S.tile(S.expand_dims(inputs, 2), (1, 1, self.size, 1))
        return S.reshape(y, (-1, steps * self.size, features))

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = _checked(self, input_shape)
        return (s[0], None if s[1] is None else s[1] * self.size, s[2])

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["size"] = self.size
        return config


class ZeroPadding1D(Layer):
    """Pad the steps axis of a sequence with zeros.

    Args:
        padding: an int (the same number of zeros at both ends) or a tuple ``(start, end)``.
        data_format: ``"channels_last"`` for ``(batch, steps, features)`` (the default, from
            ``image_data_format()``) or ``"channels_first"`` for ``(batch, features, steps)``.

    Example:
        >>> ZeroPadding1D((1, 2))(np.ones((2, 3, 4), "float32")).shape
        TensorShape([2, 6, 4])
    """

    def __init__(self, padding: int | tuple[Any, ...] = 1, data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.padding = _int_pair(padding, "padding", "ZeroPadding1D")
        self.data_format = _data_format(data_format, "ZeroPadding1D")
        self.input_spec = InputSpec(ndim=3)

    def _steps_axis(self) -> int:
        return 1 if self.data_format == "channels_last" else 2

    def call(self, inputs: Any) -> Any:
        pads = [(0, 0)] * 3
        pads[self._steps_axis()] = self.padding
        return S.pad(inputs, pads)

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = list(_checked(self, input_shape))
        ax = self._steps_axis()
        s[ax] = None if s[ax] is None else s[ax] + sum(self.padding)
        return tuple(s)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"padding": list(self.padding), "data_format": self.data_format})
        return config


class Cropping1D(Layer):
    """Crop steps off both ends of a ``(batch, steps, features)`` sequence.

    Args:
        cropping: an int (the same number of steps off both ends) or a tuple ``(start, end)``. At least one
            step must remain.

    Example:
        >>> Cropping1D((1, 2))(np.ones((2, 6, 4), "float32")).shape
        TensorShape([2, 3, 4])
    """

    def __init__(self, cropping: int | tuple[Any, ...] = (1, 1), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cropping = _int_pair(cropping, "cropping", "Cropping1D")
        self.input_spec = InputSpec(ndim=3)

    def _check_steps(self, shape: tuple[Any, ...]) -> None:
        steps = shape[1]
        if steps is not None and sum(self.cropping) >= steps:
            raise ValueError(f'Layer "{self.name}" (Cropping1D): `cropping` {self.cropping} removes all '
                             f"{steps} steps of an input of shape {shape}; it must crop fewer than {steps} "
                             f"steps in total")

    def call(self, inputs: Any) -> Any:
        shape = tuple(inputs.shape)
        self._check_steps(shape)
        start, end = self.cropping
        return S.getitem(inputs, (slice(None), slice(start, shape[1] - end)))

    def compute_output_shape(self, input_shape: Any) -> Any:
        s = _checked(self, input_shape)
        self._check_steps(s)
        return (s[0], None if s[1] is None else s[1] - sum(self.cropping), s[2])

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["cropping"] = list(self.cropping)
        return config
