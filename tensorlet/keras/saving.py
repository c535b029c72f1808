"""``keras.saving`` (Keras 3): save/load and the registry of custom objects."""
from typing import Any

from tensorlet.saving.registry import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from tensorlet.saving.saving_api import load_model, save_model  # noqa: F401
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object  # noqa: F401


def save_weights(model: Any, filepath: Any, overwrite: bool = True, **kwargs: Any) -> Any:
    """Keras 3's ``keras.saving.save_weights(model, filepath)``: ``model.save_weights(filepath)``."""
    return model.save_weights(filepath, overwrite=overwrite, **kwargs)


def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> Any:
    """Keras 3's ``keras.saving.load_weights(model, filepath)``: ``model.load_weights(filepath)``."""
    return model.load_weights(filepath, skip_mismatch=skip_mismatch, **kwargs)
