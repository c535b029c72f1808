"""Merge layers for the Functional API: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S


class Merge(Layer):
    """Combine a list of tensors of compatible shapes elementwise."""

    min_inputs = 2

    def _check(self, shapes: Any) -> None:
        if not isinstance(shapes, (list, tuple)) or len(shapes) < self.min_inputs or not isinstance(shapes[0],
                                                                                                      (list, tuple)):
            raise ValueError(f'Layer "{self.name}" ({type(self).__name__}) should be called on a list of at least '
                             f"{self.min_inputs} inputs. Received: input_shape={shapes}")

    def build(self, input_shape: Any) -> None:
        self._check(input_shape)
        self.built = True

    def _merge(self, a: Any, b: Any) -> Any:
        raise NotImplementedError

    def call(self, inputs: Any) -> Any:
        out = inputs[0]
        for t in inputs[1:]:
            out = self._merge(out, t)
        return out

    def compute_output_shape(self, input_shape: Any) -> Any:
        self._check(input_shape)
        out = list(input_shape[0])
        for s in input_shape[1:]:
            if len(s) != len(out):
                raise ValueError(f'Layer "{self.name}": inputs must have the same rank, got shapes {input_shape}')
            for i, (a, b) in enumerate(zip(out, s)):
                if a is None or b is None:
                    out[i] = a if b is None else b
                elif a == 1:
                    out[i] = b
                elif b != 1 and a != b:
                    raise ValueError(f'Layer "{self.name}" ({type(self).__name__}): inputs have incompatible shapes '
                                     f"{tuple(input_shape[0])} and {tuple(s)}")
        return tuple(out)


class Add(Merge):
    def _merge(self, a: Any, b: Any) -> Any:
        return E.add(a, b)


class Subtract(Merge):
    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f'Layer "{self.name}" (Subtract) takes exactly 2 inputs, received {len(input_shape)}')

    def _merge(self, a: Any, b: Any) -> Any:
        return E.subtract(a, b)


class Multiply(Merge):
    def _merge(self, a: Any, b: Any) -> Any:
        return E.multiply(a, b)


class Maximum(Merge):
    def _merge(self, a: Any, b: Any) -> Any:
        return E.maximum(a, b)


class Minimum(Merge):
    def _merge(self, a: Any, b: Any) -> Any:
        return E.minimum(a, b)


class Average(Merge):
    def call(self, inputs: Any) -> Any:
        total = inputs[0]
        for t in inputs[1:]:
            total = E.add(total, t)
        return E.multiply(total, 1.0 / len(inputs))


class Concatenate(Merge):
    """Concatenate along ``axis`` (default -1)."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs: Any) -> Any:
        return S.concat(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape: Any) -> Any:
        self._check(input_shape)
        out = list(input_shape[0])
        ax = self.axis % len(out)
        for s in input_shape[1:]:
            if len(s) != len(out) or any(a != b and a is not None and b is not None
                                         for i, (a, b) in enumerate(zip(out, s)) if i != ax):
                raise ValueError(f'Layer "{self.name}" (Concatenate) requires inputs with matching shapes except for '
                                 f"the concatenation axis {self.axis}. Received: input_shape={input_shape}")
            out[ax] = None if out[ax] is None or s[ax] is None else out[ax] + s[ax]
        return tuple(out)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["axis"] = self.axis
        return config


def add(inputs: Any, **kwargs: Any) -> Any:
    return Add(**kwargs)(inputs)


def concatenate(inputs: Any, axis: int = -1, **kwargs: Any) -> Any:
    return Concatenate(axis=axis, **kwargs)(inputs)
