"""Activation: applies an activation function."""
from __future__ import annotations

from typing import Any

from tensorlet import activations
from tensorlet.layers.layer import Layer


class Activation(Layer):
    """Apply ``activation`` (a Keras name such as 'relu' or 'softmax', or a callable) elementwise."""

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs: Any) -> Any:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
