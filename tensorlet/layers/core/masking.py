"""Masking: skip the timesteps whose features all equal ``mask_value``."""
from __future__ import annotations

from typing import Any

from tensorlet.layers.layer import Layer
from tensorlet.layers.masking import set_mask
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S


class Masking(Layer):
    """Mask the steps of a ``(batch, timesteps, features)`` input whose features are all ``mask_value``.

    The output is the input with those steps zeroed, and carries the mask ``any(inputs != mask_value, -1)``,
    so the layers after it (an RNN, a masked pooling, attention, the loss) skip them.

    Args:
        mask_value: the padding value (0.0).

    Example:
        >>> x = np.array([[[1.0], [0.0]]], "float32")
        >>> Masking()(x)._keras_mask.numpy().tolist()
        [[True, False]]
    """

    def __init__(self, mask_value: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return R.reduce_any(E.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs: Any) -> Any:
        keep = R.reduce_any(E.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        outputs = E.multiply(inputs, E.cast(keep, inputs.dtype))
        set_mask(outputs, S.squeeze(keep, -1))
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
