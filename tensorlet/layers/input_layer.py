"""InputLayer and ``Input()``: the entry points of a model's graph."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.input_spec import checked_shape
from tensorlet.layers.layer import Layer
from tensorlet.layers.naming import unique_name
from tensorlet.layers.node import KerasTensor, Node


class InputLayer(Layer):
    """The layer behind ``Input``: holds the input shape (batch dimension first, usually None)."""

    _auto_name_index: int | None

    def __init__(self, input_shape: int | tuple[int | None, ...] | None = None, batch_size: int | None = None,
                 dtype: Any = None, input_tensor: Any = None, sparse: Any = None, name: str | None = None,
                 ragged: Any = None, batch_input_shape: tuple[int | None, ...] | None = None,
                 shape: int | tuple[int | None, ...] | None = None, batch_shape: tuple[int | None, ...] | None = None,
                 optional: bool = False, **kwargs: Any) -> None:
        if shape is not None and input_shape is None:
            input_shape = shape
        if batch_shape is not None:
            batch_input_shape = batch_shape
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError("InputLayer needs a shape: pass shape=(...) (or input_shape=...)")
            input_shape = checked_shape(input_shape, "shape", "Input", allow_int=True)
            batch_input_shape = (batch_size,) + input_shape
        super().__init__(name=name or unique_name("input"), dtype=dtype, **kwargs)
        # the session count behind an automatic name ("input" is 0, "input_3" is 3): summary() shows the input as
        # Keras 2 (input_1, ...) or Keras 3 (input_layer, ...) would name it, while files keep self.name
        self._auto_name_index = None if name else (0 if self.name == "input" else int(self.name[len("input_"):]))
        self._batch_input_shape = checked_shape(batch_input_shape, "batch_shape", "Input", allow_int=False)
        self.built = True
        self._build_input_shape = self._batch_input_shape
        out = KerasTensor(self._batch_input_shape, self.dtype, name=self.name)
        Node(self, [], out)

    @property
    def batch_shape(self) -> tuple[Any, ...]:
        assert self._batch_input_shape is not None
        return self._batch_input_shape

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self._batch_input_shape

    def get_config(self) -> dict[str, Any]:
        dtype = "string" if self.dtype == "object" else self.dtype  # string inputs: Keras' spelling
        return {"batch_input_shape": list(self.batch_shape), "dtype": dtype, "sparse": False,
                "ragged": False, "name": self.name}


def Input(shape: Any = None, batch_size: int | None = None, name: str | None = None, dtype: Any = None,
          sparse: Any = None, tensor: Any = None, ragged: Any = None, batch_shape: Any = None,
          **kwargs: Any) -> KerasTensor:
    """A symbolic input tensor for the Functional API (or as a Sequential model's first entry).

    Example:
        >>> x = Input(shape=(784,))
        >>> tuple(x.shape)
        (None, 784)
    """
    if shape is None and batch_shape is None:
        shape = kwargs.pop("input_shape", None)
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype, batch_shape=batch_shape)
    return layer.output
