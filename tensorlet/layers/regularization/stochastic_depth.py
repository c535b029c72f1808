"""StochasticDepth (drop path): during training, drop a residual branch for whole samples at a time.

Keras 3 defines this layer inside its ConvNeXt module (``keras.src.applications.convnext.StochasticDepth``); this
one has the same config (``drop_path_rate``) and saves under that module name, so ConvNeXt ``.keras`` files move
both ways.
"""
from __future__ import annotations

from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.layers.regularization.dropout import DropoutMask


class StochasticDepth(Layer):
    """y = x * keep / (1 - drop_path_rate) with one Bernoulli ``keep`` per sample (all other axes share it);
    the identity at inference.

    Args:
        drop_path_rate: the probability of dropping a sample's branch, in [0, 1).
        seed: an int for a reproducible sequence of masks.
    """

    _keras_module = "keras.src.applications.convnext"
    _registered_name = "StochasticDepth"

    def __init__(self, drop_path_rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not 0 <= float(drop_path_rate) < 1:
            raise ValueError(f"StochasticDepth: `drop_path_rate` must be in [0, 1), got {drop_path_rate!r}")
        self.drop_path_rate = float(drop_path_rate)
        self.seed = seed
        from tensorlet import backend

        self._rng = None if seed is None else backend.xp().random.default_rng(seed)

    def call(self, inputs: Any, training: Any = None) -> Any:
        if not training or self.drop_path_rate == 0:
            return inputs
        noise_shape = (None,) + (1,) * (inputs.ndim - 1)  # one draw per sample
        return DropoutMask(self.drop_path_rate, self._rng, noise_shape)(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["drop_path_rate"] = self.drop_path_rate
        if self.seed is not None:
            config["seed"] = self.seed
        return config
