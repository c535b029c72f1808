"""TimeDistributed: apply one layer to every timestep of a sequence."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.ops import shape as S


class TimeDistributed(Layer):
    """Apply ``layer`` to each step of a ``(batch, timesteps, ...)`` input with the same weights.

    The steps are folded into the batch, ``layer`` runs once on ``(batch * timesteps, ...)``, and the result is
    unfolded (tf.keras 2's way; a layer that mixes samples, such as BatchNormalization in training, then sees
    every step of every sample at once). A mask ``(batch, timesteps)`` is passed on to the output.

    Example:
        >>> from tensorlet.keras.layers import Dense, TimeDistributed
        >>> td = TimeDistributed(Dense(4))
        >>> td(np.zeros((2, 5, 3), "float32")).shape
        TensorShape([2, 5, 4])
    """

    def __init__(self, layer: Any, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed: `layer` must be a Layer instance. Received: layer={layer!r}")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _keras_weight_children(self) -> list[tuple[str, Any]]:  # the layout of Keras 3 weight files
        return [("layer", self.layer)]

    def _inner_shape(self, input_shape: Any) -> tuple[Any, ...]:
        shape = tuple(input_shape)
        if len(shape) < 3:
            raise ValueError(f'Layer "{self.name}" (TimeDistributed): the input must be at least 3-D (batch, '
                             f"timesteps, ...). Received: input_shape={shape}")
        return (None,) + shape[2:]

    def build(self, input_shape: Any) -> None:
        self.layer._maybe_build(self._inner_shape(input_shape))
        self.built = True

    def call(self, inputs: Any, training: Any = None, mask: Any = None) -> Any:
        shape = tuple(inputs._value.shape)
        batch, steps = shape[0], shape[1]
        kwargs: dict[str, Any] = {}
        if training is not None and self.layer._call_accepts("training"):
            kwargs["training"] = training
        if mask is not None and self.layer._call_accepts("mask"):
            kwargs["mask"] = S.reshape(mask, (batch * steps,) + tuple(mask._value.shape[2:]))
        y = self.layer(S.reshape(inputs, (batch * steps,) + shape[2:]), **kwargs)
        return S.reshape(y, (batch, steps) + tuple(y._value.shape[1:]))

    def compute_output_shape(self, input_shape: Any) -> Any:
        inner = tuple(self.layer.compute_output_shape(self._inner_shape(input_shape)))
        return (input_shape[0], input_shape[1]) + inner[1:]

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.serialization import serialize_keras_object

        config = super().get_config()
        config["layer"] = serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> TimeDistributed:
        from tensorlet.saving.serialization import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
