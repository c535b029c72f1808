"""RNN: run a cell over the time axis (Keras' ``keras.layers.RNN``), the loop behind SimpleRNN, LSTM and GRU.

The cell is a built-in cell (``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``: their input products are computed for
all steps at once, and their dropout masks drawn once per sequence), ``StackedRNNCells``, a list of cells, or a
user-written cell: a layer with ``state_size`` (an int or a list of ints) and ``call(inputs, states) -> (output,
new_states)``, optionally ``training``, ``output_size`` and ``get_initial_state(batch_size)``. States are passed
to the cell as a list (nested for stacked cells). A Keras mask skips steps: the states are carried over them.
With ``stateful=True`` the final states of a batch are the initial states of the next one (``reset_states()``
zeroes them); they live in non-trainable variables that a traced step updates once per batch.
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.autodiff.function import StatefulFunction
from tensorlet.autodiff.tensor import Tensor, Variable, _wrap
from tensorlet.layers.layer import InputSpec, Layer, _fmt, _to_tensors
from tensorlet.layers.recurrent.gate_cell import GateCell, blend
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S


class RNN(Layer):
    """Base class of recurrent layers: ``cell`` applied at each step of a ``(batch, timesteps, features)`` input.

    Args:
        cell: a cell, or a list of cells (stacked with ``StackedRNNCells``).
        return_sequences: return the whole output sequence ``(batch, timesteps, units)`` instead of the last output.
        return_state: also return the final state(s): ``[output, *states]`` (flattened).
        go_backwards: process the sequence in reverse (a returned sequence is in the reversed order, as in Keras).
        stateful: carry the final states of each batch over to the next (fixed batch size); see ``reset_states``.
        unroll: accepted for compatibility; the time loop is always unrolled in Python.
        zero_output_for_mask: with a mask and ``return_sequences``, output zeros (not the carried output) at masked
            steps.

    Example:
        >>> from tensorlet.keras.layers import RNN, LSTMCell
        >>> rnn = RNN(LSTMCell(4), return_sequences=True)
        >>> rnn(np.zeros((2, 5, 3), "float32")).shape
        TensorShape([2, 5, 4])
    """

    def __init__(self, cell: Any, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs: Any) -> None:
        if kwargs.pop("time_major", False):
            raise ValueError(f"{type(self).__name__}: time_major=True is not supported; pass inputs as (batch, "
                             "timesteps, features)")
        input_length = kwargs.pop("input_length", None)
        input_dim = kwargs.pop("input_dim", None)
        if input_dim is not None and kwargs.get("input_shape") is None and kwargs.get("batch_input_shape") is None:
            kwargs["input_shape"] = (input_length, input_dim)
        elif input_length is not None and kwargs.get("input_shape") is None:
            raise ValueError(f"{type(self).__name__}: input_length={input_length} needs input_dim as well (or pass "
                             "input_shape)")
        if isinstance(cell, (list, tuple)):
            from tensorlet.layers.recurrent.stacked_cells import StackedRNNCells

            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") or getattr(cell, "state_size", None) is None:
            raise ValueError(f"{type(self).__name__}: `cell` must have a `call` method and a `state_size` attribute. "
                             f"Received: cell={cell!r}")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful, self.unroll = bool(go_backwards), bool(stateful), bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self._state_variables: list[Variable] | None = None

    # -- states ----------------------------------------------------------------------------------------------
    @property
    def state_size(self) -> list[Any]:
        size = self.cell.state_size
        return list(size) if isinstance(size, (list, tuple)) else [size]

    def _flat_state_sizes(self) -> list[int]:
        return [int(s) for s in _flatten(self.state_size)]

    def get_initial_state(self, batch_size: int) -> list[Any]:
        """Zeros (or the cell's own initial states) for a batch: a list, nested as the cell's states."""
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            states = make(batch_size=batch_size)
            return list(states) if isinstance(states, (list, tuple)) else [states]
        xp = backend.xp()
        return [_wrap(xp.zeros((batch_size, d), dtype=self.dtype)) for d in self._flat_state_sizes()]

    @property
    def states(self) -> list[Variable] | None:
        """The state variables of a stateful layer (None before its first batch, or when not stateful)."""
        return self._state_variables

    def reset_states(self, states: Any = None) -> None:
        """Set the states of a stateful layer to zeros, or to ``states`` (arrays, one per state)."""
        if not self.stateful:
            raise AttributeError(f'Layer "{self.name}" is not stateful: only a layer built with stateful=True has '
                                 "states to reset")
        if self._state_variables is None:
            return
        values = [None] * len(self._state_variables) if states is None else \
            list(states) if isinstance(states, (list, tuple)) else [states]
        if len(values) != len(self._state_variables):
            raise ValueError(f'Layer "{self.name}" has {len(self._state_variables)} state(s); received '
                             f"{len(values)} value(s) in reset_states")
        xp = backend.xp()
        for var, value in zip(self._state_variables, values):
            if value is None:
                var.assign(xp.zeros(var._value.shape, dtype=var._value.dtype))
            else:
                arr = xp.asarray(getattr(value, "_value", value), dtype=var._value.dtype)
                if arr.shape != var._value.shape:
                    raise ValueError(f'Layer "{self.name}": a state has shape {tuple(var._value.shape)}; received '
                                     f"{tuple(arr.shape)} in reset_states")
                var.assign(arr)

    reset_state = reset_states

    def _stateful_initial(self, batch: int) -> list[Any]:
        if self._state_variables is None:
            initial = _flatten(self.get_initial_state(batch))
            xp = backend.xp()
            self._state_variables = [Variable(xp.zeros(s._value.shape, dtype=s._value.dtype), trainable=False,
                                              name=f"{self.name}/state_{i}") for i, s in enumerate(initial)]
        expected = self._state_variables[0]._value.shape[0]
        if batch != expected:
            raise ValueError(f'Layer "{self.name}" is stateful: every batch must have the batch size of its states '
                             f"({expected}); received a batch of {batch}. Give the model a fixed batch size "
                             "(batch_input_shape / Input(batch_size=...)) and no partial last batch.")
        return _pack(self.get_initial_state(batch), list(self._state_variables))

    def _initial_states(self, initial_state: Any, batch: int) -> list[Any]:
        if initial_state is None:
            return self._stateful_initial(batch) if self.stateful else self.get_initial_state(batch)
        given = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        flat = _flatten(given)
        sizes = self._flat_state_sizes()
        if len(flat) != len(sizes):
            raise ValueError(f'Layer "{self.name}" ({type(self).__name__}) expects {len(sizes)} initial state(s), '
                             f"received {len(flat)}")
        out = []
        for s, size in zip(flat, sizes):
            t = E.cast(_to_tensors(s if isinstance(s, Tensor) else backend.xp().asarray(s), self.dtype), self.dtype)
            if tuple(t._value.shape) != (batch, size):
                raise ValueError(f'Layer "{self.name}": each initial state must have shape (batch, units) = '
                                 f"{(batch, size)}, received {tuple(t._value.shape)}")
            out.append(t)
        return _pack(self.get_initial_state(batch), out)

    # -- building and calling --------------------------------------------------------------------------------
    def _check_shape(self, input_shape: Any) -> tuple[Any, ...]:
        shape = tuple(input_shape)
        if len(shape) < 3:
            raise ValueError(f'Input 0 of layer "{self.name}" ({type(self).__name__}) is incompatible with the '
                             f"layer: expected ndim=3 (batch, timesteps, features), found ndim={len(shape)}. "
                             f"Full shape received: {_fmt(shape)}")
        return shape

    def build(self, input_shape: Any) -> None:
        shape = self._check_shape(input_shape)
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell._maybe_build((shape[0],) + shape[2:])
        if shape[-1] is not None:
            self.input_spec = InputSpec(ndim=len(shape), axes={-1: int(shape[-1])})
        self.built = True

    def _dropout_mask(self, batch: int, width: int, rate: float) -> Tensor:
        return self.cell.dropout_mask(batch, width, rate)

    def call(self, inputs: Any, mask: Any = None, training: Any = None, initial_state: Any = None) -> Any:
        x = inputs
        shape = self._check_shape(x._value.shape)
        batch, steps = shape[0], shape[1]
        states = self._initial_states(initial_state, batch)
        cell = self.cell
        if (mask is None and steps > 0 and isinstance(cell, GateCell) and cell.fusable()
                and not (training and cell.recurrent_dropout > 0)):
            return self._whole_sequence(x, states, training)
        step = self._step_function(x, training)
        step_mask = None
        if mask is not None:
            m = mask if isinstance(mask, Tensor) else _wrap(backend.xp().asarray(mask))
            if tuple(m._value.shape) != (batch, steps):
                raise ValueError(f'Layer "{self.name}": the mask must have shape (batch, timesteps) = '
                                 f"{(batch, steps)}, received {tuple(m._value.shape)}")
            step_mask = E.cast(m, self.dtype)
        outputs: list[Any] = []
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        for t in order:
            out, new = step(t, states)
            if step_mask is not None:  # masked steps carry the previous states (Keras); the output is the carried
                m_t = S.getitem(step_mask, (slice(None), slice(t, t + 1)))  # one, or zeros if asked
                carried = [blend(_to_rank(m_t, n), n, s) for n, s in zip(_flatten(new), _flatten(states))]
                new = _pack(new, carried)
                previous = outputs[-1] if outputs else E.multiply(out, 0.0)
                m_out = _to_rank(m_t, out)
                out = E.multiply(m_out, out) if self.zero_output_for_mask else blend(m_out, out, previous)
            states = new
            outputs.append(out)
        if self.stateful:
            flat = _flatten(states)
            flat = [AssignState(var)(s) for var, s in zip(self._state_variables or [], flat)]
            states = _pack(states, flat)
        output = S.stack(outputs, axis=1) if self.return_sequences else outputs[-1]
        return [output] + _flatten(states) if self.return_state else output

    def _whole_sequence(self, x: Tensor, states: list[Any], training: Any) -> Any:
        """The recurrence as one op (``GateCell.sequence``): no Keras mask and no recurrent dropout."""
        cell = self.cell
        batch, features = x._value.shape[0], x._value.shape[-1]
        in_masks, _ = cell.dropout_masks(batch, features, training, draw=self._dropout_mask)
        if in_masks is not None:  # one mask shared by the gates (no recurrent dropout here)
            x = E.multiply(x, S.expand_dims(in_masks[0], 1))
        if self.go_backwards:  # processing order; a returned sequence stays in it, as in Keras
            x = S.getitem(x, (slice(None), slice(None, None, -1)))
        sequence, states = cell.sequence(x, states, self.return_sequences)
        if self.stateful:
            states = [AssignState(var)(s) for var, s in zip(self._state_variables or [], states)]
        output = sequence if self.return_sequences else states[0]
        return [output] + list(states) if self.return_state else output

    def _step_function(self, x: Tensor, training: Any) -> Any:
        """``step(t, states) -> (output, new_states)`` for this cell on the sequence ``x``."""
        cell = self.cell
        if isinstance(cell, GateCell):  # inputs projected for all steps at once, dropout masks once per sequence
            batch, features = x._value.shape[0], x._value.shape[-1]
            in_masks, rec_masks = cell.dropout_masks(batch, features, training, draw=self._dropout_mask)
            xw = cell.project(x, in_masks)

            def gate_step(t: int, states: list[Any]) -> tuple[Any, list[Any]]:
                new = cell._step(S.getitem(xw, (slice(None), t)), states, rec_masks)
                return new[0], new

            return gate_step
        kwargs = {"training": training} if isinstance(cell, Layer) and cell._call_accepts("training") else {}

        def cell_step(t: int, states: list[Any]) -> tuple[Any, list[Any]]:
            out, new = cell(S.getitem(x, (slice(None), t)), states, **kwargs)
            return out, list(new) if isinstance(new, (list, tuple)) else [new]

        return cell_step

    # -- shapes, masks and config ----------------------------------------------------------------------------
    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The step mask goes on with the sequence output; a last output or a state has none."""
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out = mask if self.return_sequences else None
        return [out] + [None] * len(self._flat_state_sizes()) if self.return_state else out

    def compute_output_shape(self, input_shape: Any) -> Any:
        shape = self._check_shape(input_shape)
        batch, steps = shape[0], shape[1]
        units = getattr(self.cell, "output_size", None)
        if units is None:
            units = self._flat_state_sizes()[0]
        out = (batch, steps, units) if self.return_sequences else (batch, units)
        return [out] + [(batch, s) for s in self._flat_state_sizes()] if self.return_state else out

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object

        config = super().get_config()
        config.update({"return_sequences": self.return_sequences, "return_state": self.return_state,
                       "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                       "zero_output_for_mask": self.zero_output_for_mask})
        config["cell"] = serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> RNN:
        from tensorlet.saving.serialization import deserialize_keras_object

        config = dict(config)
        cell = config.pop("cell")
        cell = [deserialize_keras_object(c, custom_objects=custom_objects) for c in cell] \
            if isinstance(cell, list) else deserialize_keras_object(cell, custom_objects=custom_objects)
        return cls(cell, **config)

    def _keras_weight_children(self) -> list[tuple[str, Any]]:  # Keras 3 files keep the weights in the cell
        return [("cell", self.cell)]


class AssignState(StatefulFunction):
    """y = x (and dx = dy), storing x in a stateful RNN's state variable for the next batch; a traced step
    stores it once per replayed batch (``StatefulFunction``)."""

    def __init__(self, variable: Variable) -> None:
        self.variable = variable

    def forward(self, x: Any) -> Any:
        self.variable.assign(x)
        return x

    def peek(self, x: Any) -> Any:
        return x

    def backward(self, dy: Any) -> Any:
        return dy


def stateful_layers(layer: Layer) -> list[Any]:
    """The layers inside ``layer`` (at any depth) that keep states across batches (``stateful=True``): each has
    ``reset_states()``."""
    out: list[Any] = []
    seen, todo = set(), list(layer._sublayers)
    while todo:
        sub = todo.pop(0)
        if id(sub) in seen:
            continue
        seen.add(id(sub))
        if getattr(sub, "stateful", False) is True and hasattr(sub, "reset_states"):
            out.append(sub)
        todo += sub._sublayers
    return out


def _to_rank(m: Tensor, like: Tensor) -> Tensor:
    """A (batch, 1) step mask with trailing axes of size 1 up to ``like``'s rank (image states of ConvLSTM2D)."""
    while m.ndim < like.ndim:
        m = S.expand_dims(m, -1)
    return m


def _flatten(states: Any) -> list[Any]:
    if isinstance(states, (list, tuple)):
        return [s for v in states for s in _flatten(v)]
    return [states]


def _pack(structure: Any, flat: list[Any]) -> Any:
    """``flat`` (as from ``_flatten``) nested like ``structure``."""
    it = iter(flat)

    def rebuild(s: Any) -> Any:
        if isinstance(s, (list, tuple)):
            return [rebuild(v) for v in s]
        return next(it)

    return rebuild(structure)
