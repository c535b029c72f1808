"""LayerScale: y = x * gamma, a learned per-channel scale (ConvNeXt's residual branches).

Keras 3 defines this layer inside its ConvNeXt module (``keras.src.applications.convnext.LayerScale``); this one
has the same config (``init_values``, ``projection_dim``) and weight, and saves under that module name, so
ConvNeXt ``.keras`` files move both ways.
"""
from __future__ import annotations

from typing import Any

from tensorlet import initializers
from tensorlet.layers.layer import Layer
from tensorlet.ops import elementwise as E


class LayerScale(Layer):
    """Multiply the last axis by a learned vector ``gamma`` of ``projection_dim`` values, initialised to
    ``init_values`` (ConvNeXt uses 1e-6, so a new residual branch starts close to the identity)."""

    _keras_module = "keras.src.applications.convnext"
    _registered_name = "LayerScale"

    def __init__(self, init_values: float, projection_dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(projection_dim, bool) or not isinstance(projection_dim, int) or projection_dim < 1:
            raise ValueError(f"LayerScale: `projection_dim` must be a positive int, got {projection_dim!r}")
        self.init_values, self.projection_dim = float(init_values), projection_dim

    def build(self, input_shape: Any) -> None:
        if input_shape[-1] is not None and input_shape[-1] != self.projection_dim:
            raise ValueError(f'Layer "{self.name}" (LayerScale): the last axis of the inputs must have projection_dim='
                             f"{self.projection_dim} entries, got inputs of shape {tuple(input_shape)}")
        self.gamma = self.add_weight(name="gamma", shape=(self.projection_dim,),
                                     initializer=initializers.Constant(self.init_values))
        self.built = True

    def call(self, inputs: Any) -> Any:
        return E.multiply(inputs, self.gamma)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"init_values": self.init_values, "projection_dim": self.projection_dim})
        return config
