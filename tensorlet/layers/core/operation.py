"""Hidden graph operations: Keras 3's ``keras.ops.add`` / ``multiply`` applied to symbolic tensors.

In Keras 3, ``x + 3.0`` or ``ops.multiply(x, y)`` on symbolic tensors inside a Functional model records an
*operation*: a node that runs with the model and is saved in its config (module ``keras.src.ops.numpy``), but
that is not a layer, so ``model.layers`` and the weight files do not list it. MobileNetV3's hard sigmoid
(``relu6(x + 3) * (1/6)``) and ConvNeXt's residual sums are built this way. These classes give tensorlet the same
nodes: Functional models run them, save them in Keras 3's form, load them from Keras 3 files, and leave them out
of ``layers`` (see ``Functional.layers``).
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.layers.layer import Layer
from tensorlet.layers.node import KerasTensor
from tensorlet.ops import elementwise as E

_PACKED = object()


def _is_operand(v: Any) -> bool:
    return isinstance(v, (KerasTensor, Tensor)) or hasattr(v, "shape")


def _broadcast(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    a, b = (1,) * (len(b) - len(a)) + tuple(a), (1,) * (len(a) - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x == 1 or x is None and y not in (None, 1):
            out.append(y)
        elif y == 1 or y is None or x == y:
            out.append(x)
        else:
            raise ValueError(f"Cannot broadcast shapes {a} and {b}")
    return tuple(out)


class Operation(Layer):
    """A commutative binary operation of two tensors, or of a tensor and a Python number."""

    _is_operation = True  # run and saved with the graph, not listed in Functional.layers
    _keras_module = "keras.src.ops.numpy"
    _registry_family = "operations"  # not the merge layers of the same names

    # called as keras.ops are, op(x, y), rather than as Layer(inputs, *args)
    def __call__(self, x: Any, y: Any = _PACKED, **kwargs: Any) -> Any:  # type: ignore[override]
        if y is _PACKED:  # a graph replaying a recorded node passes its operands as one list ``[a, b]``
            return super().__call__(x, **kwargs)
        if _is_operand(x) and _is_operand(y):
            return super().__call__([x, y], **kwargs)
        if not _is_operand(x):  # a number first: the operation commutes
            x, y = y, x
        return super().__call__(x, y, **kwargs)

    def _apply(self, a: Any, b: Any) -> Any:
        raise NotImplementedError  # each subclass names its elementwise op

    def call(self, inputs: Any, other: Any = None) -> Any:
        a, b = (inputs[0], inputs[1]) if other is None else (inputs, other)
        return self._apply(a, b)

    def compute_output_shape(self, input_shape: Any) -> Any:
        if isinstance(input_shape, list):
            return _broadcast(tuple(input_shape[0]), tuple(input_shape[1]))
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name}

    def get_build_config(self) -> None:
        return None  # Keras 3 writes none for an operation, and cannot read one


class Add(Operation):
    """y = a + b (Keras 3's ``ops.add`` node)."""

    def _apply(self, a: Any, b: Any) -> Any:
        return E.add(a, b)


class Multiply(Operation):
    """y = a * b (Keras 3's ``ops.multiply`` node)."""

    def _apply(self, a: Any, b: Any) -> Any:
        return E.multiply(a, b)


OPERATIONS = {"Add": Add, "Multiply": Multiply}


def add(x: Any, y: Any) -> Any:
    """``x + y`` as a hidden graph operation (a number or tensor ``y``)."""
    return Add()(x, y)


def multiply(x: Any, y: Any) -> Any:
    """``x * y`` as a hidden graph operation (a number or tensor ``y``)."""
    return Multiply()(x, y)
