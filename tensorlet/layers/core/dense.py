"""Dense: y = activation(x @ kernel + bias)."""
from __future__ import annotations

from typing import Any

from tensorlet import activations, constraints, initializers, regularizers
from tensorlet.autodiff.tensor import Tensor
from tensorlet.layers.layer import InputSpec, Layer
from tensorlet.ops import nn as nn_ops


class Dense(Layer):
    """A densely connected layer.

    Args:
        units: output dimension.
        activation: an activation name or callable (None: linear).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in Keras.

    Example:
        >>> layer = Dense(10)
        >>> layer(np.zeros((2, 784), "float32")).shape
        TensorShape([2, 10])
    """

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, lora_rank: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. Received: "
                             f"units={units!r}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        # relu and tanh run inside the Dense op; a sigmoid stays a separate op, whose output remembers its logits
        # for a following crossentropy (traced plans fuse it when nothing else reads the logits: ops.fusion)
        fused = getattr(self.activation, "fused_name", False)
        self._fused: str | None | bool = fused if fused in (None, "relu", "tanh") else False

    def build(self, input_shape: Any) -> None:
        last = input_shape[-1]
        if last is None:
            raise ValueError(f'Layer "{self.name}": the last dimension of the inputs to Dense must be defined; '
                             f"received input_shape={tuple(input_shape)}")
        self.kernel = self.add_weight(name="kernel", shape=(last, self.units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = (self.add_weight(name="bias", shape=(self.units,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer, constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: int(last)})
        self.built = True

    def call(self, inputs: Tensor) -> Tensor:
        if self._fused is None or isinstance(self._fused, str):
            return nn_ops.dense(inputs, self.kernel, self.bias, self._fused)
        return self.activation(nn_ops.dense(inputs, self.kernel, self.bias, None))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object as ser

        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": ser(self.kernel_initializer),
            "bias_initializer": ser(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "kernel_constraint": ser(self.kernel_constraint),
            "bias_constraint": ser(self.bias_constraint),
        })
        return config
