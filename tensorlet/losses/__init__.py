"""Losses: functions (per-sample values), classes (with reduction), and strings resolved by ``get``."""
from __future__ import annotations

from typing import Any

from tensorlet.losses.hinge import (
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    cosine_similarity,
    hinge,
    squared_hinge,
)
from tensorlet.losses.loss import Loss, LossFunctionWrapper, Reduction
from tensorlet.losses.probabilistic import (
    KLD,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from tensorlet.losses.regression import (
    MAE,
    MAPE,
    MSE,
    MSLE,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    huber,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
)
from tensorlet.saving.registry import register_builtins
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object

_FUNCTIONS = {
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error, "MSE": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mean_absolute_percentage_error": mean_absolute_percentage_error, "mape": mean_absolute_percentage_error,
    "MAPE": mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error, "msle": mean_squared_logarithmic_error,
    "MSLE": mean_squared_logarithmic_error,
    "huber": huber, "huber_loss": huber, "log_cosh": log_cosh, "logcosh": log_cosh,
    "binary_crossentropy": binary_crossentropy, "binary_focal_crossentropy": binary_focal_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "kl_divergence": kl_divergence, "kld": kl_divergence, "KLD": kl_divergence,
    "kullback_leibler_divergence": kl_divergence, "poisson": poisson,
    "hinge": hinge, "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge,
    "cosine_similarity": cosine_similarity,
}
_CLASSES = (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Huber,
            LogCosh, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
            SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge,
            CosineSimilarity)
# A built-in loss function's name gives its Loss class (so that compile gets reductions and a name).
_CLASS_OF = {
    mean_squared_error: MeanSquaredError, mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError, huber: Huber, log_cosh: LogCosh,
    binary_crossentropy: BinaryCrossentropy, binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy, kl_divergence: KLDivergence,
    poisson: Poisson, hinge: Hinge, squared_hinge: SquaredHinge, categorical_hinge: CategoricalHinge,
    cosine_similarity: CosineSimilarity,
}
register_builtins("losses", _CLASSES + (LossFunctionWrapper,), aliases=_FUNCTIONS)


huber_loss = huber
globals().update({k: v for k, v in _FUNCTIONS.items() if k not in globals()})


def get(identifier: Any) -> Any:
    """A loss from a name ('mse', 'sparse_categorical_crossentropy', ...), a config dict, a class or a callable.

    Names give a Loss object (so that compile gets reductions and a name); unknown names list the valid ones.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def serialize(loss: Any) -> Any:
    return serialize_keras_object(loss)


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    """A loss from a name (see ``get``) or a config dict; a ``{"class_name": "function"}`` dict gives the
    function itself, as Keras 3 does."""
    obj = deserialize_keras_object(config, custom_objects, family="losses", kind="loss")
    cls = _CLASS_OF.get(obj) if isinstance(config, str) else None
    if cls is not None:  # 'mse' gives MeanSquaredError(); the canonical name is also the Loss's name
        return cls(name=config) if config == obj.__name__ else cls()
    return obj


__all__ = ["Loss", "LossFunctionWrapper", "Reduction", "get", "serialize", "deserialize"] + sorted(_FUNCTIONS) + \
    sorted(c.__name__ for c in _CLASSES)
