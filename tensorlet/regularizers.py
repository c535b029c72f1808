"""Weight regularizers: penalties added to the loss (Keras' coefficients, default 0.01)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops.convert import as_tensor
from tensorlet.saving.registry import register_builtins
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object


class Regularizer:
    """Base class: ``__call__(weights)`` returns a scalar penalty Tensor (differentiable)."""

    def __call__(self, x: Any) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Regularizer:
        return cls(**config)


class L1L2(Regularizer):
    """penalty = l1 * sum(|w|) + l2 * sum(w^2)."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1, self.l2 = float(l1 or 0.0), float(l2 or 0.0)

    def __call__(self, x: Any) -> Tensor:
        w = as_tensor(x)
        total = None
        if self.l1:
            total = E.multiply(R.reduce_sum(E.abs(w)), self.l1)
        if self.l2:
            term = E.multiply(R.reduce_sum(E.square(w)), self.l2)
            total = term if total is None else E.add(total, term)
        if total is None:
            total = E.multiply(R.reduce_sum(w), 0.0)
        return total

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """penalty = l1 * sum(|w|)."""

    def __init__(self, l1: float = 0.01) -> None:
        super().__init__(l1=l1)

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1}


class L2(L1L2):
    """penalty = l2 * sum(w^2)."""

    def __init__(self, l2: float = 0.01) -> None:
        super().__init__(l2=l2)

    def get_config(self) -> dict[str, Any]:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """penalty = factor * mean of |off-diagonal of (normalized w)^T (normalized w)| (mode='rows' or 'columns')."""

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        if mode not in ("rows", "columns"):
            raise ValueError(f"mode must be 'rows' or 'columns', got {mode!r}")
        self.factor, self.mode = float(factor), mode

    def __call__(self, x: Any) -> Tensor:
        from tensorlet.ops.creation import eye
        from tensorlet.ops.linalg import matmul
        from tensorlet.ops.shape import transpose

        w = as_tensor(x)
        if self.mode == "columns":
            w = transpose(w)
        n = E.sqrt(E.maximum(R.reduce_sum(E.square(w), axis=-1, keepdims=True), 1e-12))
        w = E.divide(w, n)
        prod = matmul(w, transpose(w))
        k = prod._value.shape[0]
        off = E.multiply(prod, E.subtract(1.0, eye(k, dtype=prod.dtype)))
        return E.multiply(E.divide(R.reduce_sum(E.abs(off)), float(max(k * k - k, 1))), self.factor)

    def get_config(self) -> dict[str, Any]:
        return {"factor": self.factor, "mode": self.mode}


def l1(l1: float = 0.01) -> L1:  # noqa: E741 - Keras spelling
    return L1(l1)


def l2(l2: float = 0.01) -> L2:
    return L2(l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:  # noqa: E741
    """The Keras 2 helper: both coefficients default to 0.01."""
    return L1L2(l1=l1, l2=l2)


orthogonal_regularizer = OrthogonalRegularizer
register_builtins("regularizers", (L1, L2, L1L2, OrthogonalRegularizer), aliases={
    "l1": L1, "l2": L2, "l1_l2": l1_l2, "orthogonal_regularizer": OrthogonalRegularizer})


def get(identifier: Any) -> Any:
    """None, a name ('l1', 'l2', 'l1_l2'), a config dict, a class or instance, or a callable."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")


def serialize(regularizer: Any) -> Any:
    return serialize_keras_object(regularizer)


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    """A regularizer from a name or a config dict; a custom penalty function is returned as it is."""
    obj = deserialize_keras_object(config, custom_objects, family="regularizers", kind="regularizer")
    return obj() if obj is l1_l2 else obj  # tf.keras 2: the name means both coefficients at 0.01


__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2", "get", "serialize",
           "deserialize"]
