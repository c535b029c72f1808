"""GateCell: the weights and one-step maths shared by SimpleRNNCell, LSTMCell and GRUCell.

A subclass sets ``_gates`` (blocks of ``units`` columns in ``kernel``) and ``_n_states``, and implements
``_step(x_t, states, rec_masks) -> states`` on one time step, where ``x_t = inputs_t @ kernel (+ input bias)``
(``project``) can be computed for all steps of a sequence at once, and ``states[0]`` is the output ``h``.
Every value goes through differentiable ops, so gradients come from autodiff and a training step traces into a
replayable plan.
"""
from __future__ import annotations

from typing import Any

from tensorlet import activations, backend, constraints, initializers, regularizers
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.layers.layer import Layer, _fmt
from tensorlet.layers.regularization.dropout import DropoutMask
from tensorlet.ops import elementwise as E
from tensorlet.ops import linalg
from tensorlet.ops import nn as nn_ops
from tensorlet.ops import shape as S

Masks = list[Tensor] | None  # dropout masks: None, one shared mask, or one per gate

CELL_ARGS = ("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
             "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
             "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed")


class GateCell(Layer):
    """Base of the built-in recurrent cells.

    Args:
        units: dimension of the output and of each state.
        activation: activation of the output/candidate ("tanh").
        use_bias: whether the cell uses bias vectors.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers of the three weights.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the input features dropped in training (one mask per sequence, fixed over time).
        recurrent_dropout: fraction of the recurrent state dropped in training (one mask per sequence); when it is
            set, each gate gets its own input and state masks, as in Keras.
        seed: an int for reproducible dropout masks.

    Call: ``cell(inputs (batch, features), states) -> (output, new_states)``, one step (as in Keras, for use in
    ``RNN(cell)``; a cell called on its own draws its dropout masks at each call).
    """

    _gates = 1
    _n_states = 1

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed: int | None = None, **kwargs: Any) -> None:
        kwargs.pop("implementation", None)  # Keras 2's kernel choice: one implementation here
        super().__init__(**kwargs)
        name = type(self).__name__
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise ValueError(f'Layer "{self.name}" ({name}): received an invalid value for `units`, expected a '
                             f"positive integer. Received: units={units!r}")
        for arg, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= float(rate) < 1.0:
                raise ValueError(f'Layer "{self.name}" ({name}): `{arg}` must be in [0, 1). Received: {arg}={rate!r}')
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
        self._rng = None if seed is None else backend.xp().random.default_rng(seed)

    @property
    def state_size(self) -> Any:
        return self.units if self._n_states == 1 else [self.units] * self._n_states

    @property
    def output_size(self) -> int:
        return self.units

    # -- weights -------------------------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        features = tuple(input_shape)[-1]
        if features is None:
            raise ValueError(f'Layer "{self.name}": the last dimension (features) of the inputs must be defined; '
                             f"received input_shape={_fmt(tuple(input_shape))}")
        n = self._gates * self.units
        self.kernel = self.add_weight(name="kernel", shape=(features, n), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(self.units, n), initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        self.bias = (self.add_weight(name="bias", shape=self._bias_shape(), initializer=self._bias_init(),
                                     regularizer=self.bias_regularizer, constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.built = True

    def _bias_shape(self) -> tuple[int, ...]:
        return (self._gates * self.units,)

    def _bias_init(self) -> Any:
        return self.bias_initializer

    def _input_bias(self) -> Any:
        return self.bias

    # -- one step ------------------------------------------------------------------------------------------
    def _step(self, x_t: Tensor, states: list[Tensor], rec_masks: Masks) -> list[Tensor]:
        raise NotImplementedError(f"{type(self).__name__} must implement _step")

    def fusable(self) -> bool:
        """Whether ``sequence`` can run this cell's whole recurrence as one op (``ops/recurrent.py``)."""
        return False

    def sequence(self, x: Tensor, states: list[Tensor],
                 return_sequences: bool) -> tuple[Tensor | None, list[Tensor]]:
        """The recurrence over all of ``x`` (inputs (batch, time, features) in processing order, dropout
        applied) as one op: the outputs (None without ``return_sequences``) and the final states. Only where
        ``fusable()``."""
        raise NotImplementedError(f"{type(self).__name__} has no whole-sequence op; check fusable() first")

    def project(self, x: Tensor, masks: Masks) -> Tensor:
        """x @ kernel (+ input bias), for one step (batch, features) or all steps (batch, time, features) at once;
        with one dropout mask per gate, gate by gate."""
        def dropped(m: Tensor) -> Tensor:
            return E.multiply(x, S.expand_dims(m, 1) if x.ndim == 3 else m)

        if masks is None or len(masks) == 1:
            return nn_ops.dense(x if masks is None else dropped(masks[0]), self.kernel, self._input_bias(), None)
        u = self.units
        xw = S.concat([nn_ops.dense(dropped(m), gate(self.kernel, g, u), None, None) for g, m in enumerate(masks)],
                      axis=-1)
        bias = self._input_bias()
        return xw if bias is None else E.add(xw, bias)

    def _recurrent(self, h: Tensor, rec_masks: Masks) -> Tensor:
        """h @ recurrent_kernel, with the recurrent dropout mask(s) applied to h first (one per gate, or shared)."""
        if rec_masks is None or len(rec_masks) == 1:
            hm = h if rec_masks is None else E.multiply(h, rec_masks[0])
            return linalg.matmul(hm, self.recurrent_kernel)
        return S.concat([linalg.matmul(E.multiply(h, m), gate(self.recurrent_kernel, g, self.units))
                         for g, m in enumerate(rec_masks)], axis=-1)

    def dropout_masks(self, batch: int, features: int, training: Any, draw: Any = None) -> tuple[Masks, Masks]:
        """The input and recurrent dropout masks of one sequence (None when not training or no dropout). Keras:
        one mask per sequence; with recurrent dropout, one mask per gate for the inputs and for the state.
        ``draw(batch, width, rate)`` draws one mask (default: ``dropout_mask``)."""
        draw = draw or self.dropout_mask
        n = self._gates if training and self.recurrent_dropout > 0 else 1
        in_masks = [draw(batch, features, self.dropout) for _ in range(n)] if training and self.dropout > 0 else None
        rec_masks = ([draw(batch, self.units, self.recurrent_dropout) for _ in range(n)]
                     if training and self.recurrent_dropout > 0 else None)
        return in_masks, rec_masks

    def dropout_mask(self, batch: int, width: int, rate: float) -> Tensor:
        # one Bernoulli mask, drawn by an op, so that a replayed training step draws a new one
        return DropoutMask(rate, self._rng)(_wrap(backend.xp().ones((batch, width), dtype=self.dtype)))

    def get_initial_state(self, batch_size: int) -> list[Tensor]:
        xp = backend.xp()
        return [_wrap(xp.zeros((batch_size, self.units), dtype=self.dtype)) for _ in range(self._n_states)]

    def call(self, inputs: Any, states: Any, training: Any = None) -> tuple[Tensor, list[Tensor]]:
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        batch, features = inputs._value.shape[0], inputs._value.shape[-1]
        in_masks, rec_masks = self.dropout_masks(batch, features, training)
        new = self._step(self.project(inputs, in_masks), states, rec_masks)
        return new[0], new

    def compute_output_shape(self, input_shape: Any) -> Any:
        return (tuple(input_shape)[0], self.units)

    # -- config --------------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({
            "units": self.units, "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": ser(self.kernel_initializer),
            "recurrent_initializer": ser(self.recurrent_initializer),
            "bias_initializer": ser(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer),
            "recurrent_regularizer": ser(self.recurrent_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "kernel_constraint": ser(self.kernel_constraint),
            "recurrent_constraint": ser(self.recurrent_constraint),
            "bias_constraint": ser(self.bias_constraint),
            "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
        })
        if self.seed is not None:  # Keras 3 only: Keras 2 (tf_keras) rejects a `seed` key in legacy .h5 configs
            config["seed"] = self.seed
        return config


def gate(z: Tensor, k: int, units: int) -> Tensor:
    """Columns ``[k * units, (k + 1) * units)`` of a (batch, gates * units) tensor: gate block k."""
    return S.getitem(z, (slice(None), slice(k * units, (k + 1) * units)))


def blend(w: Any, a: Any, b: Any) -> Tensor:
    """w * a + (1 - w) * b, written as b + w * (a - b)."""
    return E.add(b, E.multiply(w, E.subtract(a, b)))
