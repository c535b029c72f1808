"""RNNBase: the arguments, weights, time loop, dropout masks, masking and config shared by the recurrent layers.

A subclass sets ``_gates`` (blocks of ``units`` columns in ``kernel``) and ``_n_states``, and implements
``_step(x_t, states, rec_masks) -> states`` on one time step, where ``x_t = inputs_t @ kernel (+ input bias)`` is
precomputed for all steps at once and ``states[0]`` is the output ``h``. Every value goes through differentiable
ops, so gradients come from autodiff and a training step traces into a replayable plan.
"""
from __future__ import annotations

import numbers
from typing import Any

from tensorlet import activations, backend, constraints, initializers, regularizers
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.layer import InputSpec, Layer, _fmt
from tensorlet.layers.node import KerasTensor
from tensorlet.layers.regularization.dropout import DropoutMask
from tensorlet.ops import elementwise as E
from tensorlet.ops import linalg
from tensorlet.ops import nn as nn_ops
from tensorlet.ops import shape as S
from tensorlet.random import host_rng

Masks = list[Tensor] | None  # dropout masks: None, one shared mask, or one per gate


class RNNBase(Layer):
    """Common base of SimpleRNN, LSTM and GRU (Keras' ``RNN`` wrapper and cell, fused into one layer).

    Args:
        units: dimension of the output and of each state.
        activation: activation of the output/candidate ("tanh").
        use_bias: whether the layer uses bias vectors.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers of the three weights.
        kernel_regularizer, recurrent_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the input features dropped in training (one mask per sequence, fixed over time).
        recurrent_dropout: fraction of the recurrent state dropped in training (one mask per sequence); when it is
            set, each gate gets its own input and state masks, as in Keras.
        seed: an int for reproducible dropout masks.
        return_sequences: return the whole output sequence ``(batch, timesteps, units)`` instead of the last output.
        return_state: also return the final state(s): ``[output, *states]``.
        go_backwards: process the sequence in reverse (a returned sequence is in the reversed order, as in Keras).
        stateful: only False is supported (pass ``initial_state`` instead).
        unroll: accepted for compatibility; the time loop is always unrolled in Python.
        zero_output_for_mask: with a mask and ``return_sequences``, output zeros (not the carried output) at masked
            steps.
    """

    _gates = 1
    _n_states = 1
    _keras_weights_subgroup = "cell"  # Keras 3 files keep an RNN's weights in its cell: layers/<name>/cell/vars

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, zero_output_for_mask: bool = False, input_length: Any = None,
                 **kwargs: Any) -> None:
        name = type(self).__name__
        if kwargs.pop("time_major", False):
            raise ValueError(f"{name}: time_major=True is not supported; pass inputs as (batch, timesteps, features)")
        kwargs.pop("implementation", None)  # Keras 2's kernel choice: one implementation here
        input_dim = kwargs.pop("input_dim", None)
        if input_dim is not None and kwargs.get("input_shape") is None and kwargs.get("batch_input_shape") is None:
            kwargs["input_shape"] = (input_length, input_dim)
        elif input_length is not None and kwargs.get("input_shape") is None:
            raise ValueError(f"{name}: input_length={input_length} needs input_dim as well (or pass input_shape)")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(units, bool) or not isinstance(units, (int, numbers.Integral)) or units <= 0:
            raise ValueError(f'Layer "{self.name}" ({name}): received an invalid value for `units`, expected a '
                             f"positive integer. Received: units={units!r}")
        for arg, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= float(rate) < 1.0:
                raise ValueError(f'Layer "{self.name}" ({name}): `{arg}` must be in [0, 1). Received: {arg}={rate!r}')
        if stateful:
            raise ValueError(f'Layer "{self.name}" ({name}): stateful=True is not supported in tensorlet; pass the '
                             "previous final state as `initial_state` instead")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout, self.recurrent_dropout = float(dropout), float(recurrent_dropout)
        self.seed = seed
        self._rng = None if seed is None else host_rng(seed)
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful, self.unroll = bool(go_backwards), False, bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.input_spec = InputSpec(ndim=3)

    # -- weights -------------------------------------------------------------------------------------------
    def _check_shape(self, input_shape: Any) -> tuple[Any, ...]:
        shape = tuple(input_shape)
        if len(shape) != 3:
            raise ValueError(f'Input 0 of layer "{self.name}" ({type(self).__name__}) is incompatible with the '
                             f"layer: expected ndim=3 (batch, timesteps, features), found ndim={len(shape)}. "
                             f"Full shape received: {_fmt(shape)}")
        return shape

    def build(self, input_shape: Any) -> None:
        shape = self._check_shape(input_shape)
        features = shape[-1]
        if features is None:
            raise ValueError(f'Layer "{self.name}": the last dimension (features) of the inputs must be defined; '
                             f"received input_shape={_fmt(shape)}")
        n = self._gates * self.units
        self.kernel = self.add_weight(name="kernel", shape=(features, n), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(self.units, n), initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        self.bias = (self.add_weight(name="bias", shape=self._bias_shape(), initializer=self._bias_init(),
                                     regularizer=self.bias_regularizer, constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.input_spec = InputSpec(ndim=3, axes={-1: int(features)})
        self.built = True

    def _bias_shape(self) -> tuple[int, ...]:
        return (self._gates * self.units,)

    def _bias_init(self) -> Any:
        return self.bias_initializer

    def _input_bias(self) -> Any:
        return self.bias

    # -- the time loop -------------------------------------------------------------------------------------
    def _step(self, x_t: Tensor, states: list[Tensor], rec_masks: Masks) -> list[Tensor]:
        raise NotImplementedError

    def _sequence(self, xw: Tensor, states: list[Tensor]) -> tuple[Tensor | None, list[Tensor]] | None:
        """The whole recurrence over ``xw`` as one op, where the layer has one (``go_backwards`` honoured): the
        outputs (None is allowed without ``return_sequences``) and the final states; else None for the
        step-by-step loop."""
        return None

    def _time_ordered(self, xw: Tensor) -> Tensor:
        """``xw`` in processing order: reversed in time with ``go_backwards``."""
        return S.getitem(xw, (slice(None), slice(None, None, -1))) if self.go_backwards else xw

    def _project_inputs(self, x: Tensor, masks: Masks) -> Tensor:
        """x @ kernel (+ input bias) for every step at once; with one dropout mask per gate, gate by gate."""
        if masks is None or len(masks) == 1:
            x = x if masks is None else E.multiply(x, S.expand_dims(masks[0], 1))
            return nn_ops.dense(x, self.kernel, self._input_bias(), None)
        u = self.units
        xw = S.concat([nn_ops.dense(E.multiply(x, S.expand_dims(m, 1)), gate(self.kernel, g, u), None, None)
                       for g, m in enumerate(masks)], axis=-1)
        bias = self._input_bias()
        return xw if bias is None else E.add(xw, bias)

    def _recurrent(self, h: Tensor, rec_masks: Masks) -> Tensor:
        """h @ recurrent_kernel, with the recurrent dropout mask(s) applied to h first (one per gate, or shared)."""
        if rec_masks is None or len(rec_masks) == 1:
            hm = h if rec_masks is None else E.multiply(h, rec_masks[0])
            return linalg.matmul(hm, self.recurrent_kernel)
        return S.concat([linalg.matmul(E.multiply(h, m), gate(self.recurrent_kernel, g, self.units))
                         for g, m in enumerate(rec_masks)], axis=-1)

    def _dropout_mask(self, batch: int, width: int, rate: float) -> Tensor:
        # one Bernoulli mask per sequence, drawn by an op, so that a replayed training step draws a new one
        return DropoutMask(rate, self._rng)(_wrap(backend.xp().ones((batch, width), dtype=self.dtype)))

    def _initial_states(self, initial_state: Any, batch: int) -> list[Tensor]:
        if initial_state is None:
            return [_wrap(backend.xp().zeros((batch, self.units), dtype=self.dtype)) for _ in range(self._n_states)]
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        if len(states) != self._n_states:
            raise ValueError(f'Layer "{self.name}" ({type(self).__name__}) expects {self._n_states} initial '
                             f"state(s), received {len(states)}")
        from tensorlet.layers.nest import _to_tensors

        out = []
        for s in states:
            if isinstance(s, KerasTensor):
                raise ValueError(f'Layer "{self.name}": a symbolic `initial_state` is not supported; call the layer '
                                 "eagerly with arrays or tensors")
            t = E.cast(_to_tensors(backend.asarray(s) if not isinstance(s, Tensor) else s, self.dtype), self.dtype)
            if tuple(t._value.shape) != (batch, self.units):
                raise ValueError(f'Layer "{self.name}": each initial state must have shape (batch, units) = '
                                 f"{(batch, self.units)}, received {tuple(t._value.shape)}")
            out.append(t)
        return out

    def call(self, inputs: Any, mask: Any = None, training: Any = None, initial_state: Any = None) -> Any:
        x = inputs
        batch, steps, features = self._check_shape(x._value.shape)
        # Keras: one mask per sequence; with recurrent dropout, one mask per gate for the inputs and for the state
        n_masks = self._gates if training and self.recurrent_dropout > 0 else 1
        in_masks = ([self._dropout_mask(batch, features, self.dropout) for _ in range(n_masks)]
                    if training and self.dropout > 0 else None)
        rec_masks = ([self._dropout_mask(batch, self.units, self.recurrent_dropout) for _ in range(n_masks)]
                     if training and self.recurrent_dropout > 0 else None)
        xw = self._project_inputs(x, in_masks)
        states = self._initial_states(initial_state, batch)
        step_mask = None
        if mask is not None:
            m = mask if isinstance(mask, Tensor) else _wrap(backend.asarray(mask))
            if tuple(m._value.shape) != (batch, steps):
                raise ValueError(f'Layer "{self.name}": the mask must have shape (batch, timesteps) = '
                                 f"{(batch, steps)}, received {tuple(m._value.shape)}")
            step_mask = E.cast(m, self.dtype)
        fused = self._sequence(xw, states) if step_mask is None and rec_masks is None and steps > 0 else None
        if fused is not None:  # the whole recurrence in one op: (outputs in processing order, final states)
            sequence, states = fused
            output = sequence if self.return_sequences else states[0]
            return [output] + list(states) if self.return_state else output
        outputs = []
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        for t in order:
            new = self._step(S.getitem(xw, (slice(None), t)), states, rec_masks)
            if step_mask is None:
                states, out = new, new[0]
            else:  # masked steps carry the previous states (Keras); the output is h, or zeros if asked
                m_t = S.getitem(step_mask, (slice(None), slice(t, t + 1)))
                states = [blend(m_t, n, s) for n, s in zip(new, states)]
                out = E.multiply(m_t, new[0]) if self.zero_output_for_mask else states[0]
            outputs.append(out)
        output = S.stack(outputs, axis=1) if self.return_sequences else outputs[-1]
        return [output] + list(states) if self.return_state else output

    def _call_symbolic(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        states = kwargs.get("initial_state")
        if any(isinstance(s, KerasTensor) for s in (states if isinstance(states, (list, tuple)) else [states])):
            raise ValueError(f'Layer "{self.name}": a symbolic `initial_state` is not supported (a Functional '
                             "model does not feed call arguments); call the layer eagerly with arrays or tensors")
        source = _mask_source(inputs)
        if source is not None and kwargs.get("mask") is None:
            # tensorlet layers do not propagate Keras masks, so the padding would be read as data
            raise ValueError(f'Layer "{self.name}" ({type(self).__name__}) would receive the mask of layer '
                             f'"{source.name}" (mask_zero=True), but tensorlet does not propagate masks between '
                             "layers. Use mask_zero=False, or call the recurrent layer with an explicit "
                             "`mask=` of shape (batch, timesteps)")
        return super()._call_symbolic(inputs, *args, **kwargs)

    # -- shapes and config ---------------------------------------------------------------------------------
    def compute_output_shape(self, input_shape: Any) -> Any:
        batch, steps, _ = self._check_shape(input_shape)
        out = (batch, steps, self.units) if self.return_sequences else (batch, self.units)
        return [out] + [(batch, self.units)] * self._n_states if self.return_state else out

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences, "return_state": self.return_state,
            "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "units": self.units, "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": ser(self.kernel_initializer),
            "recurrent_initializer": ser(self.recurrent_initializer),
            "bias_initializer": ser(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer),
            "recurrent_regularizer": ser(self.recurrent_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "kernel_constraint": ser(self.kernel_constraint),
            "recurrent_constraint": ser(self.recurrent_constraint),
            "bias_constraint": ser(self.bias_constraint),
            "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
        })
        if self.seed is not None:  # Keras 3 only: Keras 2 (tf_keras) rejects a `seed` key in legacy .h5 configs
            config["seed"] = self.seed
        return config


def _mask_source(x: Any) -> Any:
    """The layer with ``mask_zero=True`` whose Keras mask would reach ``x`` (through single-input layers)."""
    while isinstance(x, KerasTensor) and x._keras_history is not None:
        layer = x._keras_history[0]
        if getattr(layer, "mask_zero", False):
            return layer
        node = x.node
        if isinstance(layer, RNNBase) or node is None or len(node.input_tensors) != 1:
            return None
        x = node.input_tensors[0]
    return None


def blend(w: Any, a: Any, b: Any) -> Tensor:
    """w * a + (1 - w) * b, written as b + w * (a - b)."""
    return E.add(b, E.multiply(w, E.subtract(a, b)))


def gate(z: Tensor, k: int, units: int) -> Tensor:
    """Columns ``[k * units, (k + 1) * units)`` of a (batch, gates * units) tensor: gate block k."""
    return S.getitem(z, (slice(None), slice(k * units, (k + 1) * units)))
