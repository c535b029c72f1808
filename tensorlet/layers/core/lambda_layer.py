"""Lambda: wrap an arbitrary expression as a layer.

Its Python function cannot be saved safely: a saved Lambda stores the function's bytecode, and
``load_model(..., safe_mode=True)`` (the default) refuses to load it.
"""
from __future__ import annotations

import inspect
from typing import Any

from tensorlet.layers.layer import Layer


class Lambda(Layer):
    """Apply ``function(inputs, **arguments)``; not safely serializable (see the module docstring)."""

    def __init__(self, function: Any, output_shape: Any = None, mask: Any = None, arguments: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda needs a callable, got {type(function).__name__}")
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self.mask = mask  # None, a callable like compute_mask, or the output mask itself
        self.supports_masking = mask is not None
        params = inspect.signature(function).parameters
        self._fn_takes_training = "training" in params
        self._fn_takes_mask = "mask" in params

    def call(self, inputs: Any, mask: Any = None, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_takes_training:
            kwargs["training"] = training
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        return (input_shape[0],) + tuple(self._output_shape)

    def get_config(self) -> dict[str, Any]:
        from tensorlet.saving.lambda_code import serialize_function

        config = super().get_config()
        config.update({"function": serialize_function(self.function), "arguments": self.arguments,
                       "output_shape": self._output_shape if not callable(self._output_shape) else None})
        if callable(self.mask):
            config["mask"] = serialize_function(self.mask)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], safe_mode: bool = True) -> Lambda:
        from tensorlet.saving.lambda_code import deserialize_function

        config = dict(config)
        config["function"] = deserialize_function(config["function"], safe_mode=safe_mode)
        if isinstance(config.get("mask"), (dict, str)):
            config["mask"] = deserialize_function(config["mask"], safe_mode=safe_mode)
        return cls(**config)
