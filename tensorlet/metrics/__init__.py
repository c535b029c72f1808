"""Metrics: stateful objects (update_state / result / reset_state), functions, and strings."""
from __future__ import annotations

from typing import Any

from tensorlet.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
)
from tensorlet.metrics.confusion import AUC, F1Score, Precision, Recall
from tensorlet.metrics.functions import (  # the public functions return Tensors, as tf.keras.metrics' do
    FUNCTION_NAMES,
    KLD,
    MAE,
    MAPE,
    MSE,
    MSLE,
    binary_accuracy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_accuracy,
    categorical_crossentropy,
    categorical_hinge,
    hinge,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
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
    poisson,
    sparse_categorical_accuracy,
    sparse_categorical_crossentropy,
    sparse_top_k_categorical_accuracy,
    squared_hinge,
    top_k_categorical_accuracy,
)
from tensorlet.metrics.metric import Mean, MeanMetricWrapper, Metric, Sum
from tensorlet.metrics.regression import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    R2Score,
    RootMeanSquaredError,
    SparseCategoricalCrossentropy,
)

_CLASSES = {c.__name__: c for c in (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, AUC, Precision, Recall, F1Score, Mean, Sum, MeanSquaredError,
    RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCoshError,
    R2Score, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson)}
_NAMES: dict[str, Any] = {
    "binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy, "top_k_categorical_accuracy": TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy, "auc": AUC, "precision": Precision,
    "recall": Recall, "f1_score": F1Score, "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
    "rmse": RootMeanSquaredError, "root_mean_squared_error": RootMeanSquaredError, "mae": MeanAbsoluteError,
    "mean_absolute_error": MeanAbsoluteError, "mape": MeanAbsolutePercentageError,
    "mean_absolute_percentage_error": MeanAbsolutePercentageError, "msle": MeanSquaredLogarithmicError,
    "mean_squared_logarithmic_error": MeanSquaredLogarithmicError, "logcosh": LogCoshError, "r2_score": R2Score,
    "binary_crossentropy": BinaryCrossentropy, "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy, "kl_divergence": KLDivergence,
    "kld": KLDivergence, "poisson": Poisson,
}


def get(identifier: Any) -> Any:
    """A metric object from a name, a config dict, a class, an instance, or a per-sample function.

    'accuracy'/'acc' and 'crossentropy'/'ce' depend on the shapes and are resolved by ``compile``'s first batch.
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        if identifier in ("accuracy", "acc"):
            return Accuracy(name=identifier)
        cls = _NAMES.get(identifier) or _CLASSES.get(identifier)
        if cls is None:
            raise ValueError(f"Unknown metric: {identifier!r}. Valid names: "
                             f"{sorted(set(_NAMES) | {'accuracy', 'acc', 'crossentropy', 'ce'})}")
        m = cls()
        m.name = identifier if identifier in _NAMES else m.name
        return m
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        if hasattr(identifier, "update_state"):
            return identifier
        return MeanMetricWrapper(identifier, name=getattr(identifier, "__name__", "metric"))
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def serialize(metric: Any) -> Any:
    if isinstance(metric, Metric):
        return {"module": "keras.metrics", "class_name": type(metric).__name__, "config": metric.get_config(),
                "registered_name": None}
    return getattr(metric, "__name__", metric)


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    if isinstance(config, str):
        return get(config)
    name = config.get("class_name")
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(f"Unknown metric class {name!r}; valid: {sorted(_CLASSES)}")
    return cls.from_config(config.get("config", {}))


__all__ = ["Metric", "get", "serialize", "deserialize"] + sorted(_CLASSES) + FUNCTION_NAMES
