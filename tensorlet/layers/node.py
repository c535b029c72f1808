"""The symbolic graph of the Functional API: KerasTensor (a shape and dtype) and Node (one layer call)."""
from __future__ import annotations

from typing import Any

from tensorlet import tree
from tensorlet.autodiff.tensor import TensorShape


class KerasTensor:
    """A symbolic tensor: the shape (batch dimension None) and dtype of a value in a Functional graph."""

    __slots__ = ("shape", "dtype", "name", "_keras_history", "_keras_mask", "__weakref__")

    def __init__(self, shape: Any, dtype: Any = "float32", name: str | None = None) -> None:
        self.shape = TensorShape(shape)
        self.dtype = str(getattr(dtype, "name", dtype))
        if self.dtype == "object":  # NumPy's dtype of string tensors; Keras spells it "string"
            self.dtype = "string"
        self.name = name
        self._keras_history: tuple[Any, int, int] | None = None  # (layer, node index, tensor index)
        self._keras_mask: Any

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def node(self) -> Node | None:
        h = self._keras_history
        return None if h is None else h[0]._inbound_nodes[h[1]]

    def __repr__(self) -> str:
        return f"<KerasTensor shape={tuple(self.shape)}, dtype={self.dtype}, name={self.name}>"

    def __hash__(self) -> int:
        return id(self)

    def __len__(self) -> int:
        raise TypeError("A symbolic KerasTensor has no concrete length; use .shape")

    def __array__(self, *a: Any, **k: Any) -> Any:
        raise TypeError(f"{self!r} is symbolic (a Functional-model placeholder) and has no value; build a Model and "
                        "call it on data instead")

    # The operators build merge layers, as Keras does; merging imports this module (layer -> node), a cycle inside
    # layers/ that the imports at call time keep harmless.
    def __add__(self, other: Any) -> Any:
        from tensorlet.layers.merging import Add

        return Add()([self, other])

    def __radd__(self, other: Any) -> Any:
        from tensorlet.layers.merging import Add

        return Add()([other, self])

    def __sub__(self, other: Any) -> Any:
        from tensorlet.layers.merging import Subtract

        return Subtract()([self, other])

    def __mul__(self, other: Any) -> Any:
        from tensorlet.layers.merging import Multiply

        return Multiply()([self, other])

    def __rmul__(self, other: Any) -> Any:
        from tensorlet.layers.merging import Multiply

        return Multiply()([other, self])


class Node:
    """One call of a layer on symbolic inputs; links the graph together."""

    def __init__(self, layer: Any, inputs: Any, outputs: Any, args: tuple[Any, ...] = (),
                 kwargs: dict[str, Any] | None = None) -> None:
        self.layer = layer
        self.inputs = inputs
        self.outputs = outputs
        self.call_args = args
        self.call_kwargs = dict(kwargs or {})
        # symbolic tensors among the other arguments (attention's value, an explicit mask=) are inputs of the node too
        self.input_tensors = flatten(inputs) + flatten(list(args)) + flatten(self.call_kwargs)
        self.output_tensors = flatten(outputs)
        index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, index, i)
            if t.name is None:
                t.name = layer.name if len(self.output_tensors) == 1 else f"{layer.name}_{i}"

    @property
    def parent_nodes(self) -> list[Node]:
        return [t.node for t in self.input_tensors if t.node is not None]

    @property
    def is_input(self) -> bool:
        return not self.input_tensors


def flatten(x: Any) -> list[Any]:
    """The KerasTensors in ``x``, in ``tensorlet.tree`` order; other leaves are plain call arguments."""
    return [t for t in tree.flatten(x) if isinstance(t, KerasTensor)]
