"""StackedRNNCells: several cells run as one, each step feeding the next cell's input."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.tensor import _wrap
from tensorlet.layers.layer import Layer
from tensorlet.layers.naming import to_snake_case


class StackedRNNCells(Layer):
    """A stack of cells behaving as one cell: ``RNN(StackedRNNCells([c1, c2]))`` is a two-layer RNN in one loop.

    The states are a list with one entry per cell (each cell's own list of states); the output is the last cell's.

    Example:
        >>> from tensorlet.keras.layers import RNN, GRUCell, SimpleRNNCell, StackedRNNCells
        >>> rnn = RNN(StackedRNNCells([GRUCell(4), SimpleRNNCell(2)]))
        >>> rnn(np.zeros((3, 5, 6), "float32")).shape
        TensorShape([3, 2])
    """

    def __init__(self, cells: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        cells = list(cells)
        for cell in cells:
            if not hasattr(cell, "call") or getattr(cell, "state_size", None) is None:
                raise ValueError(f"StackedRNNCells: every cell needs a `call` method and a `state_size` attribute. "
                                 f"Received: cell={cell!r}")
        self.cells = cells

    @property
    def state_size(self) -> list[Any]:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self) -> Any:
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        if size is not None:
            return size
        return last.state_size[0] if isinstance(last.state_size, (list, tuple)) else last.state_size

    def get_initial_state(self, batch_size: int) -> list[Any]:
        xp = backend.xp()
        out: list[Any] = []
        for cell in self.cells:
            make = getattr(cell, "get_initial_state", None)
            if make is not None:
                out.append(make(batch_size=batch_size))
            elif isinstance(cell.state_size, (list, tuple)):
                out.append([_wrap(xp.zeros((batch_size, d), dtype=self.dtype)) for d in cell.state_size])
            else:
                out.append([_wrap(xp.zeros((batch_size, cell.state_size), dtype=self.dtype))])
        return out

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._maybe_build(shape)
            size = getattr(cell, "output_size", None)
            if size is None:
                size = cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) else cell.state_size
            shape = shape[:-1] + (int(size),)
        self.built = True

    def call(self, inputs: Any, states: Any, training: Any = None) -> tuple[Any, list[Any]]:
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            cell_states = list(cell_states) if isinstance(cell_states, (list, tuple)) else [cell_states]
            kwargs = {"training": training} if isinstance(cell, Layer) and cell._call_accepts("training") else {}
            inputs, cell_states = cell(inputs, cell_states, **kwargs)
            new_states.append(list(cell_states) if isinstance(cell_states, (list, tuple)) else [cell_states])
        return inputs, new_states

    def _keras_weight_children(self) -> list[tuple[str, Any]]:  # Keras 3 files: cells/<snake class name>[_n]
        seen: dict[str, int] = {}
        out = []
        for cell in self.cells:
            base = to_snake_case(type(cell).__name__)
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.append((f"cells/{base if n == 0 else f'{base}_{n}'}", cell))
        return out

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object

        config = super().get_config()
        config["cells"] = [serialize_keras_object(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> StackedRNNCells:
        from tensorlet.saving.serialization import deserialize_keras_object

        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
