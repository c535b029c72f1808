"""``keras.Variable`` (Keras 3): a variable built from a value or from an initializer and a shape.

It is a ``tf.Variable`` (tapes watch it, optimizers update it, checkpoints save it) with Keras 3's constructor and
attributes: ``name`` without TensorFlow's ``:0`` suffix, ``path``, and ``value`` as a property giving the current
value (a ``tf.Variable``'s ``value()`` is a method).
"""
from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, Variable, _to_array

_default_names = itertools.count()


def _default_name() -> str:
    """``variable``, ``variable_1``, ``variable_2``...: unnamed variables are numbered (given names are kept)."""
    k = next(_default_names)
    return "variable" if k == 0 else f"variable_{k}"


class KerasVariable(Variable):
    """``keras.Variable(initializer, shape=None, dtype=None, trainable=True, name=None)``.

    Args:
        initializer: a value (array, list, number, tensor), or an initializer (a name such as ``"glorot_uniform"``,
            an initializer object, or a callable ``f(shape, dtype)``), which then needs ``shape``.
        shape: the shape, for an initializer.
        dtype: the dtype (the value's own, or ``floatx()`` for an initializer, by default).
        trainable: whether gradients update it.
        name: its name (``"variable"``, ``"variable_1"``... by default).

    Raises:
        ValueError: for an initializer without ``shape``.

    Example:
        >>> import tensorlet.keras as keras
        >>> v = keras.Variable("zeros", shape=(2,), name="bias")
        >>> v.assign([1.0, 2.0]).value
        <tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>
    """

    __slots__ = ()

    def __init__(self, initializer: Any, shape: Any = None, dtype: Any = None, trainable: bool = True,
                 autocast: bool = True, aggregation: str = "none", synchronization: str = "auto",
                 name: str | None = None, **kwargs: Any) -> None:
        from tensorlet.config import floatx
        from tensorlet.keras_ops.convert import convert_to_tensor, standardize_dtype

        if isinstance(initializer, str) or (callable(initializer) and not isinstance(initializer, Tensor)):
            if shape is None:
                raise ValueError("When creating a Variable from an initializer, the `shape` argument should be "
                                 f"specified. Received: initializer={initializer!r} and shape=None")
            from tensorlet import initializers

            init = initializers.get(initializer) if isinstance(initializer, str) else initializer
            value = init(tuple(int(d) for d in shape), dtype=standardize_dtype(dtype or floatx()))
        else:
            value = convert_to_tensor(initializer, dtype)
            if shape is not None and tuple(value.shape) != tuple(int(d) for d in shape):
                raise ValueError(f"keras.Variable: initial value of shape {tuple(value.shape)} does not match shape "
                                 f"{tuple(shape)}")
        arr = _to_array(getattr(value, "_value", value), None if dtype is None else standardize_dtype(dtype))
        super().__init__(arr, trainable=trainable, name=name or _default_name())

    @property
    def name(self) -> str:  # type: ignore[override]
        """The variable's name (Keras 3's: no ``:0``)."""
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def value(self) -> Tensor:  # type: ignore[override]
        """The current value, as a tensor."""
        return self.read_value()

    def assign(self, value: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        super().assign(value)
        return self

    def __repr__(self) -> str:
        return (f"<Variable path={self.path}, shape={tuple(self.shape)}, dtype={self.dtype.name}, "
                f"value={np.asarray(self._value)}>")

    __str__ = __repr__
