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
from tensorlet.saving import registry
from tensorlet.saving.registry import register_builtins
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object

_CLASSES = (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
            SparseTopKCategoricalAccuracy, AUC, Precision, Recall, F1Score, Mean, Sum, MeanSquaredError,
            RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
            LogCoshError, R2Score, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
            KLDivergence, Poisson)
# Names give a metric of that name ('mse' logs as 'mse'); 'accuracy'/'acc' and 'crossentropy'/'ce' depend on the
# shapes and are resolved by compile's first batch.
_NAMES: dict[str, Any] = {
    "accuracy": Accuracy, "acc": Accuracy,
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
register_builtins("metrics", _CLASSES + (MeanMetricWrapper,), aliases=_NAMES)


def get(identifier: Any) -> Any:
    """A metric object from a name, a config dict, a class, an instance, or a per-sample function."""
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        if hasattr(identifier, "update_state"):
            return identifier
        return MeanMetricWrapper(identifier, name=getattr(identifier, "__name__", "metric"))
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def serialize(metric: Any) -> Any:
    return serialize_keras_object(metric)


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    """A metric from a name or a config dict; a custom function comes back wrapped in a MeanMetricWrapper."""
    if isinstance(config, str) and registry.lookup(config, "metrics", custom_objects) is None:
        # 'crossentropy'/'ce' are valid in compile, which resolves them from the shapes
        raise registry.unknown_name_error("metric", config, [*registry.builtin_names("metrics"), "crossentropy", "ce"])
    obj = deserialize_keras_object(config, custom_objects, family="metrics", kind="metric")
    if isinstance(obj, Metric):
        if isinstance(config, str) and _NAMES.get(config) is type(obj):
            obj.name = config
        return obj
    return get(obj)


__all__ = (["Metric", "MeanMetricWrapper", "get", "serialize", "deserialize"] + sorted(c.__name__ for c in _CLASSES)
           + FUNCTION_NAMES)
