"""Merge layers for the Functional API: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""
from __future__ import annotations

import math
from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.ops import creation as C
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
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

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """Steps kept by every masked input (tf.keras 2's rule; unmasked inputs do not restrict it)."""
        if mask is None or all(m is None for m in mask):
            return None
        masks = [m for m in mask if m is not None]
        return R.reduce_all(S.stack(masks, axis=0), axis=0)

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
                if a is None or b is None:  # unknown against 1 stays unknown (it broadcasts)
                    known = b if a is None else a
                    out[i] = None if known in (None, 1) else known
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

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The masks concatenated like the inputs (an unmasked input counts as all kept), then reduced over the
        last axis with "all", as tf.keras 2 does."""
        if mask is None or all(m is None for m in mask):
            return None
        parts = []
        for x, m in zip(inputs, mask):
            if m is None:
                parts.append(C.ones_like(x, dtype="bool"))
            elif m.ndim < x.ndim:
                parts.append(S.expand_dims(m, -1))
            else:
                parts.append(m)
        return R.reduce_all(S.concat(parts, axis=self.axis), axis=-1)

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


class Dot(Merge):
    """Per-sample dot product of two tensors along ``axes`` (an int for both, or one axis each; the batch axis
    is 0 and cannot be one of them). The output keeps the other axes of the first input, then those of the
    second; a scalar per sample comes out as (batch, 1). ``normalize=True`` L2-normalizes both inputs along
    their dot axes first, which gives the cosine similarity."""

    def __init__(self, axes: Any, normalize: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2:
                raise ValueError(f"Dot: axes must be an int or a pair of ints (one axis per input), got axes={axes!r}")
            axes = [int(a) for a in axes]
        else:
            axes = int(axes)
        self.axes, self.normalize = axes, bool(normalize)

    def _axes(self, shapes: Any) -> tuple[int, int]:
        pair = self.axes if isinstance(self.axes, list) else [self.axes, self.axes]
        out = []
        for a, shape in zip(pair, shapes):
            ax = a % len(shape) if -len(shape) <= a < len(shape) else None
            if ax is None or ax == 0:
                raise ValueError(f'Layer "{self.name}" (Dot): axis {a} is not a non-batch axis of an input of shape '
                                 f"{tuple(shape)}")
            out.append(ax)
        return out[0], out[1]

    def _check_pair(self, shapes: Any) -> tuple[int, int]:
        self._check(shapes)
        if len(shapes) != 2:
            raise ValueError(f'Layer "{self.name}" (Dot) takes exactly 2 inputs, received {len(shapes)}')
        ka, kb = self._axes(shapes)
        da, db = shapes[0][ka], shapes[1][kb]
        if da is not None and db is not None and da != db:
            raise ValueError(f'Layer "{self.name}" (Dot): the dot axes must have the same size; got {da} (axis {ka} '
                             f"of {tuple(shapes[0])}) and {db} (axis {kb} of {tuple(shapes[1])})")
        return ka, kb

    def build(self, input_shape: Any) -> None:
        self._check_pair(input_shape)
        self.built = True

    def call(self, inputs: Any) -> Any:
        from tensorlet.ops.linalg import matmul
        from tensorlet.ops.reduction import reduce_sum

        a, b = inputs
        ka, kb = self._check_pair([tuple(a.shape), tuple(b.shape)])
        if self.normalize:  # x / sqrt(max(sum(x^2), 1e-12)) along the dot axis
            a = E.multiply(a, E.rsqrt(E.maximum(reduce_sum(E.square(a), axis=ka, keepdims=True), 1e-12)))
            b = E.multiply(b, E.rsqrt(E.maximum(reduce_sum(E.square(b), axis=kb, keepdims=True), 1e-12)))
        rest_a = [d for i, d in enumerate(a.shape) if i not in (0, ka)]
        rest_b = [d for i, d in enumerate(b.shape) if i not in (0, kb)]
        k = a.shape[ka]
        a3 = S.reshape(S.transpose(a, [0] + [i for i in range(1, a.ndim) if i != ka] + [ka]), (-1, math.prod(rest_a), k))
        b3 = S.reshape(S.transpose(b, [0, kb] + [i for i in range(1, b.ndim) if i != kb]), (-1, k, math.prod(rest_b)))
        return S.reshape(matmul(a3, b3), [-1] + (rest_a + rest_b or [1]))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return None

    def compute_output_shape(self, input_shape: Any) -> Any:
        ka, kb = self._check_pair(input_shape)
        a, b = input_shape
        rest = [d for i, d in enumerate(a) if i not in (0, ka)] + [d for i, d in enumerate(b) if i not in (0, kb)]
        return (a[0], *(rest or [1]))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def add(inputs: Any, **kwargs: Any) -> Any:
    return Add(**kwargs)(inputs)


def concatenate(inputs: Any, axis: int = -1, **kwargs: Any) -> Any:
    return Concatenate(axis=axis, **kwargs)(inputs)
