"""The helpers Keras 3 gives optimizer subclasses written with ops (``build`` + ``update_step``)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Variable


class Keras3SubclassAPI:
    """``add_variable``, ``add_variable_from_reference``, ``assign*`` and ``_get_variable_index``.

    Example:
        >>> import tensorlet as tf
        >>> from tensorlet.optimizers import Optimizer
        >>> class SignSGD(Optimizer):
        ...     def update_step(self, gradient, variable, learning_rate):
        ...         self.assign_sub(variable, tf.sign(gradient) * learning_rate)
        >>> w = tf.Variable([1.0])
        >>> _ = SignSGD(learning_rate=0.5).apply_gradients([(tf.constant([3.0]), w)])
        >>> w.numpy()
        array([0.5], dtype=float32)
    """

    _extra_variables: list[Variable]
    _store: Any

    def add_variable(self, shape: Any, initializer: Any = "zeros", dtype: Any = None,
                     aggregation: str = "mean", name: str | None = None) -> Variable:
        from tensorlet import initializers

        value = initializers.get(initializer)(tuple(shape), dtype=dtype or "float32")
        var = Variable(value, trainable=False, name=name or "variable", dtype=dtype)
        self._extra_variables.append(var)
        return var

    def add_variable_from_reference(self, reference_variable: Any, name: str | None = None,
                                    initializer: Any = "zeros") -> Variable:
        prefix = str(getattr(reference_variable, "path", None) or reference_variable.name).replace("/", "_")
        return self.add_variable(reference_variable.shape, initializer, reference_variable._value.dtype,
                                 name=f"{prefix}_{name or 'var'}")

    def _get_variable_index(self, variable: Any) -> int:
        assert self._store is not None
        return self._store.index[id(variable)]

    def assign(self, variable: Any, value: Any) -> None:
        variable.assign(value)

    def assign_add(self, variable: Any, value: Any) -> None:
        variable.assign_add(value)

    def assign_sub(self, variable: Any, value: Any) -> None:
        variable.assign_sub(value)
