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
        self._fn_takes_training = "training" in inspect.signature(function).parameters

    def call(self, inputs: Any, training: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

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
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], safe_mode: bool = True) -> Lambda:
        from tensorlet.saving.lambda_code import deserialize_function

        config = dict(config)
        config["function"] = deserialize_function(config["function"], safe_mode=safe_mode)
        return cls(**config)
